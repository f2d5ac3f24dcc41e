"""The statistician's attack on the Regional activity page (issue 24, ways 1 and 2): the force map, the ROCU map
and the force profile's "All forces" shown together, over the fixed 4-week periods and the 12 weeks made of three
of them. The unknowns are each force's count in each 4-week period; each figure shown is the sum of some of them
(a force, a region of forces, all forces; one period or three); a hidden count is at least 0 (zeros beside a
hidden count are hidden too, the stated method). A hidden cell of the release (a force or region in one 4-week
period) whose least and greatest possible values are one whole number from 1 up has been worked out. (A hidden
zero worked out as 0, a region whose forces all show 0, gives no count away; the release hides some such zeros
beside hidden counts, and a 12-week figure made from one is hidden too.)"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping, Sequence

import numpy as np
from scipy.optimize import linprog

Sum = tuple[Sequence[Hashable], float | None]  # the unknowns a figure adds up, and its value (None: hidden)


def pinned(shown: Sequence[Sum], targets: Mapping[Hashable, Sequence[Hashable]]) -> dict[Hashable, float]:
    """Each target (a hidden cell: the unknowns it adds up) that the shown sums pin to one whole number from 1
    up, with that number."""
    variables = sorted(
        {v for parts, _ in shown for v in parts} | {v for parts in targets.values() for v in parts}, key=repr
    )
    column = {variable: n for n, variable in enumerate(variables)}
    equalities = [_vector(parts, column) for parts, value in shown if value is not None]
    totals = [float(value) for _, value in shown if value is not None]
    found = {}
    for key, parts in targets.items():
        target = _vector(parts, column)
        least, greatest = _solve(target, equalities, totals), _solve(-target, equalities, totals)
        if (
            least is not None
            and greatest is not None
            and least > 0.5
            and math.ceil(least - 1e-6) == math.floor(-greatest + 1e-6)
        ):
            found[key] = round(least)
    return found


def _vector(parts: Sequence[Hashable], column: Mapping[Hashable, int]) -> np.ndarray:
    vector = np.zeros(len(column))
    for part in parts:
        vector[column[part]] = 1
    return vector


def _solve(objective: np.ndarray, equalities: list, totals: list) -> float | None:
    result = linprog(
        objective,
        A_eq=np.vstack(equalities) if equalities else None,
        b_eq=np.array(totals) if totals else None,
        bounds=(0, None),
        method="highs",
    )
    return float(result.fun) if result.status == 0 else None
