"""Disclosure control applied once to a whole table set, so that nothing shown, alone or combined with anything else
shown, gives back a count from 1 to the threshold.

The table set is a list of cells. Each cell is a sum of base variables (an organisation's count of one measure in
one week) with a value; the relations between cells (a region is the sum of its forces, a total the sum of its
parts, a period the sum of its weeks) are carried by the variables they share, so every way of combining cells is
covered, not only the rows and columns of one table. The rule:

1. **Primary**: a count from 1 to the threshold is hidden.
2. **Secondary**: while some hidden small count can still be worked out exactly from the cells shown (a relation
   with one hidden member, or any combination: its sum of variables lies in the span of the shown cells', a rank
   test), one more cell of that relation or combination is hidden: the smallest above the threshold, an
   organisation before an aggregate, so the hidden count's range stays wide.
   Last, the zeros that share a relation with a hidden small count are hidden, so no reader can take a hidden
   cell to be at least 1 and pin a count between bounds.
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


def protect(
    cells: list[Cell],
    relations: Iterable[Relation] = (),
    threshold: int = DEFAULT_THRESHOLD,
    fixed_hidden: Iterable[Hashable] = (),
    fixed_shown: Iterable[Hashable] = (),
    known: Iterable[Cell] = (),
) -> Protection:
    """Decide which cells to hide. `known` are facts the reader has besides the cells (a pack issued before, a
    figure published elsewhere): they constrain, and are never hidden here."""
    system = _System(cells, list(known))
    by_key = {cell.key: cell for cell in cells}
    # Held cells, and every cell they give away already (hiding one of those would protect nothing).
    pinned = system.hold([key for key in fixed_shown if key in by_key])
    primary = {cell.key for cell in cells if cell.sensitive_kind and is_small(cell.value, threshold)} - set(fixed_shown)
    if primary & pinned:
        raise ProtectionImpossible(f"{sorted(primary & pinned, key=repr)[0]!r} is given away by cells already out.")
    hidden = primary | (set(fixed_hidden) & set(by_key))
    relations = [
        relation
        for relation in relations  # a relation with a member outside the set constrains nothing
        if relation.total in by_key and all(part in by_key for part in relation.parts)
    ]
    while True:
        extra = _first_exposure(system, by_key, hidden, pinned, primary, relations, threshold)
        if extra is None:
            return Protection(hidden=hidden | _zeros_beside(by_key, primary, pinned, relations), primary=primary)
        hidden.add(extra)


def _first_exposure(
    system: _System,
    by_key: Mapping[Hashable, Cell],
    hidden: set[Hashable],
    pinned: set[Hashable],
    primary: set[Hashable],
    relations: list[Relation],
    threshold: int,
) -> Hashable | None:
    """The next cell to hide, or None when no hidden small count can be worked out: first a relation with one
    hidden member (the total less the others gives it), then any other combination of shown cells (the rank
    test)."""
    for relation in relations:
        members = [relation.total, *relation.parts]
        alone = [key for key in members if key in hidden]
        if len(alone) != 1:
            continue
        others = [key for key in members if key not in hidden and key not in pinned]
        if others or alone[0] in primary:  # a secondary cell given away by held cells protects nothing more
            return _cheapest(by_key, others, hidden, pinned, alone[0], threshold)
    shown = [key for key in system.keys if key not in hidden]
    exposed = system.first_exposed(sorted(primary, key=repr), shown)
    if exposed is None:
        return None
    weights = system.expressed_by(exposed, shown)
    support = [key for key, weight in weights.items() if abs(weight) > 1e-7 and key not in system.known]
    return _cheapest(by_key, support, hidden, pinned, exposed, threshold)


def _cheapest(
    by_key: Mapping[Hashable, Cell],
    candidates: list[Hashable],
    hidden: set[Hashable],
    pinned: set[Hashable],
    exposed: Hashable,
    threshold: int,
) -> Hashable:
    """The shown cell to hide: one that may still be hidden and is above the threshold (so the hidden count's
    range runs at least that far: a small partner would bound it tightly), an organisation before an aggregate,
    the smallest value, then the key's order (so the result never depends on the order of the input). A zero
    or a small count only where nothing else will do."""
    choices = [key for key in candidates if key in by_key and key not in hidden and key not in pinned]
    if not choices:
        # Only held or zero cells express it: the only remedy left is to hide every cell that shares a variable.
        raise ProtectionImpossible(f"{exposed!r} can be worked out from cells that may not be hidden.")
    return min(
        choices, key=lambda key: (by_key[key].value <= threshold, by_key[key].level, by_key[key].value, repr(key))
    )


def _zeros_beside(
    by_key: Mapping[Hashable, Cell], primary: set[Hashable], pinned: set[Hashable], relations: list[Relation]
) -> set[Hashable]:
    """The zeros that share a relation with a hidden small count are hidden too, so that a reader cannot take
    every hidden cell to be at least 1 and pin a hidden count between bounds (three hidden cells adding up to 3
    would otherwise each be 1)."""
    zeros: set[Hashable] = set()
    for relation in relations:
        members = [relation.total, *relation.parts]
        if primary.intersection(members):
            zeros |= {key for key in members if by_key[key].value == 0 and key not in pinned}
    return zeros


class ProtectionImpossible(ValueError):
    """A small count is given away by cells that are held shown (a release already out)."""


class _System:
    """The matrix of cells over their variables, and the rank test."""

    def __init__(self, cells: list[Cell], known: list[Cell]) -> None:
        self.keys = [cell.key for cell in cells]
        self.known = {cell.key for cell in known}
        variables = sorted({var for cell in [*cells, *known] for var in cell.terms}, key=repr)
        self.width = len(variables)
        self.held: set[Hashable] = set()
        self.held_basis = np.zeros((0, self.width))
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

    def hold(self, held: list[Hashable]) -> set[Hashable]:
        """Fix the held cells (shown whatever happens): their span, with the known facts', is decomposed once,
        and each later test decomposes only the other shown cells' remainder. Returns the held cells and every
        cell they give away."""
        self.held = set(held)
        self.held_basis = self._decompose(
            np.vstack([self.rows[key] for key in [*held, *self.known]])
            if held or self.known
            else np.zeros((0, self.width))
        )
        given = (
            self._in_span(np.vstack([self.rows[key] for key in self.keys]), self.held_basis)
            if self.keys
            else np.zeros(0, dtype=bool)
        )
        return self.held | {key for key, inside in zip(self.keys, given, strict=True) if inside}

    @staticmethod
    def _decompose(matrix: np.ndarray) -> np.ndarray:
        """An orthonormal basis of the rows' span."""
        if not matrix.size:
            return np.zeros((0, matrix.shape[1]))
        _, singular, rows = np.linalg.svd(matrix, full_matrices=False)
        return rows[singular > max(singular.max(initial=0.0) * 1e-10, 1e-12)]

    def _basis(self, shown: list[Hashable]) -> np.ndarray:
        free = [key for key in shown if key not in self.held]
        if not free:
            return self.held_basis
        rows = np.vstack([self.rows[key] for key in free])
        remainder = rows - (rows @ self.held_basis.T) @ self.held_basis
        return np.vstack([self.held_basis, self._decompose(remainder)])

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
