"""Trend series and their comparisons: rates per period, rolling averages, the same weeks last year, and a
chart description in words. Input is the trend_series query's rows; output is tables and sentences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from taskforce.core import disclosure
from taskforce.core.formats import format_date, format_value, is_missing, join_words, percent_change_allowed
from taskforce.core.kinds import MeasureKind
from taskforce.core.memo import memoised
from taskforce.measures.registry import Measure

PERIODS = {"Weekly": "week", "Monthly": "month", "Quarterly": "quarter"}
SPLITS = {"National": "national", "By agency": "agency", "By ROCU region": "region", "Chosen forces": "force"}


@memoised
def series_by_group(rows: pd.DataFrame, item: Measure) -> pd.DataFrame:
    """One measure (reported, total or rate) per period and group, from the rows of its base measures.
    Columns: period_start, group_name, value (None where it cannot be known, e.g. a zero denominator)."""
    if rows.empty:
        return pd.DataFrame(columns=["period_start", "group_name", "value"])
    wide = rows.pivot_table(index=["period_start", "group_name"], columns="measure_code", values="value", aggfunc="sum")
    values = wide.apply(lambda parts: item.value_from(parts.to_dict()), axis=1)
    result = values.rename("value").reset_index()
    result["period_start"] = pd.to_datetime(result["period_start"]).dt.date
    result["value"] = result["value"].astype("float64")
    return result


def rolling_average(series: pd.Series, weeks: int = 4) -> pd.Series:
    """The mean of the last `weeks` values; none until there are that many (no average of a partial window)."""
    return series.rolling(weeks, min_periods=weeks).mean()


def rolling_measure(weekly_parts: pd.DataFrame, item: Measure, weeks: int = 4) -> pd.Series:
    """A measure over a rolling window of `weeks` weeks, from weekly rows (period_start, measure_code, value)
    of its base measures: the weekly mean of a count, and for a rate the ratio of the summed parts (a rate of
    the four weeks, never a mean of four weekly ratios). None until the window is full."""
    if weekly_parts.empty:
        return pd.Series(dtype="float64")
    wide = weekly_parts.pivot_table(index="period_start", columns="measure_code", values="value", aggfunc="sum")
    wide.index = pd.to_datetime(wide.index).date
    span = (wide.index.max() - wide.index.min()).days // 7 + 1
    calendar = [wide.index.min() + dt.timedelta(weeks=n) for n in range(span)]
    summed = wide.reindex(calendar).rolling(weeks, min_periods=weeks).sum()  # a missing week is a gap, never bridged
    values = summed.apply(lambda parts: item.value_from(parts.to_dict()), axis=1).astype("float64")
    return values if item.kind == MeasureKind.RATE else values / weeks


def a_year_on(series: pd.Series) -> pd.Series:
    """A weekly series moved 52 weeks later, so that last year's weeks line up with this year's."""
    moved = series.copy()
    moved.index = [week + dt.timedelta(weeks=52) for week in series.index]
    return moved


def comparison_overlays(
    recent_parts: pd.DataFrame, earlier_parts: pd.DataFrame, item: Measure, first: dt.date
) -> dict[str, pd.Series]:
    """The reference lines of a weekly national chart from `first`: the rolling 4-week figure (`recent_parts`
    must start three weeks before `first`, so the first point has a full window) and the same weeks a year
    earlier (`earlier_parts`, the rows 52 weeks before)."""
    rolling = rolling_measure(recent_parts, item)
    earlier = series_by_group(earlier_parts, item)
    last_year = a_year_on(earlier.set_index("period_start")["value"]) if not earlier.empty else pd.Series(dtype=float)
    return {
        "Rolling 4-week average": rolling[[week >= first for week in rolling.index]],
        "Same weeks last year": last_year,
    }


@dataclass(frozen=True)
class YearOnYear:
    current: float | None
    previous: float | None
    weeks_compared: int
    weeks_asked: int
    events: tuple[str, ...] = ()  # dated events inside either period, by name
    without_events: YearOnYear | None = None  # the same comparison without the weeks of a short operation

    @property
    def relative_change(self) -> float | None:
        if self.current is None or self.previous is None or is_missing(self.current) or not self.previous:
            return None
        return (self.current - self.previous) / self.previous

    def figures(self, item: Measure) -> str:
        return f"({format_value(item, self.current)} against {format_value(item, self.previous)})"

    def change_words(self, item: Measure) -> str:
        """'down 16%'; in points for a rate; the difference in counts on a small base (under 10)."""
        if item.kind == MeasureKind.RATE:
            points = ((self.current or 0.0) - (self.previous or 0.0)) * 100
            direction = "up" if points > 0 else ("down" if points < 0 else "level")
            return f"{direction} {abs(points):.1f} points"
        change = self.relative_change
        if change is None or not percent_change_allowed(self.previous):
            difference = (self.current or 0.0) - (self.previous or 0.0)
            direction = "up" if difference > 0 else ("down" if difference < 0 else "level")
            return f"{direction} {format_value(item, abs(difference))}"
        if round(abs(change), 2) < 0.01:  # under half a per cent either way: "down 0%" says nothing
            return "level (within 0.5%)"
        direction = "up" if change > 0 else "down"
        return f"{direction} {abs(change):.0%}"

    def words(self, item: Measure) -> str:
        """'Down 16% on the same 12 weeks last year (412 against 491). The weeks include Operation Lockstream;
        without its weeks in both years: down 3% (380 against 392).'"""
        span = f"the same {self.weeks_asked} weeks last year"
        if self.weeks_compared == 0 or is_missing(self.current) or is_missing(self.previous):
            return f"No comparison with {span}: no data."
        partial = (
            ""
            if self.weeks_compared == self.weeks_asked
            else f" Only {self.weeks_compared} of the {self.weeks_asked} weeks have returns in both years."
        )
        change = self.change_words(item)
        sentence = f"{change[0].upper()}{change[1:]} on {span} {self.figures(item)}.{partial}"
        if not self.events:
            return sentence
        sentence += f" The weeks include {join_words(list(self.events))}"
        if self.without_events is not None and self.without_events.weeks_compared:
            without = self.without_events
            return sentence + (
                f"; without those weeks in both years: {without.change_words(item)} {without.figures(item)}."
            )
        return sentence + "."


