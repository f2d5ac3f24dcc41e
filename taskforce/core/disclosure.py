"""Disclosure control for what leaves the dashboard "for wider circulation": small counts are replaced by
[c], and a second count is hidden wherever a total would otherwise reveal a hidden one."""

from __future__ import annotations

import numbers
import os

import pandas as pd

SUPPRESSED = "[c]"
DEFAULT_THRESHOLD = 4


def configured_threshold() -> int:
    """The largest count hidden: `TASKFORCE_SMALL_COUNT_THRESHOLD`, else 4."""
    configured = os.environ.get("TASKFORCE_SMALL_COUNT_THRESHOLD", "").strip()
    return int(configured) if configured.isdigit() and int(configured) > 0 else DEFAULT_THRESHOLD


def note(threshold: int | None = None) -> str:
    threshold = threshold or configured_threshold()
    return (
        f"For wider circulation: counts from 1 to {threshold} are shown as {SUPPRESSED}, with other counts "
        "hidden wherever a combination of the figures released would reveal one, and every rate, change and "
        "rank made from a hidden count hidden too (About the data: Wider circulation: how figures are "
        "protected)."
    )


def _number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and not pd.isna(value)


def _small(value, threshold: int) -> bool:
    return _number(value) and 1 <= value <= threshold


def _lone_hidden(hidden: set, cells: list, values: dict) -> object | None:
    """Where exactly one of these cells is hidden, the smallest other non-zero one that must go with it."""
    hidden_here = [cell for cell in cells if cell in hidden]
    if len(hidden_here) != 1:
        return None
    others = [cell for cell in cells if cell not in hidden and _positive(values[cell])]
    return min(others, key=lambda cell: values[cell]) if others else None


def _positive(value) -> bool:
    return _number(value) and value > 0


def _bounded_hidden(hidden: set, columns: list[str], bounded_by: dict[str, str]) -> set:
    """The cells to hide because the cell that bounds them in their row is hidden."""
    return {
        (index, column)
        for index, bounding in hidden
        for column, by in bounded_by.items()
        if by == bounding and column in columns and (index, column) not in hidden
    }


def suppress(
    table: pd.DataFrame,
    count_columns: list[str],
    threshold: int | None = None,
    derived_columns: list[str] | None = None,
    bounded_by: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Primary suppression of counts from 1 to the threshold; then secondary suppression in both directions
    (down each count column, whose total is published elsewhere, and along each row across the count columns)
    until no column or row holds exactly one hidden cell, so no total less the others gives one away; then
    every derived figure of a row with a hidden count (a rate, a per-100,000 value, a change, a rank, the
    value shown on a map) is hidden too, so none can be worked back. `bounded_by`: column -> the column that
    bounds it in every row (vehicles cannot exceed people found): where the bounding cell is hidden, the bounded
    one is hidden too, so a value shown beside it cannot pin it from below."""
    threshold = threshold or configured_threshold()
    columns = [column for column in count_columns if column in table]
    values = {(index, column): table.at[index, column] for index in table.index for column in columns}
    hidden = {cell for cell, value in values.items() if _small(value, threshold)}
    changed = True
    while changed:
        changed = False
        lines = [[(index, column) for index in table.index] for column in columns]
        if len(columns) > 1:
            lines += [[(index, column) for column in columns] for index in table.index]
        for cells in lines:
            extra = _lone_hidden(hidden, cells, values)
            if extra is not None:
                hidden.add(extra)
                changed = True
        bound = _bounded_hidden(hidden, columns, bounded_by or {})
        changed = changed or bool(bound)
        hidden |= bound
    result = table.copy().astype({column: object for column in [*columns, *(derived_columns or [])] if column in table})
    for index, column in hidden:
        result.at[index, column] = SUPPRESSED
    rows = {index for index, _ in hidden}
    for column in derived_columns or []:
        if column in result:
            for index in rows:
                result.at[index, column] = SUPPRESSED
    return result
