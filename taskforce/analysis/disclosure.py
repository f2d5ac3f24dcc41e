"""Disclosure control for what leaves the dashboard "for wider circulation": small counts are replaced by
[c], and a second count is hidden wherever a total would otherwise reveal a hidden one."""
from __future__ import annotations

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
    return (f"For wider circulation: counts from 1 to {threshold} are shown as {SUPPRESSED}, and another count is "
            f"hidden wherever a total would reveal one.")


def _small(value, threshold: int) -> bool:
    return isinstance(value, (int, float)) and not pd.isna(value) and 1 <= value <= threshold


def suppress(table: pd.DataFrame, count_columns: list[str], threshold: int | None = None) -> pd.DataFrame:
    """Primary suppression of counts 1..threshold, then secondary suppression down each count column (whose
    total is published elsewhere): where a column has exactly one hidden cell, the next smallest non-zero count
    is hidden too, so the total less the others cannot give it away."""
    threshold = threshold or configured_threshold()
    result = table.copy().astype({column: object for column in count_columns if column in table})
    for column in count_columns:
        if column not in result:
            continue
        values = table[column]
        hidden = [index for index, value in values.items() if _small(value, threshold)]
        if len(hidden) == 1:
            candidates = values.drop(index=hidden)
            candidates = candidates[candidates.notna() & (candidates > 0)]
            if not candidates.empty:
                hidden.append(candidates.idxmin())
        for index in hidden:
            result.at[index, column] = SUPPRESSED
    return result
