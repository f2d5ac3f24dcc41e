"""The demo builds for any as-of date: the real today, and more than a year ahead (never a pinned date)."""

from __future__ import annotations

import datetime as dt

import pytest

from taskforce.core.calendar import last_complete_week_ending
from taskforce.core.db import connect
from taskforce.demo.build import build_demo_database


@pytest.mark.parametrize("days_ahead", [0, 400])
def test_the_demo_builds_as_of_today_and_400_days_from_today(tmp_path, days_ahead):
    """Given the real today (or 400 days after it), when the demo is built as of that date, then its latest
    week is the last complete week before it and every week up to then has returns."""
    as_of = dt.date.today() + dt.timedelta(days=days_ahead)
    built = build_demo_database(tmp_path / "demo.duckdb", as_of=as_of)
    con = connect(built.path)
    try:
        latest, weeks = con.execute(
            "select max(week_ending), count(distinct week_ending) from weekly_return"
        ).fetchone()
        arrests = con.execute(
            """select sum(value) from weekly_return where measure_code = 'oic_arrests'
                                 and week_ending = $week""",
            {"week": latest},
        ).fetchone()[0]
    finally:
        con.close()
    assert latest == last_complete_week_ending(as_of)
    assert weeks == built.weeks
    assert arrests > 0
