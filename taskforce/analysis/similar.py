"""A force's own view: the forces most like it, its figures against theirs and the nation's, and its rank among
them with the change since the period before.

The reference data holds no official Most Similar Groups (the Home Office's are not published with it), so the
similarity is computed here and stated (SIMILARITY_METHOD): from the resident population in the reference data
and the force's OIC exposure in its own returns. The reference data gives no land area, coastline or list of
ports, so density, ports and coast are not used: the exposure measures, which are highest where the ports and
the coast are, stand in for them, and the page says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from taskforce.core.formats import NO_DATA, format_value, is_missing
from taskforce.core.kinds import MeasureKind
from taskforce.measures.registry import measure

SIMILAR_COUNT = 7  # the force's most similar forces (a Home Office Most Similar Group is about this size)
EXPOSURE_WEEKS = 52
EXPOSURE_MEASURES = ("migrants_encountered", "taskings_received")
FEATURES = {
    "population": "Residents (log scale)",
    "migrants_encountered": f"Migrants encountered per 100,000 residents, last {EXPOSURE_WEEKS} weeks (log scale)",
    "taskings_received": f"OIC taskings received per 100,000 residents, last {EXPOSURE_WEEKS} weeks (log scale)",
}
SIMILAR = "similar"
FORCE_AREAS = {"force": "This force", SIMILAR: "Its most similar forces", "national": "All forces"}
FORCE_COMPARED_WITH = {SIMILAR: "among its most similar forces", "national": "nationally"}
REGION_AREAS = {"force": "This ROCU region", "national": "All forces"}
REGION_COMPARED_WITH = {"national": "nationally"}
SIMILARITY_METHOD = (
    "The reference data holds no official Most Similar Groups, so a force's most similar forces are computed, and "
    f"labelled as computed wherever they are shown. Each territorial force is described by three figures: its "
    f"residents (ONS mid-year estimate in the reference data) and two measures of its exposure to organised "
    f"immigration crime from its own returns over the latest {EXPOSURE_WEEKS} weeks, migrants encountered and OIC "
    "taskings received, each per 100,000 residents. Each is taken on a log scale and standardised across the "
    "forces (minus the mean, over the standard deviation), and the distance between two forces is the ordinary "
    f"(Euclidean) distance between their three figures, each weighted equally. A force's most similar forces are "
    f"the {SIMILAR_COUNT} nearest, the nearer code first where two are equally near, so the group is the same "
    "for the same returns. The reference data gives no land area, coastline or ports, so density, ports and coast "
    "are not used; the exposure measures, highest where the ports and the coast are, stand in for them. Outcomes "
    "(arrests, charges, rates) are left out, so a force is never grouped by the figures it is compared on. The "
    "group's figures include the force itself, as the region's do on a force's profile, and its rates are tested "
    "by the same rule (What stands out on a force's profile). Ranks are among the force and its most similar "
    "forces, 1 the best where the measure has a better direction (else the highest), over the period and the "
    "period of the same length before it, with the same group for both; a rank is not a test, and a force with "
    "no figure is not ranked. British Transport Police has no resident population and no similar forces: it is "
    "compared with the nation only. A ROCU region is compared with every other ROCU region and the nation."
)


def features(forces: pd.DataFrame, exposure: pd.DataFrame) -> pd.DataFrame:
    """The standardised figures the similarity is measured on, one row a force with a resident population.
    `forces`: org_code, population (map_forces); `exposure`: org_code, measure_code, value (map_values over the
    latest EXPOSURE_WEEKS weeks). A force that returned none of a measure counts it as 0."""
    territorial = forces[forces["population"].fillna(0) > 0].set_index("org_code")
    population = territorial["population"].astype(float)
    raw = pd.DataFrame({"population": np.log10(population)}, index=territorial.index)
    for code in EXPOSURE_MEASURES:
        counts = exposure[exposure["measure_code"] == code].set_index("org_code")["value"]
        per_100k = counts.reindex(raw.index).fillna(0).astype(float) / population * 100_000
        raw[code] = np.log10(1 + per_100k)
    spread = raw.std(ddof=0).replace(0, 1.0)
    return ((raw - raw.mean()) / spread).sort_index()


def distances(table: pd.DataFrame, code: str) -> pd.Series:
    """Every other force's distance from `code`, nearest first (ties by code)."""
    if code not in table.index:
        return pd.Series(dtype=float)
    gaps = ((table.drop(index=code) - table.loc[code]) ** 2).sum(axis=1) ** 0.5
    frame = pd.DataFrame({"distance": gaps.round(12), "code": gaps.index})
    ordered = frame.sort_values(["distance", "code"])
    return ordered.set_index("code")["distance"]


