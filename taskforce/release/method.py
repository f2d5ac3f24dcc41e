"""The statement of method for wider circulation, in plain words, in one place: About the data shows it, the
pack's speaker notes carry it, and its first line is the note on every wider CSV and slide
(`core.disclosure.note`)."""

from __future__ import annotations

from taskforce.core import disclosure

HEADING = "Wider circulation: how figures are protected"
REVISIONS_METHOD = (
    "A week's figures change as late returns and resubmissions arrive. Each issued pack keeps the figures it was "
    "briefed with, and the briefing page lists those that differ now: the figure as briefed, now, and why (late "
    "returns, a resubmission, a withdrawal). In the taskforce's own circulation the organisations are named; for "
    "wider circulation the differences are national totals only, no organisation is named, and a figure already "
    "issued counts as known when the release decides what else to hide, so no organisation's change of 1 to 4 "
    "can be read off. How much late returns add to a week on average is not yet measured here."
)


def paragraphs(threshold: int | None = None) -> list[str]:
    threshold = threshold or disclosure.configured_threshold()
    hidden = disclosure.SUPPRESSED
    return [
        disclosure.note(threshold),
        f"What is protected: every count of people, events and things from 1 to {threshold} (arrests, charges, "
        "disruptions, migrants encountered and debriefed, intelligence packages, taskings, groups mapped), and "
        "everything made from them.",
        f"How: a count from 1 to {threshold} is hidden (primary suppression). Then more counts are hidden "
        "(secondary suppression), solved once across the whole release: forces within their ROCU region within "
        "the nation, agencies within the nation, and measures that add up (disruptions by severity), so that no "
        "total less its published parts gives a hidden count. A zero beside a hidden count is hidden too, so a "
        f"{hidden} cannot be taken to be at least 1. Single weeks are released for the nation only; below it, "
        "only fixed 4-week periods (counted from the week ending 8 January 2023) and 12 weeks made of three of "
        "them. A rate, a figure per 100,000, a change or a rank is shown only where every count it is made from "
        "is shown. Previous periods are protected exactly like current ones. Revisions since a pack was issued "
        "are shown only as protected national totals, with no organisation named, and a figure already issued "
        f"is treated as known. No table is ordered by a hidden value: rows shown {hidden} follow in name order.",
        f"What a reader may not do: combine these figures with other releases or tables to work out a hidden "
        f"count, or treat {hidden} as zero ({hidden} means a count hidden to protect people, not nothing).",
        "The reference is the Office for National Statistics' guidance on statistical disclosure control.",
    ]


def statement(threshold: int | None = None) -> str:
    return " ".join(paragraphs(threshold))
