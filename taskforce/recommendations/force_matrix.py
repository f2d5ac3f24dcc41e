"""Recommendations addressed to every chief constable: how many forces stand in each status, and who is behind
on one recommendation, as a ranked list (overdue first, longest first), not a wall of colour."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from taskforce.core.formats import as_date, format_date
from taskforce.measures.vocabulary import RecommendationStatus
from taskforce.recommendations.overdue import days_overdue, how_long, is_overdue, shown_status

# Behind, worst first, among forces that are not (yet) overdue: no report at all, then off track, at risk, not
# started. A force on track before the due date, or complete, is not behind.
BEHIND = (
    RecommendationStatus.NO_RETURN,
    RecommendationStatus.OFF_TRACK,
    RecommendationStatus.AT_RISK,
    RecommendationStatus.NOT_STARTED,
)


def status_counts(matrix: pd.DataFrame) -> pd.DataFrame:
    """Forces in each status for each recommendation (rows: recommendation number; columns: every status, in
    the one order, zero where none), from the force_recommendation_matrix query."""
    counts = matrix.groupby(["recommendation", "status"]).size().unstack(fill_value=0)
    return counts.reindex(columns=[str(status) for status in RecommendationStatus], fill_value=0)


def behind_on(matrix: pd.DataFrame, number: int, as_at: dt.date) -> pd.DataFrame:
    """Who is behind on recommendation `number` as at a date, from the force_recommendation_matrix query:
    overdue forces first (longest overdue first), then by how far behind their status is, then least complete;
    with the shown status ("Overdue" before the reported one), how long overdue and the last report."""
    rows = matrix[matrix["recommendation"] == number].copy()
    due = rows["due_date"].map(as_date)
    rows["overdue"] = [is_overdue(status, day, as_at) for status, day in zip(rows["status"], due, strict=True)]
    rows["days"] = [days_overdue(day, as_at) if late else 0 for day, late in zip(due, rows["overdue"], strict=True)]
    severity = {str(status): order for order, status in enumerate(BEHIND)}
    rows["severity"] = rows["status"].map(severity)
    behind = rows[rows["overdue"] | rows["severity"].notna()]
    behind = behind.assign(complete=behind["percent_complete"].fillna(0)).sort_values(
        ["overdue", "days", "severity", "complete", "force_name"], ascending=[False, False, True, True, True]
    )
    return pd.DataFrame(
        {
            "Rank": range(1, len(behind) + 1),
            "Force": behind["force_name"],
            "ROCU region": behind["rocu_region"],
            "Status": [
                shown_status(status, late) for status, late in zip(behind["status"], behind["overdue"], strict=True)
            ],
            "Overdue by": [
                how_long(days) if late else "" for days, late in zip(behind["days"], behind["overdue"], strict=True)
            ],
            "Last report said": behind["status"],
            "Complete": [f"{value:.0f}%" if pd.notna(value) else "" for value in behind["percent_complete"]],
            "Last report": [format_date(day) if pd.notna(day) else "none" for day in behind["last_update"]],
        }
    ).reset_index(drop=True)