SHORT_EVENT_DAYS = 56  # an operation of up to 8 weeks is left out for the comparison 'without' it


def _weeks_touched(events: pd.DataFrame | None, weeks: list[dt.date]) -> dict[str, set[dt.date]]:
    """For each event, the weeks (Monday to Sunday, named by their Sunday) that it falls in."""
    touched: dict[str, set[dt.date]] = {}
    if events is None or events.empty:
        return touched
    for event in events.itertuples(index=False):
        start = pd.Timestamp(str(event.event_date)).date()
        end = start if pd.isna(event.end_date) else pd.Timestamp(str(event.end_date)).date()
        hits = {week for week in weeks if start <= week and week - dt.timedelta(days=6) <= end}
        if hits:
            touched[str(event.label)] = hits
    return touched


@memoised
def same_weeks_last_year(
    weekly_parts: pd.DataFrame, item: Measure, last_week: dt.date, weeks: int = 12, events: pd.DataFrame | None = None
) -> YearOnYear:
    """The latest `weeks` weeks against the same weeks 52 weeks earlier, counting only weeks that have a
    value in both years (a missing return must not read as a fall). `weekly_parts`: national weekly rows
    (period_start, measure_code, value) of the measure's base measures. Dated events inside either period are
    named, and a short operation's weeks are left out for a second figure without them."""
    recent = [last_week - dt.timedelta(weeks=n) for n in range(weeks)]
    by_week = weekly_parts.pivot_table(index="period_start", columns="measure_code", values="value", aggfunc="sum")
    by_week.index = pd.to_datetime(by_week.index).date
    complete = by_week.dropna()
    paired = [week for week in recent if week in complete.index and week - dt.timedelta(weeks=52) in complete.index]
    comparison = _compare_weeks(complete, item, paired, weeks)
    touched = _weeks_touched(events, paired + [week - dt.timedelta(weeks=52) for week in paired])
    if not touched or comparison.weeks_compared == 0:
        return comparison
    short = set().union(*(hits for label, hits in touched.items() if _is_short(events, label)))
    kept = [week for week in paired if week not in short and week - dt.timedelta(weeks=52) not in short]
    without = _compare_weeks(complete, item, kept, weeks) if short else None
    return YearOnYear(
        comparison.current, comparison.previous, comparison.weeks_compared, weeks, tuple(touched), without
    )


def _is_short(events: pd.DataFrame | None, label: str) -> bool:
    if events is None:
        return False
    row = events[events["label"] == label].iloc[0]
    if pd.isna(row["end_date"]):
        return False
    days = (pd.Timestamp(str(row["end_date"])) - pd.Timestamp(str(row["event_date"]))).days
    return days <= SHORT_EVENT_DAYS


def _compare_weeks(complete: pd.DataFrame, item: Measure, paired: list[dt.date], weeks: int) -> YearOnYear:
    if not paired:
        return YearOnYear(None, None, 0, weeks)
    current = item.value_from(complete.loc[paired].sum().to_dict())
    previous = item.value_from(complete.loc[[w - dt.timedelta(weeks=52) for w in paired]].sum().to_dict())
    return YearOnYear(current, previous, len(paired), weeks)


def describe_series(item: Measure, table: pd.DataFrame, period_word: str) -> str:
    """A chart's text alternative: what it shows, its span, the latest value and the highest, per group."""
    if table.empty or table["value"].dropna().empty:
        return f"{item.label}: no data for the chosen period."
    parts = []
    for group, rows in table.dropna(subset=["value"]).groupby("group_name", sort=False):
        peak = rows.loc[rows["value"].idxmax()]
        latest = rows.iloc[-1]
        parts.append(
            f"{group}: latest {format_value(item, latest['value'])} ({format_date(latest['period_start'])}), "
            f"highest {format_value(item, peak['value'])} ({format_date(peak['period_start'])})"
        )
    first, last = table["period_start"].min(), table["period_start"].max()
    return (
        f"{item.label}, {period_word.lower()}, from {format_date(first)} to {format_date(last)}. "
        + "; ".join(parts[:8])
        + ("; and more groups in the table." if len(parts) > 8 else ".")
    )


def for_wider_circulation(table: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """A series by group (period_start, group_name, value) as it may be shown for wider circulation: counts from
    1 to the threshold hidden, with secondary suppression across the groups of a period (whose total is
    published) and down each group's periods; hidden points become gaps. Returns the table and how many points
    were hidden."""
    if table.empty:
        return table, 0
    wide = table.pivot_table(index="period_start", columns="group_name", values="value", aggfunc="sum")
    groups = list(wide.columns)
    hidden = disclosure.suppress(wide.reset_index(), groups).set_index("period_start")
    mask = hidden.eq(disclosure.SUPPRESSED)
    count = int(mask.to_numpy().sum())
    shown = wide.mask(mask).stack(future_stack=True).rename("value").reset_index()
    order = {group: position for position, group in enumerate(dict.fromkeys(table["group_name"]))}
    shown = shown.sort_values(
        ["group_name", "period_start"], key=lambda s: s.map(order) if s.name == "group_name" else s
    )
    return shown[["period_start", "group_name", "value"]].reset_index(drop=True), count
