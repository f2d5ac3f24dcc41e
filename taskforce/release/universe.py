"""Every count the dashboard can show for wider circulation, as cells of one table set: each week, and each fixed
4-week period, for every organisation, region, police forces together and the nation, of every counted measure.

A cell is the sum of base variables, one per organisation, reported measure and week (a stock's is the week it was
reported, so a carried value shares the variable of the week it came from). Totals of measures (all disruptions)
are the sums of their parts' variables; the relations between cells are listed too, for the engine's tests of one
hidden member and of bounds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from taskforce.core.kinds import MeasureKind
from taskforce.release.protection import Cell, Relation

# The kinds of measure whose small values identify: counts of people, events and things (money is not one).
SENSITIVE_KINDS = (MeasureKind.COUNT, MeasureKind.TOTAL)
NATION = "nation"
POLICE_FORCES = "police-forces"
WEEK = "week"
FOUR_WEEKS = "4 weeks"
# Fixed 4-week periods, 13 a year, counted from the week ending Sunday 8 January 2023: the release never offers a
# range of weeks of its own choosing, so no two ranges differ by a week that the release hides.
PERIOD_ANCHOR = dt.date(2023, 1, 8)
PERIOD_WEEKS = 4


def period_of(week: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last week endings of the fixed 4-week period a week falls in."""
    index = (week - PERIOD_ANCHOR).days // 7 // PERIOD_WEEKS
    first = PERIOD_ANCHOR + dt.timedelta(weeks=index * PERIOD_WEEKS)
    return first, first + dt.timedelta(weeks=PERIOD_WEEKS - 1)


@dataclass(frozen=True)
class Geography:
    """Which leaf organisations each aggregate adds up: regions of forces, police forces together, the nation."""

    leaf_type: dict[str, str]  # leaf org code -> force | agency
    region: dict[str, str]  # force code -> its ROCU region (London for the Met and the City); others none

    @classmethod
    def from_groups(cls, groups: pd.DataFrame) -> Geography:
        """From the org_group view's rows (org_code, type, rocu_region), leaves only (no ROCU rows)."""
        leaves = groups[groups["type"].isin(["force", "agency"])]
        region = {
            row.org_code: row.rocu_region
            for row in leaves.itertuples()
            if row.type == "force" and row.rocu_region != _own_name(groups, row.org_code)
        }
        return cls(dict(zip(leaves["org_code"], leaves["type"], strict=True)), region)

    def aggregates(self) -> dict[str, tuple[str, ...]]:
        """Aggregate code -> the leaves it adds up."""
        result: dict[str, list[str]] = defaultdict(list)
        for force, region in self.region.items():
            result[f"region:{region}"].append(force)
        result[POLICE_FORCES] = [code for code, kind in self.leaf_type.items() if kind == "force"]
        result[NATION] = list(self.leaf_type)
        return {code: tuple(sorted(leaves)) for code, leaves in result.items()}

    def relations(self) -> list[tuple[str, tuple[str, ...]]]:
        """Aggregate -> the parts it is the sum of, one level down."""
        regions = sorted(code for code in self.aggregates() if code.startswith("region:"))
        outside = sorted(code for code, kind in self.leaf_type.items() if kind == "force" and code not in self.region)
        agencies = sorted(code for code, kind in self.leaf_type.items() if kind == "agency")
        return [
            *((code, self.aggregates()[code]) for code in regions),
            (POLICE_FORCES, (*regions, *outside)),
            (NATION, (POLICE_FORCES, *agencies)),
        ]


def _own_name(groups: pd.DataFrame, code: str) -> str:
    return str(groups.loc[groups["org_code"] == code, "org_name"].iloc[0])


@dataclass(frozen=True)
class MeasureGroup:
    """Measures whose cells share variables: a total and its parts, or a measure alone."""

    codes: tuple[str, ...]  # the reported measures
    totals: dict[str, tuple[str, ...]]  # a total's code -> its parts
    stock: bool = False


def week_cells(
    figures: pd.DataFrame, geography: Geography, group: MeasureGroup, week: dt.date
) -> tuple[list[Cell], list[Relation]]:
    """One week's cells of one measure group: every leaf that returned, every aggregate, every total."""
    rows = figures[(figures["week_ending"] == week) & figures["measure_code"].isin(group.codes)]
    leaves = _leaf_terms(rows, geography, group)
    return _cells_and_relations((WEEK, week), leaves, geography, group)


