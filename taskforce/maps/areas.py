"""The regional maps' numbers and colours: a measure for each force (or ROCU region) over a period, on a
basis (count, per 100,000 residents, change on the previous period), classified into stated colour classes."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from taskforce.core import disclosure
from taskforce.core.formats import RANK_MINIMUM_BASE, format_date, format_value, is_missing, percent_change_allowed
from taskforce.core.kinds import Aggregation, MeasureKind
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


def _area_values(
    rows: pd.DataFrame, areas: pd.DataFrame, area_column: str, item: Measure, weeks_in_period: int
) -> pd.DataFrame:
    """The measure for each area from the rows of its base measures; an area with no return has None, and one
    where an organisation returned only some of the period's weeks (a flow) is partial."""
    wide = rows.pivot_table(index="org_code", columns="measure_code", values="value", aggfunc="sum")
    joined = areas.join(wide, on="org_code")
    joined["population"] = joined["population"].astype("Float64").astype("float64")  # BTP has none
    codes = list(item.base_codes)
    for code in codes:
        if code not in joined:
            joined[code] = np.nan
    short = set()
    if "weeks_reported" in rows and item.aggregation == Aggregation.FLOW:
        short = set(rows.loc[rows["weeks_reported"] < weeks_in_period, "org_code"])
    joined["partial"] = joined["org_code"].isin(short)
    grouped = joined.groupby(area_column, sort=False).agg(
        {**{code: lambda s: s.sum(min_count=1) for code in codes}, "population": "sum", "partial": "any"}
    )
    grouped["value"] = [item.value_from({c: row[c] for c in codes}) for _, row in grouped.iterrows()]
    grouped["value"] = grouped["value"].astype("float64")
    grouped["returned"] = grouped[codes].notna().any(axis=1)
    # what a rate stands on: its denominator's sum (arrests for a charge rate); a count stands on itself
    grouped["base"] = (
        grouped[item.denominator] if item.kind == MeasureKind.RATE and item.denominator else grouped["value"]
    )
    return grouped[["value", "population", "returned", "partial", "base"]]


@dataclass(frozen=True)
class Classes:
    breaks: list[float]  # upper bounds of all but the last class
    colours: list[str]
    labels: list[str]
    keys: tuple[tuple[str, str], ...] = ()  # (colour, words) for areas outside the classes
    unclassed: str = palette.NO_RETURN  # an area with a return but no value on this basis (a change on a small base)


# Classes are steps of one ladder, scaled by a power of ten to the measure's typical size, so they stay the
# same from week to week and each label is exact for whole numbers: 0 | 1 to 2 | 3 to 5 | 6 to 10 | 11 to 20 |
# 21 and over (times 10, 100... for larger measures).
LADDER = (2, 5, 10, 20)
SMALL_POPULATION = 100_000  # a rate per 100,000 residents of fewer residents swings on a handful of cases
MAP_CLASSES_METHOD = (
    "Map classes: six classes from zero up, the steps of one ladder (0, 1 to 2, 3 to 5, 6 to 10, 11 to 20, 21 "
    "and over) times a power of ten that suits the measure's typical area, so the classes stay the same from "
    "week to week and each label is exact. A change is classed as down 25% or more, down 5 to 25%, within 5%, up "
    "5 to 25%, up 25% or more, and only on a base of 10 or more. An area with no return, a partial return, "
    f"no resident population or fewer than {SMALL_POPULATION:,} residents (for a rate per 100,000) has a key of "
    "its own and no rank. A rate (a charge rate, or a count per 100,000 residents) is ranked only on a base of at "
    f"least {RANK_MINIMUM_BASE} (its arrests, or the count itself): below that it is shown but not ranked, so a "
    "force with 1 arrest and 2 charges (200%) is never ranked first. Limits: a class is a band, not a test: two "
    "areas in different classes may not differ by more than chance; the funnel plot beside the table tests that."
)
KEYS = {
    NO_RETURN: palette.NO_RETURN,
    "Partial return (not comparable)": palette.PARTIAL_RETURN,
    "Too few residents for a reliable rate": palette.UNRELIABLE,
    "Not applicable (no resident population)": palette.NOT_APPLICABLE,
}


def ladder_scale(typical: float) -> float:
    """The power of ten that puts a typical area in the lower middle of the ladder."""
    return float(10 ** max(0, math.floor(math.log10(max(typical, 1.0) / 2))))


