"""Recommendations addressed to every chief constable: how many forces stand in each status, and who is behind."""
from __future__ import annotations

import pandas as pd

from taskforce.measures.vocabulary import Status

BEHIND = (Status.OFF_TRACK, Status.NO_RETURN)


def status_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """Forces in each status for each recommendation (rows: recommendation number; columns: every status, in
    the one order, zero where none), from the force_recommendation_matrix query."""
    counts = matrix.groupby(["recommendation", "status"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[str(status) for status in Status], fill_value=0)


def forces_behind(matrix: pd.DataFrame) -> list[tuple[Status, int, list[str]]]:
    """(status, recommendation, the forces in that status, sorted) for each status that counts as behind."""
    behind = []
    for status in BEHIND:
        rows = matrix[matrix["status"] == status]
        for number, forces in rows.groupby("recommendation")["force_name"]:
            behind.append((status, int(number), sorted(forces)))
    return behind
