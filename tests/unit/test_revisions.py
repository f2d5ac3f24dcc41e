"""Revisions statistics recovered from a store whose late returns are known."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest

from taskforce.analysis import revisions
from taskforce.core.queries import run_query

FIRST_WEEK = dt.date(2026, 1, 4)  # a Sunday
WEEKS = 20


def _store() -> duckdb.DuckDBPyConnection:
    """Each week: force A returns 100 on time (Monday). On even weeks force B's 10 arrives late (the Friday after
    the due Tuesday); on odd weeks B returns 10 on time. In week 0, A first returned 80 on time and resubmitted
    100 late; in week 1, A's first value 60 was superseded on the Monday, before the due time, by its 100."""
    con = duckdb.connect()
    con.execute("create table upload (id integer, received_at timestamp)")
    con.execute(
        "create table weekly_return (week_ending date, org_code varchar, measure_code varchar, "
        "value double, upload_id integer)"
    )
    con.execute(
        "create table weekly_return_history (week_ending date, org_code varchar, measure_code varchar, "
        "value double, upload_id integer, superseded_by_upload_id integer, superseded_at timestamp)"
    )
    upload = 0
    for n in range(WEEKS):
        week = FIRST_WEEK + dt.timedelta(weeks=n)
        monday, friday = (pd.Timestamp(week + dt.timedelta(days=d)) + pd.Timedelta(hours=9) for d in (1, 5))
        for org, value, at in (("A", 100.0, friday if n == 0 else monday), ("B", 10.0, monday if n % 2 else friday)):
            upload += 1
            con.execute("insert into upload values (?, ?)", [upload, at])
            con.execute("insert into weekly_return values (?, ?, 'oic_arrests', ?, ?)", [week, org, value, upload])
        if n in (0, 1):
            upload += 1
            first_value, superseded = (80.0, friday) if n == 0 else (60.0, monday)
            con.execute("insert into upload values (?, ?)", [upload, pd.Timestamp(week) + pd.Timedelta(hours=20)])
            con.execute(
                "insert into weekly_return_history values (?, 'A', 'oic_arrests', ?, ?, ?, ?)",
                [week, first_value, upload, upload - 2, superseded],
            )
    return con


def _expected_shares() -> list[float]:
    shares = []
    for n in range(WEEKS):
        at_due = (80.0 if n == 0 else 100.0) + (10.0 if n % 2 else 0.0)
        shares.append((110.0 - at_due) / at_due)
    return shares


def test_the_share_late_returns_added_is_recovered():
    con = _store()
    last = FIRST_WEEK + dt.timedelta(weeks=WEEKS - 1)
    table = run_query(
        con,
        "week_revisions",
        {"measures": ["oic_arrests"], "from": FIRST_WEEK, "to": last, "due_days": revisions.DUE_DAYS},
    )
    found = revisions.revision_statistics(table)["oic_arrests"]
    truth = pd.Series(_expected_shares())
    assert found.weeks == WEEKS
    assert found.mean == pytest.approx(truth.mean())
    assert found.largest == pytest.approx(30 / 80)  # week 0: 80 at the due time, 110 now
    assert found.p90 == pytest.approx(truth.quantile(0.9))
    assert "on average" in found.words() and "OIC arrests" in found.words()


def test_a_value_superseded_before_the_due_time_is_not_counted_at_it():
    con = _store()
    table = run_query(
        con,
        "week_revisions",
        {"measures": ["oic_arrests"], "from": FIRST_WEEK, "to": FIRST_WEEK + dt.timedelta(weeks=1), "due_days": 3},
    )
    week_one = table[pd.to_datetime(table["week_ending"]).dt.date == FIRST_WEEK + dt.timedelta(weeks=1)]
    assert week_one["value_at_due"].tolist() == [110.0]  # A's 100 (not its 60 as well) and B's 10


def test_too_few_weeks_or_too_small_a_base_gives_no_statistics():
    table = pd.DataFrame(
        {
            "week_ending": pd.date_range("2026-01-04", periods=10, freq="7D"),
            "measure_code": "oic_arrests",
            "value_at_due": [5.0] * 10,
            "value_now": [9.0] * 10,
        }
    )
    assert revisions.revision_statistics(table) == {}
    assert revisions.revision_statistics(table.head(revisions.MINIMUM_WEEKS - 1).assign(value_at_due=50.0)) == {}


def test_the_settled_weeks_end_settled_weeks_before_the_data():
    first, last = revisions.settled_weeks(dt.date(2026, 11, 29))
    assert last == dt.date(2026, 11, 1) and (last - first).days == 7 * (revisions.HISTORY_WEEKS - 1)
