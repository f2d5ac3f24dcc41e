"""Border Force's people found concealed at ports: the period's total against the same number of weeks before,
judged against chance only when the extract covers every week of both."""

from __future__ import annotations

import pandas as pd

from taskforce.core import disclosure

CHANCE_SIGMAS = 2  # the change is called beyond chance past two standard deviations of a difference of counts
PORT_METHOD = (
    "The ports test: people found concealed at ports in the period are set against the same number of weeks "
    "before. Two counts of this kind vary by chance about as much as Poisson counts do, so their difference has a "
    f"standard deviation of about the square root of their sum; a change larger than {CHANCE_SIGMAS} of those is "
    "called beyond what chance alone gives, a smaller one within it. No change is worked out unless the extract "
    "covers every week of both periods, since a missing week would pass for a fall. Limits: the test is for the "
    "total of all ports, not one port; a real change smaller than chance allows is not seen."
)


PORT_COUNTS = ("people", "vehicles", "people_before")
BOUNDED_BY = {"vehicles": "people"}  # a port's vehicles with people found in them cannot exceed the people found
PORTS_WIDER_METHOD = (
    "For wider circulation the ports table is protected on its own (it is a partner's extract, not in the "
    "release): counts from 1 to the threshold hidden, a second count hidden down each column (the totals are "
    "published) and along each row, vehicles hidden wherever people found are (vehicles cannot exceed people, so "
    "a vehicles count beside a hidden count of people would pin it from below), and the ports whose count of "
    "people is shown listed first, most first, then the others in name order, so no order bounds a hidden count."
)


def for_wider_circulation(table: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """The port_detections rows as wider circulation may see them (PORTS_WIDER_METHOD): [c] where hidden, and
    ordered by the shown counts of people only."""
    return in_wider_order(disclosure.suppress(table, list(PORT_COUNTS), threshold, bounded_by=BOUNDED_BY))


def in_wider_order(protected: pd.DataFrame) -> pd.DataFrame:
    """Ports whose count of people is shown, most first, then the others in name order."""
    hidden = protected["people"].eq(disclosure.SUPPRESSED)
    shown = protected[~hidden].assign(_people=pd.to_numeric(protected.loc[~hidden, "people"]))
    shown = shown.sort_values(["_people", "port"], ascending=[False, True], kind="stable").drop(columns="_people")
    return pd.concat([shown, protected[hidden].sort_values("port", kind="stable")], ignore_index=True)


WIDER_PORTS_SENTENCE = (
    "For wider circulation the ports' total, how many ports found anyone, and the comparison with the weeks before "
    "are not given: beside the counts shown they would bound, or give away, the counts hidden."
)


def port_sentence(table: pd.DataFrame, period_weeks: int, name_busiest: bool = True) -> str:
    """The total, the busiest port, and the change on the same number of weeks before, judged against chance
    only when the extract covers every week of both periods (a missing week would pass for a fall). For wider
    circulation the busiest port is not named (`name_busiest`): it would bound every hidden count by its own."""
    people, before = int(table["people"].sum()), int(table["people_before"].sum())
    weeks = int(table["weeks_reported"].max()) if len(table) else 0
    weeks_before = int(table["weeks_before_reported"].max()) if len(table) else 0
    busiest = table.iloc[0]["port"] if len(table) and people else "no port"
    found = f"{people:,} people found at {int((table['people'] > 0).sum())} ports"
    found += f", most at {busiest}" if name_busiest else ""
    if weeks < period_weeks or weeks_before < period_weeks:
        return (
            f"{found}. The extract covers {weeks} of these {period_weeks} weeks and {weeks_before} of the "
            f"{period_weeks} before, so no change is worked out."
        )
    change, chance = people - before, CHANCE_SIGMAS * max(people + before, 1) ** 0.5
    verdict = "within" if abs(change) <= chance else "beyond"
    return (
        f"{found}; {before:,} in the same number of weeks before: a change of {change:+,}, {verdict} the "
        f"±{chance:.0f} that chance alone gives at counts this size."
    )