def classify_ladder(typical: float, item: Measure, basis: str, whole_numbers: bool) -> Classes:
    """Six stable classes from zero up, labelled exactly: for whole numbers '1 to 2', '3 to 5'...; for
    rates and per-100,000 values 'over 0 to 2', 'over 2 to 5'..."""
    scale = ladder_scale(typical) if whole_numbers else _decimal_scale(typical)
    tops = [step * scale for step in LADDER]
    labels = [_format_basis(0, item, basis)]
    lower = 0.0
    for top in tops:
        if whole_numbers:
            labels.append(f"{_format_basis(lower + 1, item, basis)} to {_format_basis(top, item, basis)}")
        else:
            labels.append(f"over {_format_basis(lower, item, basis)} to {_format_basis(top, item, basis)}")
        lower = top
    labels.append(
        f"{_format_basis(lower + 1, item, basis)} and over"
        if whole_numbers
        else f"over {_format_basis(lower, item, basis)}"
    )
    return Classes(
        [0.0, *tops], [palette.ZERO, *SEQUENTIAL], labels, tuple((colour, label) for label, colour in KEYS.items())
    )


def _decimal_scale(typical: float) -> float:
    if typical <= 0:
        return 1.0
    return float(10 ** math.floor(math.log10(typical / 2)))


def classify_change() -> Classes:
    labels = ["down 25% or more", "down 5% to 25%", "within 5%", "up 5% to 25%", "up 25% or more"]
    keys = (
        (NO_RETURN_COLOUR, NO_RETURN),
        (palette.PARTIAL_RETURN, "Partial return (not comparable)"),
        (palette.SMALL_BASE, "No change on a base under 10, or no comparison"),
    )
    return Classes(CHANGE_BREAKS, DIVERGING, labels, keys, unclassed=palette.SMALL_BASE)


def class_of(value: float | None, classes: Classes) -> int | None:
    if value is None or is_missing(value):
        return None
    return int(np.searchsorted(classes.breaks, value, side="left"))


def _format_basis(value: float, item: Measure, basis: str) -> str:
    if basis == "Change on previous period":
        return f"{value:+.0%}"
    if basis == "Per 100,000 residents" and item.kind != MeasureKind.RATE:
        return f"{value:,.2f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}".rstrip("0").rstrip(".")
    return format_value(item, value)


def _typical(table: pd.DataFrame, column: str) -> float:
    """The median area's value, which sets the ladder's scale (a power of ten: it moves only by decades)."""
    values = table[column].dropna()
    return float(values.median()) if not values.empty else 0.0


def map_table(
    current: pd.DataFrame,
    previous: pd.DataFrame,
    forces: pd.DataFrame,
    item: Measure,
    basis: str,
    level: str,
    weeks_in_period: int = 1,
) -> tuple[pd.DataFrame, Classes]:
    """One row per area (force or ROCU region) with the value on the chosen basis, its rank, the change,
    the colour class and the words for the tooltip; and the classes for the legend. Areas outside the classes
    (no return, a partial return, too few residents for a rate, no resident population) have keys of their own
    and no rank, so nothing is compared that is not comparable."""
    area_column = "org_code" if level == "Force" else "rocu_region"
    now = _area_values(current, forces, area_column, item, weeks_in_period)
    before = _area_values(previous, forces, area_column, item, weeks_in_period)
    table = now.join(before["value"].rename("previous"))
    table["per_100k"] = table["value"] / table["population"].replace(0, np.nan) * 100_000
    if item.kind == MeasureKind.RATE:
        table["per_100k"] = table["value"]  # a rate is already relative: shown as it is
    table["change"] = [
        (v - p) / p if not (is_missing(v) or is_missing(p)) and percent_change_allowed(p) else np.nan
        for v, p in zip(table["value"], table["previous"], strict=True)
    ]
    shown_column = {"Count": "value", "Per 100,000 residents": "per_100k", "Change on previous period": "change"}[basis]
    table["key"] = [_key(row, basis, item) for row in table.itertuples()]
    table["shown"] = table[shown_column].where(table["key"].isna())
    table["rank"] = table["shown"].where(rankable(table, item, basis)).rank(ascending=False, method="min")
    whole = basis == "Count" and item.kind in (MeasureKind.COUNT, MeasureKind.TOTAL, MeasureKind.MONEY)
    classes = (
        classify_change() if shown_column == "change" else classify_ladder(_typical(table, "shown"), item, basis, whole)
    )
    class_numbers = [class_of(v, classes) for v in table["shown"]]
    table["class"] = pd.array(class_numbers, dtype="Int64")
    table["colour"] = [
        KEYS.get(key, classes.unclassed) if c is None else classes.colours[c]
        for c, key in zip(class_numbers, table["key"], strict=True)
    ]
    table["shown_text"] = [
        key if isinstance(key, str) else _shown_words(s, item, basis)
        for key, s in zip(table["key"], table["shown"], strict=True)
    ]
    unit = "" if item.kind in (MeasureKind.RATE, MeasureKind.MONEY) else f" {item.unit}"
    table["value_text"] = [NO_RETURN if is_missing(v) else format_value(item, v) + unit for v in table["value"]]
    table["change_text"] = [_change_words(c, p, item) for c, p in zip(table["change"], table["previous"], strict=True)]
    table["rank_text"] = [
        "not ranked" if is_missing(r) else f"rank {int(r)} of {int(table['rank'].notna().sum())}" for r in table["rank"]
    ]
    return table.reset_index().rename(columns={area_column: "area"}), classes


