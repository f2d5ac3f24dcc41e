"""The regional maps' numbers and colours: a measure for each force (or ROCU region) over a period, on a
basis (count, per 100,000 residents, change on the previous period), classified into stated colour classes."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from taskforce.core.formats import format_date, format_value, is_missing
from taskforce.measures import palette
from taskforce.measures.registry import Measure

PERIODS = ["Last week", "Last 4 weeks", "Last 12 weeks", "Year to date", "Custom range"]
BASES = ["Count", "Per 100,000 residents", "Change on previous period"]
LEVELS = ["Force", "ROCU region"]
SEQUENTIAL = list(palette.SEQUENTIAL)  # Analysis Function blues, light to dark
DIVERGING = list(palette.DIVERGING)  # falls (orange) to rises (blue)
CHANGE_BREAKS = [-0.25, -0.05, 0.05, 0.25]
NO_RETURN_COLOUR = palette.NO_RETURN
NO_RETURN = "No return"


def period_bounds(
    choice: str, last_week: dt.date, custom: tuple[dt.date, dt.date] | None = None
) -> tuple[dt.date, dt.date]:
    """First and last week endings of a period choice (inclusive)."""
    if choice == "Custom range" and custom:
        return custom
    weeks = {"Last week": 1, "Last 4 weeks": 4, "Last 12 weeks": 12}.get(choice)
    if weeks:
        return last_week - dt.timedelta(weeks=weeks - 1), last_week
    first_sunday = dt.date(last_week.year, 1, 1) + dt.timedelta(days=(6 - dt.date(last_week.year, 1, 1).weekday()) % 7)
    return first_sunday, last_week


def previous_period(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The period of the same length just before."""
    length = last - first + dt.timedelta(weeks=1)
    return first - length, last - length


def _area_values(rows: pd.DataFrame, areas: pd.DataFrame, area_column: str, item: Measure) -> pd.DataFrame:
    """The measure for each area from the rows of its base measures; an area with no return has None."""
    wide = rows.pivot_table(index="org_code", columns="measure_code", values="value", aggfunc="sum")
    joined = areas.join(wide, on="org_code")
    joined["population"] = joined["population"].astype("Float64").astype("float64")  # BTP has none
    codes = list(item.base_codes)
    for code in codes:
        if code not in joined:
            joined[code] = np.nan
    grouped = joined.groupby(area_column, sort=False).agg(
        {**{code: lambda s: s.sum(min_count=1) for code in codes}, "population": "sum"}
    )
    grouped["value"] = [item.value_from({c: row[c] for c in codes}) for _, row in grouped.iterrows()]
    grouped["value"] = grouped["value"].astype("float64")
    grouped["returned"] = grouped[codes].notna().any(axis=1)
    return grouped[["value", "population", "returned"]]


@dataclass(frozen=True)
class Classes:
    breaks: list[float]  # upper bounds of all but the last class
    colours: list[str]
    labels: list[str]


def classify_sequential(values: pd.Series, item: Measure, basis: str) -> Classes:
    """Five classes at the quintiles of the values shown (rounded to sensible numbers)."""
    present = values.dropna()
    if present.empty:
        return Classes([], [SEQUENTIAL[0]], ["all"])
    quantiles = sorted(set(_round_nicely(q) for q in present.quantile([0.2, 0.4, 0.6, 0.8]).tolist()))
    labels, lower = [], None
    for upper in quantiles + [None]:
        low = "" if lower is None else _format_basis(lower, item, basis)
        high = "" if upper is None else _format_basis(upper, item, basis)
        labels.append(
            f"up to {high}" if lower is None else (f"{low} and over" if upper is None else f"{low} to {high}")
        )
        lower = upper
    return Classes(quantiles, SEQUENTIAL[-len(labels) :] if len(labels) < 5 else SEQUENTIAL, labels)


def classify_change() -> Classes:
    labels = ["down 25% or more", "down 5% to 25%", "within 5%", "up 5% to 25%", "up 25% or more"]
    return Classes(CHANGE_BREAKS, DIVERGING, labels)


