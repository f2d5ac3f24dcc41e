"""The UK clock: a return is due by the end of the Tuesday in London, whatever the server's time zone."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest

from taskforce.core.calendar import london_wall_clock
from taskforce.core.db import connect
from taskforce.returns import intake
from taskforce.store.creating import create_live_database
from tests.conftest import scalar

UTC = dt.UTC


@pytest.fixture
def server_in_utc(monkeypatch):
    """The process runs with its clock in UTC, as many servers do."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def live_con(tmp_path, monkeypatch):
    """An empty live database: the return under test is the first for its week."""
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    con = connect(create_live_database(tmp_path / "live.duckdb"))
    yield con
    con.close()


def _receipt(con, week: dt.date, sent_utc: dt.datetime) -> str:
    raw = f"week_ending,org_code,measure_code,value\n{week.isoformat()},kent,oic_arrests,5\n".encode()
    outcome, _ = intake.load(con, f"kent_{sent_utc:%Y%m%d%H%M}.csv", raw, "analyst", london_wall_clock(sent_utc))
    assert outcome.status == "committed"
    return scalar(
        con, "select receipt_status from return_status where org_code = 'kent' and week_ending = $w", {"w": week}
    )


@pytest.mark.parametrize(
    "week, sent_utc, expected",
    [
        # Summer (BST, UTC+1): the week ending Sunday 18 October 2026 is due by the end of Tuesday 20 October.
        (dt.date(2026, 10, 18), dt.datetime(2026, 10, 20, 22, 30, tzinfo=UTC), "On time"),  # 23:30 BST Tuesday
        (dt.date(2026, 10, 18), dt.datetime(2026, 10, 20, 23, 30, tzinfo=UTC), "Late"),  # 00:30 BST Wednesday
        # The clocks go back on Sunday 25 October 2026: that week's return is due on a GMT Tuesday.
        (dt.date(2026, 10, 25), dt.datetime(2026, 10, 27, 23, 30, tzinfo=UTC), "On time"),  # 23:30 GMT Tuesday
        (dt.date(2026, 10, 25), dt.datetime(2026, 10, 28, 0, 30, tzinfo=UTC), "Late"),  # 00:30 GMT Wednesday
    ],
)
def test_on_time_means_by_the_end_of_tuesday_in_london(live_con, server_in_utc, week, sent_utc, expected):
    """Given a server whose clock is in UTC, when Kent's return arrives at the given instant, then it is on
    time only if it arrived before midnight at the end of Tuesday, London time."""
    assert os.environ["TZ"] == "UTC"
    assert _receipt(live_con, week, sent_utc) == expected


def test_london_wall_clock_follows_summer_time():
    assert london_wall_clock(dt.datetime(2026, 7, 1, 12, 0, tzinfo=UTC)) == dt.datetime(2026, 7, 1, 13, 0)
    assert london_wall_clock(dt.datetime(2026, 12, 1, 12, 0, tzinfo=UTC)) == dt.datetime(2026, 12, 1, 12, 0)
