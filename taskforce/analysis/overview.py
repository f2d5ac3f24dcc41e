"""The weekly overview assembled from named queries: the cards, returns, recommendations and statements."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from taskforce.analysis import headlines, what_changed

QueryRunner = Callable[[str, Mapping[str, Any]], pd.DataFrame]


@dataclass(frozen=True)
class WeeklyOverview:
    week_ending: dt.date
    cards: list[headlines.HeadlineCard]
    returns: pd.DataFrame
    returns_summary: headlines.ReturnsSummary
    recommendations: pd.DataFrame
    statements: list[str]
    wider_statements: list[str]  # the same without any single organisation's counts, for wider circulation


def weekly_overview(run_query: QueryRunner, week: dt.date, status_date: dt.date | None = None) -> WeeklyOverview:
    """Everything the overview shows for a week. `run_query(name, params)` runs a named query, so the
    dashboard can pass its cached runner and the command line a direct one."""
    totals = run_query("national_weekly_totals", {
        "from": week - dt.timedelta(weeks=headlines.HISTORY_WEEKS), "to": week,
    })
    returns = run_query("returns_for_week", {"week": week})
    summary = headlines.returns_summary(returns)
    cards = headlines.headline_cards(totals, week, provisional=summary.provisional)
    recommendations = run_query("recommendation_status", {"as_of": status_date or week})
    org_rows = run_query("org_week_against_recent", {
        "week": week, "window_start": week - dt.timedelta(weeks=headlines.AVERAGE_WEEKS),
    })
    changes = run_query("recommendation_status_changes", {"from": week - dt.timedelta(weeks=1), "to": week})
    return WeeklyOverview(
        week_ending=week, cards=cards, returns=returns, returns_summary=summary,
        recommendations=recommendations,
        statements=what_changed.statements(cards, org_rows, changes, summary),
        wider_statements=what_changed.statements(cards, org_rows, changes, summary, wider_circulation=True),
    )

