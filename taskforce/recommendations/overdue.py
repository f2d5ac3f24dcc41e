"""Overdue comes before any reported status: a recommendation (or a force's part of one) past its due date and
not complete is shown as "Overdue", in the overdue colour, on every page, with how long, whatever its last
report said ("At risk" stays in the words beside it, never as an amber tag)."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from taskforce.core.formats import as_date, plural
from taskforce.measures.vocabulary import RecommendationStatus

OVERDUE = "Overdue"


def is_overdue(status: str, due: dt.date | None, as_at: dt.date) -> bool:
    return due is not None and due < as_at and status != RecommendationStatus.COMPLETE


def shown_status(status: str, overdue: bool) -> str:
    """The word (and so the colour) a page shows: "Overdue" before anything a report says."""
    return OVERDUE if overdue else str(status)


def days_overdue(due: dt.date | None, as_at: dt.date) -> int:
    return max((as_at - due).days, 0) if due is not None else 0


def how_long(days: int) -> str:
    """'5 days', '3 weeks', '7½ months', '1 year and 2 months': as people say it."""
    if days < 14:
        return plural(days, "day")
    if days < 61:
        return plural(days // 7, "week")
    months = days / (365.25 / 12)
    halves = round(months * 2) / 2
    if halves < 12:
        whole = int(halves)
        return f"{whole}½ months" if halves != whole else plural(whole, "month")
    years, rest = divmod(round(months), 12)
    return plural(years, "year") + (f" and {plural(rest, 'month')}" if rest else "")


def with_overdue(recommendations: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """The recommendation_status rows with the shown status, days overdue and "7½ months" (empty when not
    overdue), overdue first (longest first), then by due date and number."""
    days = [
        days_overdue(as_date(due), as_at) if overdue else 0
        for due, overdue in zip(recommendations["due_date"], recommendations["overdue"], strict=True)
    ]
    shown = recommendations.assign(
        shown_status=[
            shown_status(status, bool(overdue))
            for status, overdue in zip(recommendations["status"], recommendations["overdue"], strict=True)
        ],
        days_overdue=days,
        overdue_by=[
            how_long(n) if overdue else "" for n, overdue in zip(days, recommendations["overdue"], strict=True)
        ],
    )
    return shown.sort_values(
        ["overdue", "days_overdue", "due_date", "number"], ascending=[False, False, True, True]
    ).reset_index(drop=True)
