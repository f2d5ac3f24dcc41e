"""The Regional activity page in wider circulation, read only from one release: the force map and the ROCU map
(values, colour classes, tooltip words, ranks), the table beside them and the force profile.

Both levels come from `tables.area_figures` on the same Release, so a region's figure and its forces' figures are
cells protected together: a region less its shown forces never leaves a single hidden force. The previous period
is protected like the current one; a change is worked out only where both ends are shown; a rank is among shown
values only; a figure per 100,000 is a shown count over a public population, and "not applicable" where there is
no resident population (British Transport Police).
"""

from __future__ import annotations

import pandas as pd

from taskforce.analysis.force_profile import AREAS, PROFILE_MEASURES
from taskforce.core.disclosure import SUPPRESSED
from taskforce.core.formats import NO_DATA, format_value, is_missing
from taskforce.core.kinds import MeasureKind
from taskforce.maps import areas
from taskforce.measures import palette
from taskforce.measures.registry import Measure, measure
from taskforce.measures.vocabulary import NOT_APPLICABLE
from taskforce.release import tables
from taskforce.release.build import Release
from taskforce.release.periods import ReleasePeriod
from taskforce.release.universe import POLICE_FORCES

HIDDEN_KEY = f"{SUPPRESSED} hidden for wider circulation"
NO_POPULATION = "Not applicable (no resident population)"
STATE_WORDS = {
    tables.HIDDEN: SUPPRESSED,
    tables.NO_RETURN: areas.NO_RETURN,
    tables.NO_FIGURE: tables.NO_FIGURE,
    tables.NOT_RELEASED: tables.NOT_RELEASED,
}
BASIS_COLUMN = {"Count": "value", "Per 100,000 residents": "per_100k", "Change on previous period": "change"}


def map_table(
    release: Release, period: ReleasePeriod, item: Measure, basis: str, level: str, forces: pd.DataFrame
) -> tuple[pd.DataFrame, areas.Classes]:
    """The map table of `areas.map_table`, from the release: one row per area with value, per_100k, change,
    previous (None where hidden), the value on the basis (`shown`), its rank among shown values on a base of 10
    (`_ranked_on_a_base`), colour and the
    words of the tooltip and table."""
    table = tables.area_figures(release, period, item, forces, level).rename(columns={"key": "org_key"})
    if item.kind == MeasureKind.RATE:
        table["per_100k"] = table["value"]  # a rate is already relative: shown as it is
    keys = [_key(row, basis, item) for row in table.itertuples()]
    table["key"] = pd.Series(keys, index=table.index, dtype=object)  # None stays None, not a missing string
    table["shown"] = pd.Series(
        [None if key else getattr(row, BASIS_COLUMN[basis]) for key, row in zip(keys, table.itertuples(), strict=True)],
        index=table.index,
        dtype="float64",
    )
    table = _ranked_on_a_base(release, period, table, item, basis)
    whole = basis == "Count" and item.kind in (MeasureKind.COUNT, MeasureKind.TOTAL, MeasureKind.MONEY)
    values = pd.to_numeric(table["shown"], errors="coerce")
    classes = (
        areas.classify_change()
        if basis == "Change on previous period"
        else areas.classify_ladder(float(values.median()) if values.notna().any() else 0.0, item, basis, whole)
    )
    classes = areas.Classes(
        classes.breaks,
        classes.colours,
        classes.labels,
        ((palette.HIDDEN, HIDDEN_KEY), *classes.keys),
        classes.unclassed,
    )
    numbers = [areas.class_of(value, classes) for value in values]
    table["class"] = pd.array(numbers, dtype="Int64")
    keys = [key if isinstance(key, str) else None for key in table["key"]]
    table["colour"] = [_colour(key, number, classes) for key, number in zip(keys, numbers, strict=True)]
    table["shown_text"] = [
        key if key else areas._format_basis(value, item, basis) for key, value in zip(keys, values, strict=True)
    ]
    table["value_text"] = [
        _value_words(value, state, item) for value, state in zip(table["value"], table["state"], strict=True)
    ]
    table["change_text"] = [change_words(row, item) for row in table.itertuples()]
    ranked_count = int(table["rank"].notna().sum())
    table["rank_text"] = [
        "not ranked" if pd.isna(rank) else f"rank {int(rank)} of {ranked_count}" for rank in table["rank"]
    ]
    table["per_100k"] = [_per_100k_words(row, item) for row in table.itertuples()]
    table["value"] = [
        value if state == tables.SHOWN else STATE_WORDS[state]  # [c] in the table and the CSV
        for value, state in zip(table["value"], table["state"], strict=True)
    ]
    return table, classes


def _ranked_on_a_base(
    release: Release, period: ReleasePeriod, table: pd.DataFrame, item: Measure, basis: str
) -> pd.DataFrame:
    """Ranks among the shown figures whose base reaches the minimum (`areas.rankable`): a rate's base is its
    denominator's shown cell (a rate is shown only where all its counts are), a count's base the count itself.
    So "not ranked" beside a shown figure tells of a shown cell under 10, never of a hidden one."""
    denominator = measure(item.denominator) if item.kind == MeasureKind.RATE and item.denominator else None
    bases = (
        [tables.figure(release, period, key, denominator)[0] for key in table["org_key"]]
        if denominator is not None
        else table["value"].tolist()
    )
    with_base = table.assign(base=pd.Series(bases, index=table.index, dtype="float64"))
    ranking = with_base["shown"].where(areas.rankable(with_base, item, basis))
    return tables.ranked(with_base.drop(columns="rank").assign(ranking=ranking), "ranking").drop(
        columns=["ranking", "base"]
    )


