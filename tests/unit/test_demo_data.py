"""The demo generator: deterministic, shaped like real returns, and with real returns' flaws."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from taskforce.core.db import connect
from taskforce.demo import generator
from taskforce.demo.build import build_demo_database
from tests.conftest import AS_OF, LATEST_WEEK, SEED, scalar

TABLES = [
    "org",
    "measure",
    "upload",
    "weekly_return",
    "weekly_return_history",
    "recommendation",
    "milestone",
    "rec_update",
    "event",
    "org_unit",
    "org_week_value",
    "org_week_receipt",
]


def _table_contents(path) -> dict[str, pd.DataFrame]:
    con = connect(path)
    try:
        return {t: con.execute(f"select * from {t} order by all").df() for t in TABLES}
    finally:
        con.close()


def test_same_seed_and_date_give_the_same_table_contents(tmp_path, demo_db_path):
    """Given the session's demo database, when it is built again with the same seed and as-of date,
    then every table holds exactly the same rows."""
    again = build_demo_database(tmp_path / "again.duckdb", as_of=AS_OF, seed=SEED).path
    first, second = _table_contents(demo_db_path), _table_contents(again)
    for table in TABLES:
        pd.testing.assert_frame_equal(first[table], second[table], obj=table)


def test_another_seed_gives_other_values(tmp_path, db):
    other = connect(build_demo_database(tmp_path / "other.duckdb", as_of=AS_OF, seed=SEED + 1).path)
    sql = "select sum(value) from weekly_return where measure_code = 'oic_arrests'"
    assert scalar(other, sql) != scalar(db, sql)
    other.close()


def test_weeks_run_from_january_2023_to_the_last_complete_week(db):
    first, last = db.execute("select min(week_ending), max(week_ending) from weekly_return").fetchone()
    assert first == dt.date(2023, 1, 8)
    assert last == LATEST_WEEK
    not_sundays = scalar(db, "select count(*) from weekly_return where dayofweek(week_ending) <> 0")
    assert not_sundays == 0


@pytest.mark.parametrize(
    "as_of, expected",
    [
        (dt.date(2026, 11, 28), dt.date(2026, 11, 22)),  # Saturday
        (dt.date(2026, 11, 23), dt.date(2026, 11, 22)),  # Monday
        (dt.date(2026, 11, 22), dt.date(2026, 11, 15)),  # a Sunday is not over yet
    ],
)
def test_last_complete_week_is_the_sunday_before_the_as_of_date(as_of, expected):
    assert generator.last_complete_week_ending(as_of) == expected


def test_every_organisation_that_owes_a_return_reports_every_measure(db):
    owing = scalar(db, "select count(*) from org where expected_to_return")
    assert owing == 49  # 46 forces and 3 agencies
    reported = scalar(db, "select count(distinct org_code) from weekly_return")
    assert reported == owing
    measures = scalar(db, "select count(distinct measure_code) from weekly_return")
    assert measures == scalar(db, "select count(*) from measure where kind in ('count', 'money')")


def _total(db, measure: str, org: str | None = None, start=None, end=None) -> float:
    return scalar(
        db,
        """
        select sum(value) from weekly_return
        where measure_code = $measure and ($org is null or org_code = $org)
          and week_ending between coalesce($start, date '2000-01-01') and coalesce($end, date '2100-01-01')
    """,
        {"measure": measure, "org": org, "start": start, "end": end},
    )


def test_kent_carries_more_oic_work_than_cumbria(db):
    assert _total(db, "oic_arrests", "kent") > 3 * _total(db, "oic_arrests", "cumbria")
    assert _total(db, "migrants_encountered", "kent") > 10 * _total(db, "migrants_encountered", "cumbria")


def test_metropolitan_police_arrests_more_than_a_rural_force(db):
    assert _total(db, "oic_arrests", "metropolitan") > _total(db, "oic_arrests", "dyfed-powys")


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_second_half_of_each_year_is_busier_than_the_first(db, year):
    for measure in ("oic_arrests", "migrants_encountered"):
        first_half = _total(db, measure, start=dt.date(year, 1, 1), end=dt.date(year, 6, 30))
        second_half = _total(db, measure, start=dt.date(year, 7, 1), end=dt.date(year, 12, 31))
        assert second_half > first_half, measure


def _weekly_mean(db, measure: str, start: dt.date, end: dt.date) -> float:
    return scalar(
        db,
        """
        select avg(total) from (
            select week_ending, sum(value) as total from weekly_return
            where measure_code = $measure and week_ending between $start and $end group by week_ending)
    """,
        {"measure": measure, "start": start, "end": end},
    )


def test_activity_after_the_taskforce_launch_is_above_the_year_before(db):
    """The year after the launch (15 May 2025) against the year before it, so the seasons match."""
    for measure in ("oic_arrests", "intel_packages_shared", "migrants_debriefed", "taskings_completed"):
        before = _weekly_mean(db, measure, dt.date(2024, 5, 15), dt.date(2025, 5, 14))
        after = _weekly_mean(db, measure, dt.date(2025, 5, 15), dt.date(2026, 5, 14))
        assert after > 1.2 * before, measure


def test_operation_lockstream_adds_about_the_arrests_its_note_counts(db):
    """Given the event's own note of 51 arrests over its two weeks, the demo's extra arrests in those weeks
    (against the mean of the four weeks around them) are of that size, not four times it."""
    lockstream = 2 * _weekly_mean(db, "oic_arrests", dt.date(2025, 9, 14), dt.date(2025, 9, 21))
    around = (
        _weekly_mean(db, "oic_arrests", dt.date(2025, 8, 31), dt.date(2025, 9, 7))
        + _weekly_mean(db, "oic_arrests", dt.date(2025, 9, 28), dt.date(2025, 10, 5))
    ) / 2
    extra = lockstream - 2 * around
    assert 51 * 0.5 <= extra <= 51 * 1.6, extra


def test_charges_never_exceed_what_a_force_could_charge(db):
    """Rates stay plausible: a force's charges over a year stay at or below its arrests."""
    over = scalar(
        db,
        """
        select count(*) from (
            select org_code, year(week_ending) as y,
                   sum(value) filter (where measure_code = 'oic_charges') as charges,
                   sum(value) filter (where measure_code = 'oic_arrests') as arrests
            from weekly_return group by all) where charges > arrests + 3""",
    )
    assert over == 0


