"""Shared pieces of the trend pages: the period and range controls, and a trend chart with its comparisons."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from taskforce import charts
from taskforce.analysis import trends, variation
from taskforce.analysis.drawn import marked_special_causes
from taskforce.analysis.trends import PERIODS, describe_series, same_weeks_last_year, series_by_group
from taskforce.core.formats import format_date
from taskforce.core.kinds import MeasureKind
from taskforce.core.memo import memoised, on_data_key
from taskforce.measures.registry import Measure, measure
from taskforce.ui import data
from taskforce.ui.cards import chart_card
from taskforce.ui.controls import linked_choice, linked_toggle
from taskforce.ui.downloads import wider_circulation
from taskforce.ui.states import TREND_MINIMUM_WEEKS, latest_week_or_stop

RANGES = {"Last 26 weeks": 26, "Last 52 weeks": 52, "Last 2 years": 104, "Whole series": None}


def period_and_range() -> tuple[str, dt.date, dt.date, str]:
    """The period length and date range chosen (both held in the URL): (period label, first week, last week,
    range label). The last week is the latest complete week with most returns in."""
    last_week = latest_week_or_stop(TREND_MINIMUM_WEEKS)
    reporting = data.query("reporting_weeks")
    period_column, range_column = st.columns(2)
    with period_column:
        period = linked_choice(st.segmented_control, "Period", list(PERIODS), key="period", default="Weekly")
    with range_column:
        span = linked_choice(st.segmented_control, "Range", list(RANGES), key="range", default="Last 52 weeks")
    weeks = RANGES[span]
    first_week = (
        pd.Timestamp(reporting["week_ending"].min()).date()
        if weeks is None
        else last_week - dt.timedelta(weeks=weeks - 1)
    )
    return period, first_week, last_week, span


def trend_rows(
    period: str, split: str, measures: list[str], first: dt.date, last: dt.date, forces: list[str] | None = None
) -> pd.DataFrame:
    return data.query(
        "trend_series",
        {
            "period": PERIODS[period],
            "split": split,
            "forces": forces or [],
            "measures": measures,
            "from": first,
            "to": last,
        },
    )


def comparison_overlays(item: Measure, first: dt.date, last: dt.date) -> dict[str, pd.Series]:
    """For a weekly national chart: the rolling 4-week figure, and the same weeks a year earlier. Worked out
    once per measure, range and snapshot, and shared (each caller gets its own shallow copies)."""
    return _comparison_overlays(data.data_key(), item.code, first, last)


@on_data_key(256)
def _comparison_overlays(key: str, code: str, first: dt.date, last: dt.date) -> dict[str, pd.Series]:
    item = measure(code)
    base = list(item.base_codes)
    recent = trend_rows("Weekly", "national", base, first - dt.timedelta(weeks=3), last)
    earlier = trend_rows("Weekly", "national", base, first - dt.timedelta(weeks=52), last - dt.timedelta(weeks=52))
    return trends.comparison_overlays(recent, earlier, item, first)


def year_on_year_words(item: Measure, last: dt.date, weeks: int = 12) -> str:
    """Kept per snapshot, measure and week: the sentence changes only when the data does. A sentence cannot
    be changed by its reader, so it is shared as it is."""
    return _year_on_year_words(data.data_key(), item.code, last, weeks)


@on_data_key(256)
def _year_on_year_words(key: str, code: str, last: dt.date, weeks: int) -> str:
    item = measure(code)
    rows = trend_rows("Weekly", "national", list(item.base_codes), last - dt.timedelta(weeks=52 + weeks), last)
    return same_weeks_last_year(rows, item, last, weeks, events=data.query("events")).words(item)


def shown_for_audience(table: pd.DataFrame, item: Measure) -> pd.DataFrame:
    """For wider circulation, small counts (and what would give them away) become gaps, and the page says so."""
    if not wider_circulation() or item.kind != MeasureKind.COUNT:
        return table
    hidden_table, hidden = trends.for_wider_circulation(table)
    if hidden:
        st.caption(f"For wider circulation: {hidden} small figures are left out of the chart below (gaps).")
    return hidden_table


LIMITS_KEY = "limits"
SHOW_LIMITS = "Show mean and limits"


def with_limits(
    figure: go.Figure, control: variation.Control, item: Measure, judged: bool = True, annotate: bool = True
) -> go.Figure:
    """The chart with the verdict's own control chart drawn over it (the card's Control, never worked out
    again): its mean, limits and special-cause points. `judged` False (a provisional week): the week judged is
    not marked, since it is judged on nothing."""
    return charts.with_control(figure, *control_lines(control, item, judged), annotate=annotate)


def control_lines(control: variation.Control, item: Measure, judged: bool = True) -> charts.ControlLines:
    """What a chart draws of the verdict's control chart, as plain values (so a figure with them is built once
    per table and verdict). `judged` False: the week judged is not marked."""
    return (
        control.mean,
        control.limits.lower,
        control.limits.upper,
        control.span,
        marked_special_causes(control, item, judged),
        control.method == variation.POISSON,
        control.baseline_words(),
        item.kind == MeasureKind.RATE,
    )


def card_control(item: Measure, week: dt.date) -> variation.Control | None:
    """The XmR chart behind the overview card's verdict on `item` for `week` (restricted circulation: the wider
    one draws only the release's figures), as the cached overview holds it (a Control is never changed)."""
    if wider_circulation():
        return None
    card = next((card for card in data.weekly_overview(week).cards if card.measure.code == item.code), None)
    return card.control if card is not None else None


