"""UK formats for numbers, money, rates and dates, as every page and export shows them."""

from __future__ import annotations

import datetime as dt
import math
from typing import Protocol

import pandas as pd

from taskforce.core.kinds import MeasureKind


class Measured(Protocol):
    """Anything with a measure's kind (count, money, total or rate): a Measure from the registry."""

    @property
    def kind(self) -> str: ...


NO_DATA = "no data"
SMALL_BASE = 10  # below this, a percentage change says more than the counts do: give the counts
RANK_MINIMUM_BASE = 10  # a rate on fewer than this many (arrests, people encountered, counted events) is not ranked


def is_missing(value: float | None) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def format_count(value: float | None) -> str:
    return NO_DATA if is_missing(value) else f"{value:,.0f}"


def format_pounds(value: float | None) -> str:
    return NO_DATA if is_missing(value) else f"£{value:,.0f}"


def format_percent(fraction: float | None, decimals: int = 1) -> str:
    return NO_DATA if fraction is None or is_missing(fraction) else f"{fraction * 100:.{decimals}f}%"


def format_value(measure: Measured, value: float | None) -> str:
    if measure.kind == MeasureKind.RATE:
        return format_percent(value)
    if measure.kind == MeasureKind.MONEY:
        return format_pounds(value)
    return format_count(value)


def as_date(value) -> dt.date | None:
    """A date from a date, datetime, pandas Timestamp or ISO text (query results hold dates as Timestamps)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def format_date(day: dt.date | dt.datetime | None) -> str:
    """5 Jan 2026: day without a leading zero, abbreviated month, four-digit year."""
    day = as_date(day)
    if day is None:
        return NO_DATA
    return f"{day.day} {day:%b %Y}"


def format_datetime(moment: dt.datetime | None) -> str:
    return NO_DATA if moment is None else f"{format_date(moment)} {moment:%H:%M}"


def format_change(measure: Measured, change: float | None) -> str:
    """A signed change in the measure's own unit: +12, -£3,400, +4.2 points."""
    if change is None or is_missing(change):
        return NO_DATA
    sign = "+" if change > 0 else ("-" if change < 0 else "±")
    size = abs(change)
    if measure.kind == MeasureKind.RATE:
        return f"{sign}{size * 100:.1f} points"
    if measure.kind == MeasureKind.MONEY:
        return f"{sign}£{size:,.0f}"
    return f"{sign}{size:,.0f}"


def join_words(items: list[str]) -> str:
    """Kent, Essex and Sussex."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def percent_change_allowed(reference: float | None) -> bool:
    """A percentage change only on a base of at least SMALL_BASE (2 to 8 is not '+300%')."""
    return reference is not None and not is_missing(reference) and abs(reference) >= SMALL_BASE


def plural(count: int, one: str, many: str | None = None) -> str:
    """'1 return', '3 returns' ('1 recommendation', '2 recommendations')."""
    return f"{count} {one if count == 1 else (many or one + 's')}"