def test_most_returns_arrive_by_the_tuesday_and_some_are_late(db):
    late_share = scalar(
        db,
        """
        select avg(case when first_received_at >= week_ending + interval 3 day then 1 else 0 end)
        from org_week_receipt""",
    )
    assert 0.02 < late_share < 0.15


def test_some_returns_are_missing_including_this_week(db):
    missing_latest = scalar(
        db,
        """
        select count(*) from org o where o.expected_to_return and not exists (
            select 1 from weekly_return r where r.org_code = o.code and r.week_ending = $week)""",
        {"week": LATEST_WEEK},
    )
    assert missing_latest >= 2
    gaps = scalar(
        db,
        """
        select count(*) from org o, (select distinct week_ending from weekly_return) w
        where o.expected_to_return and not exists (
            select 1 from weekly_return r where r.org_code = o.code and r.week_ending = w.week_ending)""",
    )
    assert gaps > missing_latest


def test_nothing_is_received_after_the_as_of_date(db):
    latest_receipt = scalar(db, "select max(received_at) from upload")
    assert latest_receipt < dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time())


def test_kent_resubmitted_its_latest_return_and_the_first_values_stay_in_history(db):
    live = scalar(
        db,
        """select value from weekly_return
        where org_code = 'kent' and week_ending = $week and measure_code = 'oic_arrests'""",
        {"week": LATEST_WEEK},
    )
    superseded = scalar(
        db,
        """select value from weekly_return_history
        where org_code = 'kent' and week_ending = $week and measure_code = 'oic_arrests'""",
        {"week": LATEST_WEEK},
    )
    assert live == superseded + 2
    uploads = scalar(
        db,
        "select uploads from org_week_receipt where org_code = 'kent' and week_ending = $week",
        {"week": LATEST_WEEK},
    )
    assert uploads == 2


def test_one_force_sends_a_nil_return(db):
    activity = scalar(
        db,
        """select sum(value) from weekly_return r join measure m on m.code = r.measure_code
        where org_code = $org and week_ending = $week and m.aggregation = 'flow'""",
        {"org": generator.NIL_RETURN_ORG, "week": LATEST_WEEK},
    )
    assert activity == 0


def test_recommendation_history_has_national_and_force_reports(db):
    national = scalar(db, "select count(distinct recommendation) from rec_update where org_code is null")
    assert national == 10
    force_recs = scalar(db, "select count(distinct recommendation) from rec_update where org_code is not null")
    assert force_recs == scalar(db, "select count(*) from recommendation where scope = 'each_force'")
    statuses = {row[0] for row in db.execute("select distinct status from rec_update").fetchall()}
    assert {"On track", "At risk", "Off track", "Complete"} <= statuses
    empty_narratives = scalar(db, "select count(*) from rec_update where length(narrative) < 20")
    assert empty_narratives == 0


def test_milestones_are_completed_only_on_or_before_the_as_of_date(db):
    assert scalar(db, "select count(*) from milestone where completed_date > $d", {"d": AS_OF}) == 0
    assert scalar(db, "select count(*) from milestone where completed_date is not null") > 0


def test_build_is_marked_as_demo_data(db):
    assert scalar(db, "select bool_and(is_demo) from upload")
    assert scalar(db, "select value from meta where key = 'demo_as_of'") == AS_OF.isoformat()


def test_the_demo_follows_the_real_crossings_in_a_year_still_in_progress(db):
    """Given the real series, where January to September 2026 saw fewer crossings than the same months of 2025,
    then the demo's 2026 activity falls with it (an earlier demo held 2026 at the 2025 level)."""
    from taskforce.demo import generator

    annual = generator._annual_crossings(generator._seasonal_index())
    months = generator._monthly_crossings()
    assert sum(months[(2026, m)] for m in range(1, 10)) < sum(months[(2025, m)] for m in range(1, 10))
    assert annual[2026] < annual[2025]
    spring_2025 = _weekly_mean(db, "migrants_encountered", dt.date(2025, 3, 1), dt.date(2025, 4, 30))
    spring_2026 = _weekly_mean(db, "migrants_encountered", dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert spring_2026 < spring_2025 * 1.1  # and not lifted to 2025's level
