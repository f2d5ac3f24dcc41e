"""The tables a page, slide or download shows in wider circulation, read only from a release's protected cells.

Nothing here computes a figure from the store: every value is a protected cell, or made from shown cells (a rate
of two shown counts, a count per 100,000 of a public population, a change between two shown periods). A hidden
cell is `None` with the state HIDDEN; an organisation with no return is NO_RETURN, so "[c]" and "no return" never
read the same. Ranks are among shown values only; hidden rows follow in name order, so no order gives a hidden
value away.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from taskforce.core.formats import percent_change_allowed
from taskforce.core.kinds import MeasureKind
from taskforce.measures.registry import Measure
from taskforce.release.build import Release
from taskforce.release.periods import ReleasePeriod
from taskforce.release.universe import FOUR_WEEKS, NATION, WEEK

SHOWN, HIDDEN, NO_RETURN = "shown", "hidden", "no return"
NOT_RELEASED = "not released"  # a single week below the nation: wider circulation gives periods there
NO_FIGURE = "no figure"  # a rate whose counts are shown and whose denominator is zero: nothing is hidden
FORCE, REGION = "Force", "ROCU region"


def region_key(name: str) -> str:
    return f"region:{name}"


def area_key(level: str, force_code: str, region: str, regions: set[str]) -> str:
    """The release's organisation key for a map area: the force itself, or its ROCU region (a force outside the
    ROCUs is its own area at either level)."""
    if level == REGION and region in regions:
        return region_key(region)
    return force_code


def _state(release: Release, period: ReleasePeriod, org: str, item: Measure) -> str:
    cells = release.protected
    assert cells is not None
    if not released(period, org):
        return NOT_RELEASED
    parts = [(part, org, code) for part in period.parts for code in held_codes(item)]
    if not any(cells.has(*part) for part in parts):
        return NO_RETURN
    if cells.figure(period, org, item) is not None:
        return SHOWN
    return NO_FIGURE if _nothing_to_divide_by(cells, period, org, item) else HIDDEN


def _nothing_to_divide_by(cells, period: ReleasePeriod, org: str, item: Measure) -> bool:
    """A rate of shown counts whose denominator is zero: it has no figure, and hides nothing."""
    shown = all(cells.over(period, org, code) is not None for code in item.base_codes)
    return shown and item.denominator is not None and cells.over(period, org, item.denominator) == 0


def held_codes(item: Measure) -> tuple[str, ...]:
    """The cells a measure is read from: a total's own (its parts may be national only), else its counts."""
    return (item.code,) if item.kind == MeasureKind.TOTAL else item.base_codes


def released(period: ReleasePeriod, org: str) -> bool:
    """Whether the release holds this period at this level: a week for the nation only."""
    return org == NATION or all(part[0] != WEEK for part in period.parts)


def area_periods(release: Release) -> tuple[ReleasePeriod, ...]:
    """The periods the release offers below the nation: the fixed 4 weeks and 12 weeks."""
    return tuple(period for period in release.offered if released(period, "any-force"))


def figure(release: Release, period: ReleasePeriod, org: str, item: Measure) -> tuple[float | None, str]:
    """A measure for one organisation (or region, or the nation) over a release period: (value, state)."""
    if release.protected is None:
        return None, NO_RETURN
    state = _state(release, period, org, item)
    return (release.protected.figure(period, org, item) if state == SHOWN else None), state


def change(current: float | None, previous: float | None) -> float | None:
    """The proportional change, only where both ends are shown and the base allows a percentage."""
    if current is None or previous is None or not percent_change_allowed(previous):
        return None
    return (current - previous) / previous


