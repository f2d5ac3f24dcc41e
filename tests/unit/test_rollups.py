"""The rollups the pages read stay equal to the raw returns after every kind of write."""

from __future__ import annotations

import datetime as dt

from taskforce.core.db import transaction
from taskforce.returns import intake
from taskforce.store import rollups
from tests.conftest import LATEST_WEEK

NOW = dt.datetime(2026, 11, 28, 10, 0)
ROLLUPS = ("org_week_value", "org_week_receipt")


def contents(connection, table_name: str) -> list[tuple]:
    return connection.execute(f"select * from {table_name} order by all").fetchall()


def assert_rollups_equal_a_rebuild(connection) -> None:
    kept = {name: contents(connection, name) for name in ROLLUPS}
    with transaction(connection) as cursor:
        rollups.rebuild(cursor)
    for name in ROLLUPS:
        assert kept[name] == contents(connection, name), f"{name} differs from a rebuild"


def test_the_demo_rollups_equal_the_raw_returns_summed_by_organisation(db):
    raw = db.execute("select sum(value), count(distinct (week_ending, org_code)) from weekly_return").fetchone()
    rolled = db.execute("select sum(value), count(distinct (week_ending, org_code)) from org_week_value").fetchone()
    assert rolled == raw
    receipts = db.execute("select count(*) from org_week_receipt").fetchone()[0]
    assert receipts == raw[1]


def test_a_resubmission_updates_the_rollup_and_keeps_the_first_receipt(con):
    before = con.execute(
        """select first_received_at, uploads from org_week_receipt
                            where org_code = 'cumbria' and week_ending = $week""",
        {"week": LATEST_WEEK},
    ).fetchone()
    raw = f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},cumbria,oic_arrests,3\n".encode()
    outcome, _ = intake.load(con, "cumbria.csv", raw, "analyst", NOW, confirm_warnings=True)
    assert outcome.status == "committed"
    value = con.execute(
        """select value from org_week_value where org_code = 'cumbria' and week_ending = $week
                           and measure_code = 'oic_arrests'""",
        {"week": LATEST_WEEK},
    ).fetchone()[0]
    assert value == 3
    after = con.execute(
        """select first_received_at, uploads from org_week_receipt
                           where org_code = 'cumbria' and week_ending = $week""",
        {"week": LATEST_WEEK},
    ).fetchone()
    assert after == (before[0], before[1] + 1)
    assert_rollups_equal_a_rebuild(con)


def test_a_missing_return_loaded_late_appears_in_both_rollups(con):
    missing = con.execute(
        """select count(*) from org_week_receipt where org_code = 'gwent' and week_ending = $week""",
        {"week": LATEST_WEEK},
    ).fetchone()[0]
    assert missing == 0
    raw = f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},gwent,oic_arrests,1\n".encode()
    assert intake.load(con, "gwent.csv", raw, "analyst", NOW, confirm_warnings=True)[0].status == "committed"
    assert (
        con.execute(
            "select uploads from org_week_receipt where org_code = 'gwent' and week_ending = $week",
            {"week": LATEST_WEEK},
        ).fetchone()[0]
        == 1
    )
    assert_rollups_equal_a_rebuild(con)


def test_returns_from_units_roll_up_to_their_organisation(con):
    """Given two units of Kent, when each sends a return for the latest week, then Kent's rollup adds their
    values, its receipt counts their uploads, and the units never appear as organisations of their own."""
    con.execute("insert into org_unit values ('kent-u1', 'kent', 'Kent unit 1'), ('kent-u2', 'kent', 'Kent unit 2')")
    query = """select v.value, v.units, r.uploads
               from org_week_value v join org_week_receipt r using (week_ending, org_code)
               where v.org_code = 'kent' and v.week_ending = $week and v.measure_code = 'oic_arrests'"""
    value, units, uploads = con.execute(query, {"week": LATEST_WEEK}).fetchone()
    for unit, arrests in (("kent-u1", 4), ("kent-u2", 6)):
        raw = f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},{unit},oic_arrests,{arrests}\n".encode()
        outcome, checked = intake.load(con, f"{unit}.csv", raw, "analyst", NOW, confirm_warnings=True)
        assert outcome.status == "committed", [p.message for p in checked.errors]
    assert con.execute(query, {"week": LATEST_WEEK}).fetchone() == (value + 10, units + 2, uploads + 2)
    assert con.execute("select count(*) from org_week_value where org_code like 'kent-u%'").fetchone()[0] == 0
    assert_rollups_equal_a_rebuild(con)
