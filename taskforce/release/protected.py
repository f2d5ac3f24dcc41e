"""The protected release: every count the dashboard can show for wider circulation, protected once as a whole.

What it holds, for a headline week W: every organisation, region, police forces together and the nation, every
counted measure, in every week up to W (the trend lines) and every fixed 4-week period that has ended by W (the
maps, tables and the '4 weeks' and '12 weeks' figures). Each week is protected alone, then each period with its
weeks held as they were released, so a period's ending never changes what a week showed. Measures that are parts
of another (disruptions by severity, packages by destination) are in the release at national level only: below
it a reader sees their total, so the parts cannot be combined across forces and measures to pin a hidden cell.

Everything made from counts is worked out from the release's own shown cells (`rate`, `per_100k`, `change`), so a
figure made from a hidden count is hidden too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import pickle
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from taskforce.core import memo
from taskforce.core.kinds import Aggregation, MeasureKind
from taskforce.measures.registry import Measure, measure, registry
from taskforce.release import revisions, universe
from taskforce.release.periods import ReleasePeriod
from taskforce.release.protection import Cell, Protection, Relation, protect
from taskforce.release.universe import FOUR_WEEKS, NATION, SENSITIVE_KINDS, WEEK, Geography, MeasureGroup, period_of

# Parts published at national level only in wider circulation (their totals go all the way down).
NATIONAL_ONLY_PARTS = {
    "disruptions_major",
    "disruptions_moderate",
    "disruptions_minor",
    "intel_shared_to_nca",
    "intel_shared_to_ie",
    "intel_shared_to_bf",
    "intel_shared_to_forces",
}


def measure_groups() -> list[MeasureGroup]:
    """Each counted measure alone, and each total with its parts (they share variables)."""
    totals = {item.code: item.components for item in registry().values() if item.kind == MeasureKind.TOTAL}
    in_totals = {part for parts in totals.values() for part in parts}
    groups = [MeasureGroup(parts, {code: parts}) for code, parts in totals.items()]
    groups += [
        MeasureGroup((item.code,), {}, stock=item.aggregation == Aggregation.STOCK)
        for item in registry().values()
        if item.is_reported and item.code not in in_totals
    ]
    return groups


@dataclass(frozen=True)
class ProtectedCells:
    """A protected table set: cell key -> its value when shown, or None when hidden."""

    values: Mapping[Hashable, float | None]
    threshold: int

    def get(self, period: tuple, org: str, code: str) -> float | None:
        return self.values.get((period, org, code))

    def has(self, period: tuple, org: str, code: str) -> bool:
        return (period, org, code) in self.values

    def over(self, period: ReleasePeriod, org: str, code: str) -> float | None:
        """A reported or total measure over a release period: the sum of its parts (a stock: its last part's
        value), only when every part is shown."""
        values = [self.get(part, org, code) for part in period.parts]
        if any(value is None for value in values):
            return None
        return values[-1] if measure(code).aggregation == Aggregation.STOCK else sum(values)  # type: ignore[arg-type]

    def figure(self, period: ReleasePeriod, org: str, item: Measure) -> float | None:
        """Any measure over a release period, a rate only where every count it is made from is shown."""
        if item.is_reported or item.kind == MeasureKind.TOTAL:
            return self.over(period, org, item.code)
        parts = {code: self.over(period, org, code) for code in item.base_codes}
        if any(value is None for value in parts.values()):
            return None
        return item.value_from(parts)  # type: ignore[arg-type]

    def value(self, period: tuple, org: str, item: Measure) -> float | None:
        """Any measure's figure, reported, total or rate: None when it is hidden or made from a hidden count (or
        a count that is not in the release); a rate of a zero denominator is None too."""
        parts = {code: self.get(period, org, code) for code in item.base_codes}
        if item.is_reported or item.kind == MeasureKind.TOTAL:
            return self.get(period, org, item.code)
        if any(value is None for value in parts.values()):
            return None
        return item.value_from(parts)  # type: ignore[arg-type]


PROTECTIONS_KEPT = 4096


def new_memo() -> memo.Results:
    """Each week's and period's protection, kept (in the one store of data results, `core/memo.Results`) by a
    digest of exactly the rows it was decided from: a new load recomputes the weeks it touched and nothing else."""
    return memo.Results(_week, PROTECTIONS_KEPT)


def _digest(*parts) -> str:
    return hashlib.blake2b(pickle.dumps(parts, protocol=5), digest_size=16).hexdigest()


def _published_here(cell: Cell) -> bool:
    """Weeks are released for the nation only; periods for every organisation, region and the nation, parts of
    a total (NATIONAL_ONLY_PARTS) for the nation only."""
    period, org, code = cell.key
    if org == NATION:
        return True
    return period[0] != WEEK and code not in NATIONAL_ONLY_PARTS


def _published(cells: list[Cell], relations: list[Relation]) -> tuple[list[Cell], list[Relation]]:
    kept = [cell for cell in cells if _published_here(cell)]
    keys = {cell.key for cell in kept}
    return kept, [
        relation for relation in relations if relation.total in keys and all(part in keys for part in relation.parts)
    ]


def _sensitive(cells: list[Cell]) -> list[Cell]:
    return [
        Cell(cell.key, cell.value, cell.terms, measure(cell.key[2]).kind in SENSITIVE_KINDS, cell.level)
        for cell in cells
    ]


@dataclass(frozen=True)
class _Inputs:
    """The figures split by week, each week's digest (computed once), and the geography."""

    by_week: Mapping[dt.date, pd.DataFrame]
    digests: Mapping[dt.date, str]
    geography: Geography
    threshold: int
    issued: Mapping[dt.date, tuple[revisions.IssuedFigure, ...]] = field(default_factory=dict)  # wider packs

    def rows(self, week: dt.date) -> pd.DataFrame:
        return self.by_week.get(week, _EMPTY)

    def key(self, *parts) -> tuple:
        return (*parts, self.threshold, _digest(self.geography))


