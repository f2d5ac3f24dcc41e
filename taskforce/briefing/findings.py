"""What each slide of the briefing says, in words computed from the data under the house's statistical rules:
its title is the finding ('3 recommendations overdue: 4, 6 and 7'), its topic a small overline, and its
speaker notes the definitions, caveats and methods a presenter needs to answer 'what does this number mean'.
The screen and the pack read the same words from here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from taskforce.analysis import methods, variation
from taskforce.analysis.headlines import HeadlineCard, ReturnsSummary
from taskforce.briefing import actions
from taskforce.briefing.contents import SLIDES, Briefing
from taskforce.core import disclosure
from taskforce.core.formats import format_date, format_percent, join_words, plural
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Judgement
from taskforce.recommendations.forecast import FORECAST_METHOD
from taskforce.release import method as wider_method


@dataclass(frozen=True)
class SlideHeading:
    topic: str  # the small overline
    finding: str  # the title: what the slide shows


def _beyond_limits(briefing: Briefing) -> list[HeadlineCard]:
    """The headline figures beyond their limits, as each card's own judgement says (none in a provisional week)."""
    if briefing.overview.returns_summary.provisional:
        return []
    return [
        card
        for card in briefing.overview.cards
        if card.judgement in (Judgement.GOOD, Judgement.BAD, Judgement.NEUTRAL) and card.limits is not None
    ]


def _headlines(briefing: Briefing) -> str:
    if briefing.overview.returns_summary.provisional:
        return f"{briefing.overview.returns_summary.provisional_words()}: no change judged yet"
    beyond = _beyond_limits(briefing)
    if not beyond:
        return "Every headline figure common cause variation: no evidence of change"
    by_verdict: dict = {}
    for card in beyond:
        by_verdict.setdefault(card.judgement, []).append(card.measure.short_label)
    said = [f"{verdict.short()}: {join_words(labels)}" for verdict, labels in by_verdict.items()]
    sentence = "; ".join(said) + "; the rest common cause"
    return sentence[0].upper() + sentence[1:]


def _recommendations(briefing: Briefing) -> str:
    recs = briefing.overview.recommendations
    overdue = sorted(int(n) for n in recs.loc[recs["overdue"], "number"])
    if not overdue:
        complete = int((recs["status"] == "Complete").sum())
        return f"No recommendation overdue; {complete} of {len(recs)} complete"
    return f"{plural(len(overdue), 'recommendation')} overdue: {join_words([str(n) for n in overdue])}"


def _force_map(briefing: Briefing, wider: bool) -> str:
    table = briefing.map_table.dropna(subset=["rank"]).sort_values("rank")
    if wider:
        table = table[table["value"] > disclosure.configured_threshold()]
    if table.empty:
        return "OIC arrests by force in the 4 weeks"
    top = table.head(2)
    named = join_words([f"{row.area_name} ({row.value:,.0f})" for row in top.itertuples()])
    return f"Most OIC arrests in the 4 weeks: {named}"


def _trends(briefing: Briefing) -> str:
    change = briefing.year_on_year_change
    arrests = measure("oic_arrests")
    if change is None or not change.weeks_compared:
        return "OIC arrests and charges, last 26 weeks"
    finding = f"OIC arrests {change.change_words(arrests)} on the same 12 weeks last year"
    if change.events and change.without_events is not None and change.without_events.weeks_compared:
        finding += f" ({change.without_events.change_words(arrests)} without {join_words(list(change.events))})"
    return finding


def _partnership(briefing: Briefing) -> str:
    table = briefing.partnership
    if table.empty:
        return "Partnership, last 12 weeks"
    latest = table.iloc[-1]
    rate, target = latest["debrief_rate"], briefing.debrief_target
    side = "at or above" if pd.notna(rate) and rate >= target else "below"
    return (
        f"Debrief rate {format_percent(rate)}, {side} the {format_percent(target, 0)} target; tasking "
        f"completion {format_percent(latest['tasking_completion'])} over 12 weeks"
    )


def _missing(briefing: Briefing) -> str:
    summary = briefing.overview.returns_summary
    if not summary.missing and not summary.partial:
        return f"All {summary.expected} returns complete"
    return returns_words(summary)[0].upper() + returns_words(summary)[1:]


def returns_words(summary: ReturnsSummary) -> str:
    """The returns as people say them: 'all 49 returns complete', '44 of 49 returns complete: 4 missing and
    1 partial' (never '0 of 49 returns not received'). Complete: every measure the organisation reports."""
    if not summary.missing and not summary.partial and summary.complete == summary.expected:
        return f"all {summary.expected} returns complete"
    gaps = ([f"{len(summary.missing)} missing"] if summary.missing else []) + (
        [f"{len(summary.partial)} partial"] if summary.partial else []
    )
    return f"{summary.complete} of {summary.expected} returns complete" + (f": {join_words(gaps)}" if gaps else "")


