"""The pages read the rollups, never the raw returns (whose size follows the units, not the organisations), and
the map's stocks follow the carry-forward cap of the org_week_figure view: a stock last reported more than 8
weeks before the period's end is no longer counted."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from taskforce.core.queries import QUERIES_DIR, run_query
from tests.conftest import LATEST_WEEK

# The named queries that read the raw returns, and why: what changed since an issued pack, and how much late
# returns added to a week (week_revisions), are questions about superseded values, which only the history holds
# (revisions, not a page's figures).
READS_THE_HISTORY = {"returns_changed_since", "week_revisions"}
STOCK, FORCE = "officers_trained", "kent"


def test_no_page_query_reads_the_raw_returns():
    raw = {
        path.stem
        for path in QUERIES_DIR.glob("*.sql")
        if re.search(r"\bweekly_return(_history)?\b", path.read_text(encoding="utf-8"))
    }
    assert raw == READS_THE_HISTORY


def test_what_is_loaded_from_the_rollups_says_what_the_raw_returns_say(con):
    status = run_query(con, "what_is_loaded").iloc[0]
    raw = con.execute("select min(week_ending), max(week_ending), count(*) from weekly_return").fetchone()
    assert (status["first_week"].date(), status["last_week"].date(), int(status["live_values"])) == raw
    assert bool(status["demo_loaded"])


def _map_stock(con, last: dt.date) -> list[float]:
    frame = run_query(con, "map_values", {"measures": [STOCK], "from": last - dt.timedelta(weeks=20), "to": last})
    return frame.loc[frame["org_code"].eq(FORCE), "value"].tolist()


def _view_stock(con, week: dt.date) -> list[float]:
    return [
        row[0]
        for row in con.execute(
            "select value from org_week_figure "
            "where org_code = $org and measure_code = $measure and week_ending = $week",
            {"org": FORCE, "measure": STOCK, "week": week},
        ).fetchall()
    ]


@pytest.mark.parametrize("weeks_silent, counted", [(8, True), (9, False)])
def test_a_stock_silent_for_more_than_8_weeks_is_off_the_map_as_in_the_view(con, weeks_silent, counted):
    last_reported = LATEST_WEEK - dt.timedelta(weeks=weeks_silent)
    con.execute(
        "delete from org_week_value where org_code = $org and measure_code = $measure and week_ending > $last",
        {"org": FORCE, "measure": STOCK, "last": last_reported},
    )
    reported = con.execute(
        "select value from org_week_value where org_code = $org and measure_code = $measure and week_ending = $last",
        {"org": FORCE, "measure": STOCK, "last": last_reported},
    ).fetchall()
    assert reported, "the demo holds the force's stock for that week"
    expected = [reported[0][0]] if counted else []
    assert _map_stock(con, LATEST_WEEK) == expected
    assert _view_stock(con, LATEST_WEEK) == expected
