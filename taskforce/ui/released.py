"""The trend charts and organisation rankings of wider circulation, drawn only from the week's release.

The Trends and Partnership pages (and any view that charts a measure over time) call these in wider circulation
instead of their own queries: the nation week by week, anything below it as the release's 13 fixed 4-week
periods, hidden figures as gaps in the chart and "[c]" in the download, rates only where both counts are shown,
and rankings among shown rates on a base of at least funnel.RANK_MINIMUM_BASE, the rest after in name order.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from taskforce import charts
from taskforce.analysis import funnel
from taskforce.analysis.trends import describe_series
from taskforce.core import disclosure
from taskforce.core.formats import format_percent
from taskforce.core.kinds import MeasureKind
from taskforce.measures.registry import Measure, measure
from taskforce.release import series
from taskforce.release.periods import TWELVE_WEEKS_NAME
from taskforce.ui import data
from taskforce.ui.cards import chart_card

HIDDEN = disclosure.SUPPRESSED  # the mark a hidden figure is shown as: views take it from here, never decide it


def method_note() -> str:
    """The rule of wider circulation in one sentence (release/method.py's first), for a caption."""
    return disclosure.note()


SPLITS = {"National": series.NATIONAL, "By agency": series.AGENCY, "By ROCU region": series.REGION}
WHAT_WIDER_SHOWS = (
    "For wider circulation: the nation week by week and, below it, the release's fixed 4-week "
    "periods only (no custom range, month or rolling window), so no two figures differ by a "
    "hidden week."
)


def group_table(item: Measure, split: str) -> pd.DataFrame:
    """The release's series of `item` for each group of the split (series.NATIONAL, AGENCY or REGION)."""
    keys = series.group_keys(data.query("org_groups"), split)
    return series.group_series(data.release(), keys, item)


def trend(
    item: Measure, split: str, key: str, title: str, about: str = "", overlays: dict[str, pd.Series] | None = None
) -> pd.DataFrame:
    """A trend chart of `item` by the split's groups, from the release, with its description and its numbers
    ("[c]" where hidden). Returns the table drawn."""
    table = group_table(item, split)
    hidden = series.hidden_points(table)
    if hidden:
        st.caption(f"{hidden} figures are hidden ([c]) and left as gaps. {disclosure.note()}")
    span = "weekly" if split == series.NATIONAL else "fixed 4-week periods"
    drawn = table[["period_start", "group_name", "value"]]
    figure = (
        charts.group_trend(
            drawn, item.short_label, data.events(), title, percent=item.kind == MeasureKind.RATE, extra_lines=overlays
        )
        if split in (series.NATIONAL, series.AGENCY)
        else charts.small_multiples(
            drawn, item.short_label, data.events(), title, percent=item.kind == MeasureKind.RATE
        )
    )
    numbers = series.as_released(table, "value").rename(columns={"group_name": "group", "value": item.code})
    chart_card(
        figure,
        describe_series(item, drawn, span),
        numbers,
        f"{item.code}_{split}_released.csv",
        key,
        about=about or item.definition,
    )
    return table


def national_weekly(item: Measure) -> pd.DataFrame:
    """The nation's weeks of the release for `item`: period_start, value (None where hidden)."""
    return group_table(item, series.NATIONAL)


def ranking(
    item: Measure,
    title: str,
    key: str,
    target: float | None = None,
    lowest_first: bool = False,
    types: tuple[str, ...] = ("force", "agency"),
) -> None:
    """Each organisation's rate (of the `types` given) over the release's 12 weeks, ranked among shown rates on a
    base of at least RANK_MINIMUM_BASE; a hidden rate or count is "[c]" and is never ranked or drawn."""
    release = data.release()
    period = release.period(TWELVE_WEEKS_NAME)
    groups = data.query("org_groups")
    groups = groups[groups["type"].isin(types)]
    table = series.organisation_figures(release, period, item, groups[["org_code", "org_name", "type"]])
    denominator = item.denominator or item.base_codes[-1]
    base = pd.to_numeric(table[denominator], errors="coerce")
    rate = pd.to_numeric(table[item.code], errors="coerce")
    table["rankable"] = rate.notna() & funnel.rankable(base.fillna(0))
    table["rank"] = rate.where(table["rankable"]).rank(method="min", ascending=lowest_first).astype("Int64")
    shown = table[table["rankable"]].sort_values(["rank", "org_name"])
    rest = table[~table["rankable"]].sort_values("org_name")
    ordered = pd.concat([shown, rest], ignore_index=True)
    chart_card(
        charts.ranked_bars(
            shown,
            "org_name",
            item.code,
            f"{title}, {period.words()}",
            item.short_label,
            percent=item.kind == MeasureKind.RATE,
            target=target,
            lowest_first=lowest_first,
        ),
        _ranking_words(item, period.words(), len(shown), len(rest), target, shown),
        series.as_released(
            ordered, item.code, {item.code: f"{item.code}_state", **{code: f"{code}_state" for code in item.base_codes}}
        ).drop(columns=["rankable"]),
        f"{item.code}_by_organisation_released.csv",
        key,
        about=funnel.FUNNEL_METHOD,
    )


def _ranking_words(
    item: Measure, span: str, ranked: int, unranked: int, target: float | None, shown: pd.DataFrame
) -> str:
    words = (
        f"{item.label} of each organisation over {span}, from the release: {ranked} ranked (a rate on "
        f"fewer than {funnel.RANK_MINIMUM_BASE} is never ranked), {unranked} not ranked (hidden, too small "
        "a base, or no figure) and listed after in name order."
    )
    if target is not None and ranked:
        meeting = int((pd.to_numeric(shown[item.code]) >= target).sum())
        words += f" {meeting} of {ranked} ranked meet the target of {format_percent(target, 0)}."
    return words


def measures_together(codes: list[str]) -> pd.DataFrame:
    """Several national measures from the release as the groups of one weekly chart."""
    parts = [national_weekly(measure(code)).assign(group_name=measure(code).label) for code in codes]
    return pd.concat(parts, ignore_index=True)
