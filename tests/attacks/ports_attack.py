"""The statistician's attack on the ports table (issue 24, way 6): what a reader knows from the table and its
sentence, and the narrowest range each hidden count of people can take.

What the reader uses: the shown cells; the totals of people found and of people found before (the sentence gives
both); that vehicles cannot exceed people found at a port; that a hidden count of people is at least 1 (the table
never hides a zero of people); and the order of the rows, read as a ranking by people (as the restricted table
is) wherever that is consistent with the values shown, unless the hidden rows follow the shown ones in name order,
the wider table's stated order, which ranks nothing hidden."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from taskforce.core.disclosure import SUPPRESSED

COLUMNS = ("people", "vehicles", "people_before")


def hidden_ranges(shown: pd.DataFrame, people_total: int, before_total: int) -> dict[str, tuple[float, float]]:
    """Port -> (least, greatest) its hidden count of people can be, for every port whose count is hidden. `shown`:
    the table as rendered (port, people, vehicles, people_before; [c] where hidden), in its rendered order."""
    shown = shown.reset_index(drop=True)
    unknowns = [(row, column) for row in shown.index for column in COLUMNS if shown.at[row, column] == SUPPRESSED]
    index = {cell: n for n, cell in enumerate(unknowns)}
    if not any(column == "people" for _, column in unknowns):
        return {}
    equalities, totals = [], []
    for column, total in (("people", people_total), ("people_before", before_total)):
        row_vector = np.zeros(len(unknowns))
        known = 0.0
        for row in shown.index:
            cell = (row, column)
            if cell in index:
                row_vector[index[cell]] = 1
            else:
                known += float(shown.at[row, column])
        equalities.append(row_vector)
        totals.append(total - known)
    bounded = _inequalities(shown, index, [(row, "vehicles", row, "people") for row in shown.index])
    ordered = (
        []
        if hidden_rows_follow_in_name_order(shown)
        else _inequalities(shown, index, [(row + 1, "people", row, "people") for row in shown.index[:-1]])
    )
    lower = [(1 if column != "vehicles" else 0, None) for _, column in unknowns]
    with_order = _solve(np.zeros(len(unknowns)), [*bounded, *ordered], equalities, totals, lower)
    rules = [*bounded, *ordered] if with_order is not None else bounded  # a ranking the values contradict is none
    ranges = {}
    for (row, column), n in index.items():
        if column != "people":
            continue
        target = np.zeros(len(unknowns))
        target[n] = 1
        least = _solve(target, rules, equalities, totals, lower)
        greatest = _solve(-target, rules, equalities, totals, lower)
        assert least is not None and greatest is not None, "the true table satisfies every rule"
        ranges[str(shown.at[row, "port"])] = (least, -greatest)
    return ranges


def hidden_rows_follow_in_name_order(shown: pd.DataFrame) -> bool:
    """Whether the rows whose count of people is hidden come after every shown row, in name order."""
    hidden = shown["people"].eq(SUPPRESSED).tolist()
    tail = hidden[hidden.index(True) :] if True in hidden else []
    ports = shown.loc[shown["people"].eq(SUPPRESSED), "port"].tolist()
    return all(tail) and ports == sorted(ports)


def _inequalities(shown: pd.DataFrame, index: dict, pairs: list[tuple]) -> list[tuple[np.ndarray, float]]:
    """Each (row a, column a) <= (row b, column b), as (coefficients, bound) over the unknowns."""
    rules = []
    for row_a, column_a, row_b, column_b in pairs:
        vector, bound = np.zeros(len(index)), 0.0
        for sign, cell in ((1, (row_a, column_a)), (-1, (row_b, column_b))):
            if cell in index:
                vector[index[cell]] += sign
            else:
                bound -= sign * float(shown.at[cell])
        if vector.any():
            rules.append((vector, bound))
    return rules


def _solve(objective, rules, equalities, totals, lower) -> float | None:
    result = linprog(
        objective,
        A_ub=np.vstack([r for r, _ in rules]) if rules else None,
        b_ub=np.array([b for _, b in rules]) if rules else None,
        A_eq=np.vstack(equalities),
        b_eq=np.array(totals),
        bounds=lower,
        method="highs",
    )
    return float(result.fun) if result.status == 0 else None


def pinned(ranges: dict[str, tuple[float, float]], width: float = 0.0) -> dict[str, tuple[float, float]]:
    """The hidden counts a reader narrows to at most `width` + 1 whole numbers."""
    return {
        port: (least, greatest)
        for port, (least, greatest) in ranges.items()
        if math.floor(greatest + 1e-6) - math.ceil(least - 1e-6) <= width
    }
