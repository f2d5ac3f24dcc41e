"""Disclosure control applied once to a whole table set, so that nothing shown, alone or combined with anything else
shown, gives back a count from 1 to the threshold.

The table set is a list of cells. Each cell is a sum of base variables (an organisation's count of one measure in
one week) with a value; the relations between cells (a region is the sum of its forces, a total the sum of its
parts, a period the sum of its weeks) are carried by the variables they share, so every way of combining cells is
covered, not only the rows and columns of one table. The rule:

1. **Primary**: a count from 1 to the threshold is hidden.
2. **Secondary**: while some hidden small count can still be worked out exactly from the cells shown (its sum of
   variables is a combination of theirs: a rank test on the matrix of shown cells), the smallest shown positive
   cell of that combination is hidden too (an organisation before an aggregate). A relation whose hidden members
   are known to add up to no more than their number (every hidden cell is at least 1, since zeros are shown) would
   pin them all to 1, so one more of its members is hidden.
3. Cells decided earlier (a week already released, a pack already issued) are held as they were: `fixed_shown`
   are known to the reader whatever happens here, and `fixed_hidden` stay hidden.

Everything derived from cells (a rate, a figure per 100,000, a change, a rank) is shown only where every cell it is
made from is shown: `all_shown`.
"""
from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

DEFAULT_THRESHOLD = 4
TOLERANCE = 1e-9


@dataclass(frozen=True)
class Cell:
    key: Hashable
    value: float
    terms: Mapping[Hashable, float]  # base variable -> coefficient (1 for a plain sum)
    sensitive_kind: bool = True  # a count of people or events (money and public facts are not)
    level: int = 0  # 0 for an organisation, higher for aggregates: secondary cells are chosen low first


@dataclass(frozen=True)
class Relation:
    """A cell that is the sum of others: the bound test reads these (the rank test needs no list)."""
    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass
class Protection:
    hidden: set[Hashable] = field(default_factory=set)
    primary: set[Hashable] = field(default_factory=set)

    def shown(self, key: Hashable) -> bool:
        return key not in self.hidden

    def all_shown(self, keys: Iterable[Hashable]) -> bool:
        return not any(key in self.hidden for key in keys)


def is_small(value: float, threshold: int = DEFAULT_THRESHOLD) -> bool:
    return 1 <= value <= threshold


def protect(cells: list[Cell], relations: Iterable[Relation] = (), threshold: int = DEFAULT_THRESHOLD,
            fixed_hidden: Iterable[Hashable] = (), fixed_shown: Iterable[Hashable] = (),
            known: Iterable[Cell] = ()) -> Protection:
    """Decide which cells to hide. `known` are facts the reader has besides the cells (a pack issued before, a
    figure published elsewhere): they constrain, and are never hidden here."""
    system = _System(cells, list(known))
    by_key = {cell.key: cell for cell in cells}
    # Held cells, and every cell they give away already (hiding one of those would protect nothing).
    pinned = system.determined_by([key for key in fixed_shown if key in by_key])
    primary = {cell.key for cell in cells if cell.sensitive_kind and is_small(cell.value, threshold)} - pinned
    hidden = primary | (set(fixed_hidden) & set(by_key))
    relations = [relation for relation in relations  # a relation with a member outside the set constrains nothing
                 if relation.total in by_key and all(part in by_key for part in relation.parts)]
    while True:
        extra = _first_exposure(system, by_key, hidden, pinned, primary, relations)
        if extra is None:
            return Protection(hidden=hidden, primary=primary)
        hidden.add(extra)


def _first_exposure(system: _System, by_key: Mapping[Hashable, Cell], hidden: set[Hashable], pinned: set[Hashable],
                    primary: set[Hashable], relations: list[Relation]) -> Hashable | None:
    """The next cell to hide, or None when no hidden small count can be worked out: first a relation with one
    hidden member (the total less the others gives it), then a relation whose bounds pin its hidden members,
    then any other combination of shown cells (the rank test)."""
    for relation in relations:
        members = [relation.total, *relation.parts]
        alone = [key for key in members if key in hidden]
        if len(alone) == 1:
            return _cheapest(by_key, [key for key in members if key not in hidden], hidden, pinned, alone[0])
    shown = [key for key in system.keys if key not in hidden]
    exposed = system.first_exposed(sorted(primary, key=repr), shown)
    if exposed is None:
        return None
    weights = system.expressed_by(exposed, shown)
    support = [key for key, weight in weights.items() if abs(weight) > 1e-7 and key not in system.known]
    return _cheapest(by_key, support, hidden, pinned, exposed)