def period_cells(
    figures: pd.DataFrame, geography: Geography, group: MeasureGroup, last_week: dt.date
) -> tuple[list[Cell], list[Relation]]:
    """A fixed period's cells (its weeks' sums; a stock's value at its last week) and the relations that tie them
    to the weeks' cells."""
    first, last = period_of(last_week)
    weeks = [first + dt.timedelta(weeks=n) for n in range(PERIOD_WEEKS)]
    if group.stock:
        rows = figures[(figures["week_ending"] == last) & figures["measure_code"].isin(group.codes)]
        return _cells_and_relations((FOUR_WEEKS, last), _leaf_terms(rows, geography, group), geography, group)
    rows = figures[figures["week_ending"].isin(weeks) & figures["measure_code"].isin(group.codes)]
    summed: dict[tuple[str, str], tuple[float, dict]] = {}
    for key, (value, terms) in _leaf_terms(rows, geography, group, by_week=True).items():
        org, code, _ = key
        total, merged = summed.get((org, code), (0.0, {}))
        summed[(org, code)] = (total + value, {**merged, **terms})
    cells, relations = _cells_and_relations((FOUR_WEEKS, last), summed, geography, group)
    for cell in cells:
        _, org, code = cell.key
        parts = tuple(((WEEK, week), org, code) for week in weeks)
        relations.append(Relation(cell.key, parts))
    return cells, relations


def _leaf_terms(rows: pd.DataFrame, geography: Geography, group: MeasureGroup, by_week: bool = False) -> dict:
    """(leaf, measure[, week]) -> (value, its variables)."""
    result = {}
    for row in rows.itertuples(index=False):
        if row.org_code not in geography.leaf_type:
            continue
        source_week = getattr(row, "reported_week", None) or row.week_ending
        variable = (row.org_code, row.measure_code, source_week)
        key = (row.org_code, row.measure_code, row.week_ending) if by_week else (row.org_code, row.measure_code)
        result[key] = (float(row.value), {variable: 1.0})
    return result


def _cells_and_relations(
    period: tuple, leaves: dict, geography: Geography, group: MeasureGroup
) -> tuple[list[Cell], list[Relation]]:
    by_org: dict[str, dict[str, tuple[float, dict]]] = defaultdict(dict)
    for (org, code), entry in leaves.items():
        by_org[org][code] = entry
    for aggregate, members in geography.aggregates().items():
        for code in group.codes:
            present = [by_org[leaf][code] for leaf in members if code in by_org.get(leaf, {})]
            if present:
                by_org[aggregate][code] = (sum(v for v, _ in present), _merge(t for _, t in present))
    for entries in by_org.values():
        for total, parts in group.totals.items():
            if all(part in entries for part in parts):
                entries[total] = (sum(entries[p][0] for p in parts), _merge(entries[p][1] for p in parts))
    cells = [
        Cell((period, org, code), value, terms, level=_level(org))
        for org, entries in sorted(by_org.items())
        for code, (value, terms) in sorted(entries.items())
    ]
    present = {cell.key for cell in cells}
    relations = [
        Relation((period, total, code), tuple((period, part, code) for part in parts))
        for total, parts in geography.relations()
        for code in [*group.codes, *group.totals]
    ]
    relations += [
        Relation((period, org, total), tuple((period, org, part) for part in parts))
        for org in by_org
        for total, parts in group.totals.items()
    ]
    # An organisation with no return adds nothing (its absence is shown), so a relation runs over those present.
    kept = [
        Relation(r.total, tuple(part for part in r.parts if part in present)) for r in relations if r.total in present
    ]
    return cells, [relation for relation in kept if relation.parts]


def _merge(many: Iterable[dict]) -> dict:
    merged: dict = {}
    for terms in many:
        for variable, weight in terms.items():
            merged[variable] = merged.get(variable, 0.0) + weight
    return merged


def _level(org: str) -> int:
    if org == NATION:
        return 3
    if org == POLICE_FORCES:
        return 2
    return 1 if org.startswith("region:") else 0