def timeliness_words(summary: ReturnsSummary) -> str:
    """'all on time', '43 on time and 2 late', 'none yet' (never '0 late')."""
    if not summary.complete:
        return "none yet"
    if not summary.late:
        return "all on time"
    if not summary.on_time:
        return "all late"
    return f"{summary.on_time} on time and {summary.late} late"


def headings(briefing: Briefing, wider: bool = False) -> list[SlideHeading]:
    """Each slide's topic and finding, in the order of SLIDES."""
    summary = briefing.overview.returns_summary
    returns_in = (
        f"all {summary.expected}"
        if summary.complete == summary.expected
        else (f"{summary.complete} of {summary.expected}")
    )
    title = f"Week ending {format_date(briefing.week_ending)}: {returns_in} returns complete"
    findings = [
        title,
        _headlines(briefing),
        _recommendations(briefing),
        _force_map(briefing, wider),
        _trends(briefing),
        _partnership(briefing),
        _missing(briefing),
        actions.finding(briefing.actions),
    ]
    topics = ["OIC Domestic Taskforce: weekly briefing", *SLIDES[1:]]
    return [SlideHeading(topic, finding) for topic, finding in zip(topics, findings, strict=True)]


@dataclass(frozen=True)
class Message:
    """The week's message as the overview leads with it: the slides' own findings, the same words, exceptions
    first (overdue recommendations, returns not in, figures beyond their limits), then the rest."""

    exceptions: list[SlideHeading]
    findings: list[SlideHeading]


RECOMMENDATIONS_SLIDE, MISSING_SLIDE, HEADLINES_SLIDE, ACTIONS_SLIDE = 2, 6, 1, 7


def message(briefing: Briefing, wider: bool = False) -> Message:
    """Each slide's finding but the title's, exceptions first, in the order a chair takes them."""
    found = headings(briefing, wider)
    summary, recs = briefing.overview.returns_summary, briefing.overview.recommendations
    exceptional = {
        RECOMMENDATIONS_SLIDE: bool(recs["overdue"].any()),
        MISSING_SLIDE: bool(summary.missing or summary.partial),
        HEADLINES_SLIDE: bool(_beyond_limits(briefing)),
        ACTIONS_SLIDE: _any_action_overdue(briefing),
    }
    first = [index for index, is_exception in exceptional.items() if is_exception]
    return Message(
        exceptions=[found[index] for index in first],
        findings=[found[index] for index in range(1, len(found)) if index not in first],
    )


def _any_action_overdue(briefing: Briefing) -> bool:
    return briefing.actions is not None and not briefing.actions.overdue.empty


def _definitions(codes: list[str]) -> str:
    return " ".join(f"{measure(code).label}: {measure(code).definition}" for code in codes)


def speaker_notes(briefing: Briefing, wider: bool = False) -> list[str]:
    """What a presenter needs for each slide: what the numbers mean, how they were judged, and the caveats."""
    summary = briefing.overview.returns_summary
    caveats = []
    if briefing.is_demo:
        caveats.append("Demo data: every figure is synthetic and must not be briefed as police information.")
    if summary.provisional:
        caveats.append(f"{summary.provisional_words()}: figures will rise as returns arrive.")
    if wider:
        caveats.append(wider_method.statement())  # the statement of method, as About the data says it
    caveat = " ".join(caveats)
    method = dict(methods.METHODS)
    cards = [card.measure.code for card in briefing.overview.cards]
    said = " ".join(briefing.overview.wider_statements if wider else briefing.overview.statements)
    notes = [
        said,
        f"What changed: {said} {_definitions(cards)} {variation.METHOD} {method['Changes and small numbers']}",
        f"Status is the latest national report on or before the briefing. {FORECAST_METHOD}",
        f"{_definitions(['oic_arrests'])} Darker is more arrests; classes are fixed steps (0, 1 to 2, 3 to 5, 6 to "
        "10, 11 to 20, 21 and over), the same every week. No return, partial return and not applicable each have "
        "a key of their own and are not ranked.",
        f"{briefing.year_on_year} {method['Averages']}",
        f"{_definitions(['debrief_rate', 'tasking_completion'])} {method['Rates over a period']}",
        f"{method['Complete weeks first']} Returns are due by the end of the Tuesday after the week ends, London time.",
        f"Actions agreed at the briefing. Overdue means open and past its due date as at "
        f"{format_date(briefing.actions.as_at) if briefing.actions else 'the data-up-to date'} (the data-up-to "
        "date, not the day the pack is read); due means open and due within the next 7 days; new means agreed at "
        "this week's briefing; done means closed since last week's.",
    ]
    return [f"{note} {caveat}".strip() for note in notes]