def class_of(value: float | None, classes: Classes) -> int | None:
    if is_missing(value):
        return None
    return int(np.searchsorted(classes.breaks, value, side="left"))


def _round_nicely(value: float) -> float:
    if value == 0:
        return 0.0
    magnitude = 10 ** math.floor(math.log10(abs(value)))
    return round(value / magnitude * 2) / 2 * magnitude


def _format_basis(value: float, item: Measure, basis: str) -> str:
    if basis == "Change on previous period":
        return f"{value:+.0%}"
    if basis == "Per 100,000 residents" and item.kind != "rate":
        return f"{value:,.2f}" if abs(value) < 10 else f"{value:,.1f}"
    return format_value(item, value)


def map_table(
    current: pd.DataFrame, previous: pd.DataFrame, forces: pd.DataFrame, item: Measure, basis: str, level: str
) -> tuple[pd.DataFrame, Classes]:
    """One row per area (force or ROCU region) with the value on the chosen basis, its rank, the change,
    the colour class and the words for the tooltip; and the classes for the legend."""
    area_column = "org_code" if level == "Force" else "rocu_region"
    now = _area_values(current, forces, area_column, item)
    before = _area_values(previous, forces, area_column, item)
    table = now.join(before["value"].rename("previous"))
    table["per_100k"] = table["value"] / table["population"].replace(0, np.nan) * 100_000
    if item.kind == "rate":
        table["per_100k"] = table["value"]  # a rate is already relative: shown as it is
    table["change"] = [
        (v - p) / p if not (is_missing(v) or is_missing(p) or p == 0) else np.nan
        for v, p in zip(table["value"], table["previous"], strict=False)
    ]
    shown_column = {"Count": "value", "Per 100,000 residents": "per_100k", "Change on previous period": "change"}[basis]
    table["shown"] = table[shown_column]
    table["rank"] = table["shown"].rank(ascending=False, method="min")
    classes = classify_change() if shown_column == "change" else classify_sequential(table["shown"], item, basis)
    class_numbers = [class_of(v, classes) for v in table["shown"]]
    table["class"] = pd.array(class_numbers, dtype="Int64")
    table["colour"] = [NO_RETURN_COLOUR if c is None else classes.colours[c] for c in class_numbers]
    table["shown_text"] = [
        NO_RETURN if not returned else ("no data" if is_missing(s) else _format_basis(s, item, basis))
        for returned, s in zip(table["returned"], table["shown"], strict=False)
    ]
    unit = "" if item.kind in ("rate", "money") else f" {item.unit}"
    table["value_text"] = [NO_RETURN if is_missing(v) else format_value(item, v) + unit for v in table["value"]]
    table["change_text"] = [
        "no comparison" if is_missing(c) else f"{c:+.0%} on the previous period" for c in table["change"]
    ]
    table["rank_text"] = [
        "" if is_missing(r) else f"rank {int(r)} of {int(table['rank'].notna().sum())}" for r in table["rank"]
    ]
    return table.reset_index().rename(columns={area_column: "area"}), classes


def describe_map(table: pd.DataFrame, item: Measure, basis: str, level: str, first: dt.date, last: dt.date) -> str:
    """The map's text alternative: what it shows, the highest and lowest areas, and those with no return."""
    shown = table.dropna(subset=["shown"]).sort_values("shown", ascending=False)
    name = "area_name" if "area_name" in table else "area"
    missing = table[table["shown_text"] == NO_RETURN][name].tolist()
    text = (
        f"Map of {item.label} ({basis.lower()}) by {'force' if level == 'Force' else 'ROCU region'}, "
        f"weeks ending {format_date(first)} "
        f"to {format_date(last)}."
    )
    if not shown.empty:
        top, bottom = shown.iloc[0], shown.iloc[-1]
        text += f" Highest: {top[name]} ({top['shown_text']}). Lowest: {bottom[name]} ({bottom['shown_text']})."
    if missing:
        text += f" No return: {', '.join(missing)}."
    return text