def _cheapest(by_key: Mapping[Hashable, Cell], candidates: list[Hashable], hidden: set[Hashable],
              pinned: set[Hashable], exposed: Hashable) -> Hashable:
    """The shown cell to hide: one that may still be hidden, an organisation before an aggregate, the smallest
    value (a zero first: hiding it costs the reader nothing, and it means a hidden cell may be zero, so no bound
    pins a hidden count), then the key's order (so the result never depends on the order of the input)."""
    choices = [key for key in candidates if key in by_key and key not in hidden and key not in pinned]
    if not choices:
        # Only held or zero cells express it: the only remedy left is to hide every cell that shares a variable.
        raise ProtectionImpossible(f"{exposed!r} can be worked out from cells that may not be hidden.")
    return min(choices, key=lambda key: (by_key[key].level, by_key[key].value, repr(key)))


class ProtectionImpossible(ValueError):
    """A small count is given away by cells that are held shown (a release already out)."""


class _System:
    """The matrix of cells over their variables, and the rank test."""

    def __init__(self, cells: list[Cell], known: list[Cell]) -> None:
        self.keys = [cell.key for cell in cells]
        self.known = {cell.key for cell in known}
        variables = sorted({var for cell in [*cells, *known] for var in cell.terms}, key=repr)
        self.width = len(variables)
        column = {var: n for n, var in enumerate(variables)}
        self.rows: dict[Hashable, np.ndarray] = {}
        for cell in [*cells, *known]:
            row = np.zeros(len(variables))
            for var, weight in cell.terms.items():
                row[column[var]] += weight
            self.rows[cell.key] = row

    def _matrix(self, shown: list[Hashable]) -> tuple[list[Hashable], np.ndarray | None]:
        keys = [*shown, *self.known]
        return keys, (np.vstack([self.rows[key] for key in keys]) if keys else None)

    def determined_by(self, held: list[Hashable]) -> set[Hashable]:
        """The held cells and every cell whose row lies in the span of theirs and the known facts'."""
        if not held and not self.known:
            return set()
        basis = self._basis(held)
        return set(held) | {key for key in self.keys if self._in_span(self.rows[key][None, :], basis)[0]}

    def _basis(self, shown: list[Hashable]) -> np.ndarray:
        _, matrix = self._matrix(shown)
        if matrix is None:
            return np.zeros((0, self.width))
        _, singular, rows = np.linalg.svd(matrix, full_matrices=False)
        return rows[singular > singular.max(initial=0.0) * 1e-10]

    @staticmethod
    def _in_span(targets: np.ndarray, basis: np.ndarray) -> np.ndarray:
        residual = targets - (targets @ basis.T) @ basis
        return np.abs(residual).max(axis=1, initial=0.0) <= 1e-7

    def first_exposed(self, candidates: list[Hashable], shown: list[Hashable]) -> Hashable | None:
        """The first candidate whose row lies in the span of the shown rows (one decomposition for all)."""
        if not candidates:
            return None
        targets = np.vstack([self.rows[key] for key in candidates])
        exposed = np.flatnonzero(self._in_span(targets, self._basis(shown)))
        return candidates[int(exposed[0])] if exposed.size else None

    def expressed_by(self, key: Hashable, shown: list[Hashable]) -> dict[Hashable, float]:
        """Weights of the shown (and known) cells whose combination gives this cell."""
        keys, matrix = self._matrix(shown)
        assert matrix is not None
        weights, *_ = np.linalg.lstsq(matrix.T, self.rows[key], rcond=None)
        return {k: float(w) for k, w in zip(keys, weights, strict=True)}
