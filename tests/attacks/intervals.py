"""The statistician's interval attack: given every cell a release shows, the relations between them (carried by
their shared variables) and what any reader knows of the hidden ones (each is at least 1, since zeros are
shown; no count is negative), the least and the greatest value each hidden small count can take. A count whose
range holds one whole number has been worked out exactly."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import numpy as np
from scipy.optimize import linprog

from taskforce.release.protection import Cell

LOWER = 0.0  # what a reader knows of a hidden cell: zeros beside a hidden count are hidden too (the stated method)


def exactly_derived(
    cells: list[Cell],
    hidden: set[Hashable],
    targets: Iterable[Hashable],
    known: Iterable[Cell] = (),
    lower: float = LOWER,
) -> dict[Hashable, float]:
    """Each target that the shown cells pin to one whole number, with that number. `lower` is what the reader
    takes every hidden cell to be at least (1 where the method would never hide a zero)."""
    every = [*cells, *known]
    variables = sorted({var for cell in every for var in cell.terms}, key=repr)
    column = {var: n for n, var in enumerate(variables)}

    def row(cell: Cell) -> np.ndarray:
        values = np.zeros(len(variables))
        for var, weight in cell.terms.items():
            values[column[var]] += weight
        return values

    shown = [cell for cell in every if cell.key not in hidden]
    secret = [cell for cell in cells if cell.key in hidden]
    equalities = np.vstack([row(cell) for cell in shown]) if shown else None
    values = np.array([cell.value for cell in shown]) if shown else None
    at_least_one = -np.vstack([row(cell) for cell in secret]) if secret else None
    minus_ones = -np.full(len(secret), lower) if secret else None
    by_key = {cell.key: cell for cell in cells}
    found = {}
    for key in targets:
        objective = row(by_key[key])
        high = _bound(-objective, at_least_one, minus_ones, equalities, values)
        if high is None or -high >= by_key[key].value + 1 - 1e-6:
            continue  # the true value and one more are both possible: not exact, and no need for the least
        low = _bound(objective, at_least_one, minus_ones, equalities, values)
        if low is not None and math.floor(-high + 1e-6) == math.ceil(low - 1e-6):
            found[key] = round(low)
    return found


def _bound(objective, upper_rows, upper_values, equalities, values) -> float | None:
    result = linprog(
        objective, A_ub=upper_rows, b_ub=upper_values, A_eq=equalities, b_eq=values, bounds=(0, None), method="highs"
    )
    return float(result.fun) if result.status == 0 else None