def most_similar(table: pd.DataFrame, code: str, count: int = SIMILAR_COUNT) -> list[str]:
    """The `count` forces nearest to `code`; empty for a force outside the table (no resident population)."""
    return distances(table, code).index[:count].tolist()


def area_rows(per_force: pd.DataFrame, forces: pd.DataFrame, areas: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Each area's totals, in the shape of the force_key_measures query (area, measure_code, value,
    smallest_force_value, population), so the force profile's table and tests read them as they are.
    `per_force`: org_code, measure_code, value (map_values); `areas`: area -> the forces it adds up."""
    populations = forces.set_index("org_code")["population"]
    frames = []
    for area, codes in areas.items():
        members = list(codes)
        chosen = per_force[per_force["org_code"].isin(members)]
        grouped = chosen.groupby("measure_code")["value"]
        frame = pd.DataFrame(
            {"value": grouped.sum(), "smallest_force_value": grouped.agg(lambda v: v[v > 0].min())}
        ).reset_index()
        frame.insert(0, "area", area)
        frame["population"] = populations.reindex(members).sum(min_count=1)
        frames.append(frame)
    columns = ["area", "measure_code", "value", "smallest_force_value", "population"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def unit_value(item, totals: Mapping[str, float], population: float | None) -> float | None:
    """A unit's comparable figure: a rate as it is, anything else per 100,000 residents."""
    value = item.value_from(totals)
    if value is None or item.kind == MeasureKind.RATE:
        return value
    return None if is_missing(population) or not population else value / float(population) * 100_000


def unit_values(
    per_force: pd.DataFrame, forces: pd.DataFrame, units: Mapping[str, Iterable[str]], codes: Iterable[str]
) -> pd.DataFrame:
    """Each unit's comparable figure of each measure: one row a unit (a force, or a region of forces)."""
    rows = area_rows(per_force, forces, units)
    records = {}
    for unit, parts in rows.groupby("area"):
        totals = dict(zip(parts["measure_code"], parts["value"], strict=False))
        population = parts["population"].iloc[0] if not parts.empty else None
        records[unit] = {code: unit_value(measure(code), totals, population) for code in codes}
    return pd.DataFrame.from_dict(records, orient="index", columns=list(codes)).reindex(list(units))


def ranks(values: pd.DataFrame) -> pd.DataFrame:
    """Each unit's rank on each measure among the units given, 1 the best (the highest where a measure has no
    better direction); a unit with no figure has no rank."""
    ranked = {}
    for code in values.columns:
        item = measure(code)
        column = pd.to_numeric(values[code], errors="coerce")
        ranked[code] = column.rank(method="min", ascending=item.higher_is_better is False)
    return pd.DataFrame(ranked, index=values.index)


def _number(value) -> float | None:
    """A cell of a frame as a number, None where it is missing."""
    number = pd.to_numeric(value, errors="coerce")
    return None if pd.isna(number) else float(number)


def rank_change_words(now: float | None, before: float | None) -> str:
    """'Up 2', 'Down 1', 'No change', or why there is no change to give."""
    if now is None or is_missing(now):
        return "Not ranked"
    if before is None or is_missing(before):
        return "Not ranked before"
    moved = int(before) - int(now)
    return "No change" if moved == 0 else f"{'Up' if moved > 0 else 'Down'} {abs(moved)}"


@dataclass(frozen=True)
class Standing:
    """A unit's figures among its peers: this period's and the one before's, every unit's rank in both."""

    unit: str
    now: pd.DataFrame  # unit x measure: comparable figures this period
    before: pd.DataFrame  # the same units, the period before

    def table(self) -> pd.DataFrame:
        """One row a measure: its rank of how many and the change (first, so a phone shows them), the unit's
        figure and the rank before."""
        now, before = ranks(self.now), ranks(self.before)
        records = []
        for code in self.now.columns:
            item = measure(code)
            value = _number(self.now.at[self.unit, code])
            ranked = int(now[code].notna().sum())
            place, earlier = _number(now.at[self.unit, code]), _number(before.at[self.unit, code])
            records.append(
                {
                    "Measure": item.label,
                    "Rank": NO_DATA if place is None else f"{int(place)} of {ranked}",
                    "Change in rank": rank_change_words(place, earlier),
                    "Figure": NO_DATA if value is None else _figure(item, value),
                    "Rank, period before": NO_DATA if earlier is None else f"{int(earlier)}",
                }
            )
        return pd.DataFrame(records)


def _figure(item, value: float) -> str:
    return format_value(item, value) if item.kind == MeasureKind.RATE else f"{value:,.2f} per 100,000"


def group_words(names: Mapping[str, str], members: Iterable[str]) -> str:
    """The group in a sentence, nearest first."""
    listed = [names.get(code, code) for code in members]
    return ", ".join(listed) if listed else "none"