def provisional_mark(week: dt.date) -> tuple[dt.date, str] | None:
    """(week, 'provisional: 28 of 49 returns') when the week is provisional, for a chart to draw it apart."""
    position = data.release().position
    receipts = position.receipts(week)
    if receipts is None or receipts.is_complete:
        return None
    return week, receipts.words()


def limits_shown(control: variation.Control | None, key: str = LIMITS_KEY) -> bool:
    """The 'Show mean and limits' switch (on by default, held in the URL) where there is a verdict to draw."""
    return control is not None and linked_toggle(
        SHOW_LIMITS, key=key, default=True, help="The mean and limits the card's verdict is judged on."
    )


def trend_card(
    item: Measure,
    rows: pd.DataFrame,
    period: str,
    first: dt.date,
    last: dt.date,
    key: str,
    overlays: dict[str, pd.Series] | None = None,
    control: variation.Control | None = None,
) -> None:
    """A trend chart of one measure by group with events marked, its description, definition and numbers;
    with `control` (the verdict's XmR chart of the national weekly figure), its mean and limits when the
    switch is on."""
    table = shown_for_audience(_measure_table(rows, item), item)
    title = f"{item.label}, {period.lower()}, {format_date(first)} to {format_date(last)}"
    percent = item.kind == MeasureKind.RATE
    if control is not None and limits_shown(control):
        figure = charts.group_trend_with_control(
            table, item.short_label, data.events(), title, percent, overlays, control_lines(control, item)
        )
    else:
        figure = charts.group_trend(
            table, item.short_label, data.events(), title, percent=percent, extra_lines=overlays
        )
    numbers, words = _numbers_and_words(item, table, period)
    chart_card(
        figure,
        words,
        numbers,
        f"{item.code}_{period.lower()}.csv",
        key,
        about=item.definition,
        count_columns=[item.code] if item.kind == MeasureKind.COUNT else None,
    )


@memoised
def _measure_table(rows: pd.DataFrame, item: Measure) -> pd.DataFrame:
    """The measure by group from the rows of the page's query (worked out once per rows, not per rerun)."""
    return series_by_group(rows[rows["measure_code"].isin(item.base_codes)], item)


@memoised
def _numbers_and_words(item: Measure, table: pd.DataFrame, period: str) -> tuple[pd.DataFrame, str]:
    """The card's table of numbers and its text alternative, once per table."""
    numbers = table.rename(columns={"period_start": "period_starting", "group_name": "group", "value": item.code})
    return numbers, describe_series(item, table, period)