def _key(row, basis: str, item: Measure) -> str | None:
    """The key an area takes instead of a class: hidden, no return, no figure, or (per 100,000) no or too few
    residents; on the change basis, the change itself may be missing, which colours as a small base."""
    if row.state != tables.SHOWN:
        return HIDDEN_KEY if row.state == tables.HIDDEN else STATE_WORDS[row.state]
    if basis == "Per 100,000 residents" and item.kind != MeasureKind.RATE:
        if is_missing(row.population) or not row.population:
            return NO_POPULATION
        if row.population < areas.SMALL_POPULATION:
            return "Too few residents for a reliable rate"
    if basis == "Change on previous period" and is_missing(row.change):
        return "No change on a base under 10, or no comparison"
    return None


def _colour(key: str | None, number: int | None, classes: areas.Classes) -> str:
    if key == HIDDEN_KEY:
        return palette.HIDDEN
    if key is None and number is not None:
        return classes.colours[number]
    return areas.KEYS.get(key or "", classes.unclassed)


def _value_words(value, state: str, item: Measure) -> str:
    if state != tables.SHOWN:
        return STATE_WORDS[state]
    unit = "" if item.kind in (MeasureKind.RATE, MeasureKind.MONEY) else f" {item.unit}"
    return format_value(item, value) + unit


def change_words(row, item: Measure) -> str:
    """'+14% on the previous period'; on a base under 10, the previous figure; '[c] in the previous period'
    where the previous figure is hidden: never a previous count the release hides."""
    if not is_missing(row.change):
        return f"{row.change:+.0%} on the previous period"
    if row.previous_state == tables.SHOWN:
        return f"{format_value(item, row.previous)} in the previous period"
    if row.previous_state == tables.HIDDEN:
        return f"{SUPPRESSED} in the previous period"
    return "no comparison"


def _per_100k_words(row, item: Measure):
    """The figure per 100,000 as a number where shown; the state's word where not; never a bare None."""
    if row.state != tables.SHOWN:
        return STATE_WORDS[row.state]
    if item.kind != MeasureKind.RATE and (is_missing(row.population) or not row.population):
        return NOT_APPLICABLE
    return NO_DATA if is_missing(row.per_100k) else round(row.per_100k, 2)


def profile_table(
    release: Release, period: ReleasePeriod, force_code: str, forces: pd.DataFrame, codes=PROFILE_MEASURES
) -> pd.DataFrame:
    """The force profile's comparison (this force, its ROCU region, all forces) from the same cells as the maps:
    what a map hides, the profile hides, and the other way round. Counts per 100,000 residents, rates as rates."""
    regions = tables._regions(release)
    force = forces[forces["org_code"] == force_code].iloc[0]
    region = str(force["rocu_region"])
    keys = {
        AREAS["force"]: (force_code, forces[forces["org_code"] == force_code]),
        AREAS["region"]: (
            tables.area_key(tables.REGION, force_code, region, regions),
            forces[forces["rocu_region"] == region],
        ),
        AREAS["national"]: (POLICE_FORCES, forces),
    }
    records = []
    for code in codes:
        item = measure(code)
        record = {"Measure": item.label, "Basis": "rate" if item.kind == MeasureKind.RATE else "per 100,000 residents"}
        for heading, (key, members) in keys.items():
            value, state = tables.figure(release, period, key, item)
            record[heading] = _profile_words(value, state, item, float(members["population"].fillna(0).sum()))
        records.append(record)
    return pd.DataFrame(records)


def profile_totals(
    release: Release, period: ReleasePeriod, force_code: str, forces: pd.DataFrame, codes=PROFILE_MEASURES
) -> dict[str, dict[str, float]]:
    """The counts a wider-circulation profile may test (force, region, national): only the release's shown cells,
    so no statement is made from a hidden count."""
    regions = tables._regions(release)
    region = str(forces[forces["org_code"] == force_code].iloc[0]["rocu_region"])
    keys = {
        "force": force_code,
        "region": tables.area_key(tables.REGION, force_code, region, regions),
        "national": POLICE_FORCES,
    }
    needed = sorted({base for code in codes for base in measure(code).base_codes})
    totals: dict[str, dict[str, float]] = {}
    for area, key in keys.items():
        shown = {code: tables.figure(release, period, key, measure(code)) for code in needed}
        totals[area] = {
            code: float(value) for code, (value, state) in shown.items() if state == tables.SHOWN and value is not None
        }
    return totals


def _profile_words(value, state: str, item: Measure, population: float) -> str:
    if state == tables.HIDDEN:
        return SUPPRESSED
    if state != tables.SHOWN or value is None:
        return NO_DATA
    if item.kind == MeasureKind.RATE:
        return format_value(item, value)
    return f"{value / population * 100_000:,.2f}" if population else NOT_APPLICABLE
