"""The trend charts and the organisation tables of wider circulation, read only from a release.

A series by group is the nation week by week, and anything below the nation over the 13 fixed 4-week periods: no
custom range, no calendar month, no rolling window, so no two figures on offer differ by a week the release does
not itself show or hide. Every value is a protected cell or a figure the release makes from shown cells (a rate
only where both its counts are shown); a hidden one is None with the state HIDDEN, and its download reads "[c]".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from taskforce.analysis.trends import YearOnYear
from taskforce.core.disclosure import SUPPRESSED
from taskforce.measures.registry import Measure, measure
from taskforce.release import tables
from taskforce.release.build import Release
from taskforce.release.periods import ReleasePeriod
from taskforce.release.universe import NATION, POLICE_FORCES, WEEK, Geography

NATIONAL, AGENCY, REGION, FORCE = "national", "agency", "region", "force"
SERIES_COLUMNS = ["period_start", "period_end", "group_name", "value", "state"]


def group_keys(groups: pd.DataFrame, split: str, forces: Sequence[str] = ()) -> dict[str, str]:
    """The release's organisation key of each group a split draws, with the group's name. `groups`: the
    org_groups query's rows (org_code, org_name, type, rocu_region)."""
    if split == NATIONAL:
        return {NATION: "All organisations"}
    if split == AGENCY:
        agencies = groups[groups["type"] == "agency"].sort_values("org_name")
        return {POLICE_FORCES: "Police forces", **dict(zip(agencies["org_code"], agencies["org_name"], strict=True))}
    in_forces = groups[groups["type"] == "force"].sort_values("rocu_region")
    if split == FORCE:
        names = dict(zip(in_forces["org_code"], in_forces["org_name"], strict=True))
        return {code: names[code] for code in forces if code in names}
    in_regions = Geography.from_groups(groups).region
    return {
        (tables.region_key(row.rocu_region) if row.org_code in in_regions else row.org_code): row.rocu_region
        for row in in_forces.itertuples(index=False)
    }


def group_series(release: Release, keys: Mapping[str, str], item: Measure) -> pd.DataFrame:
    """period_start, period_end, group_name, value and state for each group: the nation's 52 weeks, or the 13
    fixed 4-week periods of anything below it."""
    parts = [_series(release, key, item).assign(group_name=name) for key, name in keys.items()]
    if not parts:
        return pd.DataFrame(columns=SERIES_COLUMNS)
    return pd.concat(parts, ignore_index=True)[SERIES_COLUMNS]


def _series(release: Release, key: str, item: Measure) -> pd.DataFrame:
    if key == NATION:
        weekly = tables.weekly_series(release, key, item)
        return weekly.assign(period_start=weekly["week_ending"], period_end=weekly["week_ending"])
    return tables.period_series(release, key, item)


def hidden_points(table: pd.DataFrame) -> int:
    return int((table["state"] == tables.HIDDEN).sum())


def as_released(table: pd.DataFrame, column: str, states: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A table of release figures as a download shows them: `column` holds the value, "[c]" where hidden and
    nothing where there is no figure, with its state beside it ("shown", "hidden", "no return"). `states`:
    value column -> its state column, for a table of several figures."""
    states = states or {column: "state"}
    result = table.copy()
    for value_column, state_column in states.items():
        result[value_column] = [
            SUPPRESSED if state == tables.HIDDEN else value
            for value, state in zip(result[value_column], result[state_column], strict=True)
        ]
    return result


def organisation_figures(
    release: Release, period: ReleasePeriod, item: Measure, organisations: pd.DataFrame
) -> pd.DataFrame:
    """One row per organisation (`organisations`: org_code and any columns to keep): each count the measure is
    made from and the measure itself over the period, with `<code>_state` beside each; a rate only where both
    its counts are shown."""
    codes = [*item.base_codes, *([] if item.is_reported else [item.code])]
    rows = []
    for row in organisations.to_dict("records"):
        for code in codes:
            row[code], row[f"{code}_state"] = tables.figure(release, period, str(row["org_code"]), measure(code))
        rows.append(row)
    return pd.DataFrame(rows, columns=[*organisations.columns, *(f"{c}{s}" for c in codes for s in ("", "_state"))])


def period_against_previous(release: Release, item: Measure, name: str = "12 weeks") -> str:
    """'Over the 12 weeks from ... to ...: up 5% on the 12 weeks before (412 against 391).' The nation's figure
    over an offered period against the period just before, both from the release."""
    period = release.period(name)
    current = tables.national(release, period, item)
    previous = tables.national(release, period.previous(), item)
    opening = f"Over {period.words()}"
    if current is None or previous is None:
        return f"{opening}: no comparison with the {period.weeks} weeks before (a figure is hidden or missing)."
    comparison = YearOnYear(current, previous, period.weeks, period.weeks)
    return f"{opening}: {comparison.change_words(item)} on the {period.weeks} weeks before {comparison.figures(item)}."


def national_weekly_rows(release: Release, codes: Sequence[str] | None = None) -> pd.DataFrame:
    """The nation's weekly cells the release shows, in the shape of the national totals queries: week_ending,
    period_start (the same week), measure_code, value. A hidden week is left out (never a zero), so whatever is
    worked out from these rows (cards, limits, sparklines, a rate) is made from shown cells only."""
    rows = []
    cells = release.protected
    if cells is not None:
        for (period, org, code), value in cells.values.items():
            if org == NATION and period[0] == WEEK and value is not None and (codes is None or code in codes):
                rows.append(
                    {"week_ending": period[1], "period_start": period[1], "measure_code": code, "value": float(value)}
                )
    table = pd.DataFrame(rows, columns=["week_ending", "period_start", "measure_code", "value"])
    return table.sort_values(["week_ending", "measure_code"], ignore_index=True)
