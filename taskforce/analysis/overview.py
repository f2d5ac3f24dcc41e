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


def weekly_overview(
    run_query: QueryRunner,
    week: dt.date,
    status_date: dt.date | None = None,
    released_totals: pd.DataFrame | None = None,
) -> WeeklyOverview:
    """Everything the overview shows for a week. `run_query(name, params)` runs a named query, so the
    dashboard can pass its cached runner and the command line a direct one. `released_totals`: for wider
    circulation, the nation's weekly cells as the protected release shows them (release/series.py); then no
    count is read from the store and no single organisation's week is looked at."""
    if released_totals is not None:
        return _overview(run_query, week, status_date, released_totals, None)
    totals = run_query(
        "national_weekly_totals",
        {
            "from": week - dt.timedelta(weeks=headlines.HISTORY_WEEKS),
            "to": week,
        },
    )
    org_rows = run_query(
        "org_week_against_recent",
        {
            "week": week,
            "window_start": week - dt.timedelta(weeks=headlines.AVERAGE_WEEKS),
        },
    )
    return _overview(run_query, week, status_date, totals, org_rows)


def _overview(
    run_query: QueryRunner,
    week: dt.date,
    status_date: dt.date | None,
    totals: pd.DataFrame,
    org_rows: pd.DataFrame | None,
) -> WeeklyOverview:
    returns = run_query("returns_for_week", {"week": week})
    summary = headlines.returns_summary(returns)
    cards = headlines.headline_cards(totals, week, provisional=summary.provisional)
    recommendations = run_query("recommendation_status", {"as_of": status_date or week})
    changes = run_query("recommendation_status_changes", {"from": week - dt.timedelta(weeks=1), "to": week})
    # no single organisation's week in wider circulation: the statements read the national cards only
    wider = what_changed.statements(cards, pd.DataFrame(), changes, summary, wider_circulation=True)
    return WeeklyOverview(
        week_ending=week,
        cards=cards,
        returns=returns,
        returns_summary=summary,
        recommendations=recommendations,
        statements=wider if org_rows is None else what_changed.statements(cards, org_rows, changes, summary),
        wider_statements=wider,
    )