def rankable(table: pd.DataFrame, item: Measure, basis: str) -> pd.Series:
    """A count is ranked as it is; a rate (a charge rate, or a count per 100,000 residents) only on a base of
    at least RANK_MINIMUM_BASE (its arrests, or the count itself): 2 charges on 1 arrest (200%), or 1 arrest in
    a small force, is shown but never ranked first. A change is ranked only where a percentage is given.
    `table` has the shown figure's `base`: the rate's denominator, or the count itself."""
    if basis == "Change on previous period" or (basis == "Count" and item.kind != MeasureKind.RATE):
        return pd.Series(True, index=table.index)
    return table["base"].fillna(0) >= RANK_MINIMUM_BASE


def _change_words(change: float, previous: float, item: Measure) -> str:
    """'+14% on the previous period'; on a base under 10, the previous count instead of a percentage."""
    if not is_missing(change):
        return f"{change:+.0%} on the previous period"
    return "no comparison" if is_missing(previous) else f"{format_value(item, previous)} in the previous period"


def _shown_words(value: float, item: Measure, basis: str) -> str:
    return "no data" if is_missing(value) else _format_basis(value, item, basis)


def _key(row, basis: str, item: Measure) -> str | None:
    """The key an area takes instead of a class, if any."""
    if not row.returned:
        return NO_RETURN
    if row.partial:
        return "Partial return (not comparable)"
    if basis == "Per 100,000 residents" and item.kind != MeasureKind.RATE:
        if not row.population or is_missing(row.population):
            return "Not applicable (no resident population)"
        if row.population < SMALL_POPULATION:
            return "Too few residents for a reliable rate"
    return None


def describe_map(table: pd.DataFrame, item: Measure, basis: str, level: str, first: dt.date, last: dt.date) -> str:
    """The map's text alternative: what it shows, the highest and lowest areas, and those with no return."""
    numeric = table.assign(shown=pd.to_numeric(table["shown"], errors="coerce"))  # [c] for wider circulation
    shown = numeric.dropna(subset=["shown"]).sort_values("shown", ascending=False)
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


def hidden_in_release(table: pd.DataFrame, hidden: set[str]) -> pd.DataFrame:
    """A map table built from a protected release's shown cells (hidden ones left out, so they are unranked and
    unclassed), with the areas whose count the release hides marked [c] in the hidden colour instead of "no
    return". The previous period's words stay as the release gave them: its count where it is shown."""
    is_hidden = table["area"].isin(hidden)
    marked = table.astype({"value": "object", "shown_text": "object", "value_text": "object", "key": "object"})
    for column in ("value", "shown_text", "value_text", "key"):
        marked.loc[is_hidden, column] = disclosure.SUPPRESSED
    marked.loc[is_hidden, "colour"] = palette.HIDDEN
    return marked


def for_wider_circulation(table: pd.DataFrame, classes: Classes) -> tuple[pd.DataFrame, Classes]:
    """The map table as it may be shown for wider circulation: counts from 1 to the threshold hidden as [c]
    across every area (so the national total cannot give one back, with secondary suppression), every figure
    derived from a hidden count hidden with it (value shown, per 100,000, change, rank, the base a rate's rank
    stands on), and the lowest classes
    merged into one ('0 to 5'), so no colour isolates a count of 1 or 2."""
    words = ["shown_text", "value_text", "change_text", "rank_text", "per_100k", "change", "shown", "rank", "base"]
    hidden = disclosure.suppress(table, ["value"], derived_columns=[c for c in words if c in table])
    is_hidden = hidden["value"].eq(disclosure.SUPPRESSED)
    hidden, classes = small_classes_merged(hidden, classes)
    hidden.loc[is_hidden, "rank"] = np.nan  # a hidden count is not ranked: its place would bound it
    return hidden, classes


def small_classes_merged(table: pd.DataFrame, classes: Classes) -> tuple[pd.DataFrame, Classes]:
    """For wider circulation the lowest classes become one: '0 to 5' covers every hidden count up to 4, so no
    colour or legend entry isolates a count of 1 or 2."""
    merged_top = 3  # classes 0, 1 to 2 and 3 to 5
    if len(classes.labels) <= merged_top or classes.labels[0] != "0":
        return table, classes
    label = f"0 to {classes.labels[merged_top - 1].split(' to ')[-1]}"
    colour = classes.colours[merged_top - 1]
    merged = table.assign(colour=[colour if c in classes.colours[:merged_top] else c for c in table["colour"]])
    return merged, Classes(
        classes.breaks[merged_top - 1 :],
        [colour, *classes.colours[merged_top:]],
        [label, *classes.labels[merged_top:]],
        classes.keys,
        classes.unclassed,
    )