def protect_week(inputs: _Inputs, group: MeasureGroup, week: dt.date) -> tuple[list[Cell], Protection]:
    cells, _, protection, _ = _MEMO.get_or_make(_week_key(inputs, group, week), lambda: _week(inputs, group, week))
    return cells, protection


def _week_key(inputs: _Inputs, group: MeasureGroup, week: dt.date) -> tuple:
    return inputs.key("week", week, group.codes, inputs.digests.get(week), _digest(inputs.issued.get(week, ())))


def protect_period(inputs: _Inputs, group: MeasureGroup, last_week: dt.date) -> tuple[list[Cell], Protection]:
    """A fixed period's cells, with its weeks' cells held as each week's protection left them."""
    first, last = period_of(last_week)
    weeks = [first + dt.timedelta(weeks=n) for n in range(universe.PERIOD_WEEKS)]

    def make():
        week_cells, held_hidden, held_shown, relations, known = [], set(), set(), [], []
        for week in weeks:
            cells, week_relations, protection, (week_known, changes) = _MEMO.get_or_make(
                _week_key(inputs, group, week), lambda week=week: _week(inputs, group, week)
            )
            week_cells += cells + changes
            known += week_known
            relations += week_relations
            held_hidden |= protection.hidden
            held_shown |= {cell.key for cell in cells} - protection.hidden
        rows = pd.concat([inputs.rows(week) for week in weeks])
        cells, period_relations = _published(*universe.period_cells(rows, inputs.geography, group, last))
        cells = _sensitive(cells)
        every = week_cells + cells
        protection = protect(
            every,
            relations + period_relations,
            inputs.threshold,
            fixed_hidden=held_hidden,
            fixed_shown=held_shown,
            known=known,
        )
        return cells, [], protection, ([], [])

    digests = tuple((inputs.digests.get(week), _digest(inputs.issued.get(week, ()))) for week in weeks)
    cells, _, protection, _ = _MEMO.get_or_make(inputs.key("period", last, group.codes, digests), make)
    return cells, protection


def _week(inputs: _Inputs, group: MeasureGroup, week: dt.date):
    cells, relations = _published(*universe.week_cells(inputs.rows(week), inputs.geography, group, week))
    cells = _sensitive(cells)
    known, changes = _issued_facts(inputs, group, week, cells)
    protection = protect(
        cells + changes, relations, inputs.threshold, fixed_hidden=[cell.key for cell in changes], known=known
    )
    return cells, relations, protection, (known, changes)


def _issued_facts(inputs: _Inputs, group: MeasureGroup, week: dt.date, cells: list[Cell]):
    """The figures wider packs issued for this week (known to every reader) and each organisation's change
    since (never shown), for this group's measures."""
    nation = {cell.key: cell for cell in cells if cell.key[1] == NATION}
    known, changes = [], []
    for figure in inputs.issued.get(week, ()):
        if figure.code in group.codes or figure.code in group.totals:
            figure_known, figure_changes = revisions.facts(figure, nation.get(((WEEK, week), NATION, figure.code)))
            known += figure_known
            changes += figure_changes
    return known, changes


_EMPTY = pd.DataFrame(columns=["week_ending", "org_code", "measure_code", "value", "reported_week"])


def protected_release(
    figures: pd.DataFrame, groups: pd.DataFrame, weeks: Iterable[dt.date], threshold: int, issued: Mapping | None = None
) -> ProtectedCells:
    """The protected cells of the given weeks and of every fixed period those weeks complete. `figures` are
    org_week_figure rows (week_ending, org_code, measure_code, value, reported_week) covering those weeks;
    `groups` the org_group view."""
    by_week = {week: rows for week, rows in figures.groupby("week_ending", sort=True)}
    inputs = _Inputs(
        by_week,
        {week: _digest(rows) for week, rows in by_week.items()},
        Geography.from_groups(groups),
        threshold,
        issued or {},
    )
    values: dict[Hashable, float | None] = {}
    weeks = sorted(set(weeks))
    period_ends = sorted({period_of(week)[1] for week in weeks if period_of(week)[1] in set(weeks)})
    for group in measure_groups():
        for week in weeks:
            _collect(values, *protect_week(inputs, group, week))
        for last in period_ends:
            _collect(values, *protect_period(inputs, group, last))
    return ProtectedCells(values, threshold)


def _collect(values: dict, cells: list[Cell], protection: Protection) -> None:
    for cell in cells:
        values[cell.key] = None if cell.key in protection.hidden else cell.value


def week_period(week: dt.date) -> tuple:
    return (WEEK, week)


def four_week_period(last_week: dt.date) -> tuple:
    return (FOUR_WEEKS, last_week)


_MEMO = new_memo()  # after _week, which it names