def area_figures(
    release: Release, period: ReleasePeriod, item: Measure, forces: pd.DataFrame, level: str
) -> pd.DataFrame:
    """One row per map area (force, or ROCU region with the forces outside the ROCUs): area, area_name, key,
    value and state, previous and previous_state (the period just before, protected the same way), population
    (public), per_100k (a count's value over a public population), change (both ends shown, base of 10 or
    more), rank (among shown values; highest first, ties share a rank)."""
    regions = _regions(release)
    rows = []
    for (area, area_name), members in _areas(forces, level, regions).items():
        key = area_key(level, members.iloc[0]["org_code"], area, regions)
        value, state = figure(release, period, key, item)
        previous, previous_state = figure(release, period.previous(), key, item)
        population = float(members["population"].fillna(0).sum()) or None
        per_100k = (
            value / population * 100_000 if value is not None and population and item.kind != MeasureKind.RATE else None
        )
        rows.append(
            {
                "area": area,
                "area_name": area_name,
                "key": key,
                "value": value,
                "state": state,
                "previous": previous,
                "previous_state": previous_state,
                "population": population,
                "per_100k": per_100k,
                "change": change(value, previous),
            }
        )
    table = pd.DataFrame(rows)
    return ranked(table, "value")


def ranked(table: pd.DataFrame, column: str) -> pd.DataFrame:
    """Ranks among the shown values of `column` (highest first, ties share the lower rank), shown rows in rank
    order then every row without a value in name order: nothing is placed by a value it does not show."""
    if table.empty:
        return table.assign(rank=pd.Series(dtype="Int64"))
    values = pd.to_numeric(table[column], errors="coerce")
    table = table.assign(rank=values.rank(method="min", ascending=False).astype("Int64"))
    shown = table[values.notna()].sort_values(["rank", "area_name"])
    hidden = table[values.isna()].sort_values("area_name")
    return pd.concat([shown, hidden], ignore_index=True)


def _regions(release: Release) -> set[str]:
    assert release.protected is not None
    return {org.removeprefix("region:") for _, org, _ in release.protected.values if org.startswith("region:")}


def _areas(forces: pd.DataFrame, level: str, regions: set[str]) -> dict[tuple[str, str], pd.DataFrame]:
    if level == FORCE:
        return {
            (row.org_code, row.org_name): forces[forces["org_code"] == row.org_code]
            for row in forces.itertuples(index=False)
        }
    grouped = {}
    for region, members in forces.groupby("rocu_region", sort=True):
        name = str(region)
        grouped[(name, name)] = members
    return grouped


def weekly_series(release: Release, org: str, item: Measure, weeks: int = 52) -> pd.DataFrame:
    """An organisation's weekly figures up to the release's week, each week protected alone: week_ending, value
    (None where hidden or not returned) and state. Never summed by a reader: a month or a range of these weeks
    is not in the release."""
    assert release.week is not None and release.protected is not None
    rows = []
    for n in reversed(range(weeks)):
        week = release.week - dt.timedelta(weeks=n)
        period = ReleasePeriod("The week", ((WEEK, week),), week, week)
        value, state = figure(release, period, org, item)
        rows.append({"week_ending": week, "value": value, "state": state})
    return pd.DataFrame(rows)


def period_series(release: Release, org: str, item: Measure, periods: int = 13) -> pd.DataFrame:
    """An organisation's fixed 4-week periods ended by the release's week (the release's "months"): period_end,
    period_start (first week ending), value and state."""
    assert release.week is not None
    four = release.period("4 weeks")
    rows = []
    for n in reversed(range(periods)):
        end = four.last - dt.timedelta(weeks=4 * n)
        period = ReleasePeriod("4 weeks", ((FOUR_WEEKS, end),), end - dt.timedelta(weeks=3), end)
        if release.protected is None or not any(
            release.protected.has((FOUR_WEEKS, end), org, code) for code in held_codes(item)
        ):
            rows.append({"period_end": end, "period_start": period.first, "value": None, "state": NO_RETURN})
            continue
        value, state = figure(release, period, org, item)
        rows.append({"period_end": end, "period_start": period.first, "value": value, "state": state})
    return pd.DataFrame(rows)


def national(release: Release, period: ReleasePeriod, item: Measure) -> float | None:
    return figure(release, period, NATION, item)[0]


def values_by_key(table: pd.DataFrame) -> Mapping[str, float | None]:
    return dict(zip(table["key"], table["value"], strict=True))
