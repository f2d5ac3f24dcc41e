"""`build-demo --scale N`: N units per organisation and a longer history, for benchmarks; the pages' rollups
hold the organisations' totals, so what the pages show keeps the shape of the demo at scale 1."""

from __future__ import annotations

import datetime as dt

import pytest

from taskforce.cli import main
from taskforce.core.db import connect
from taskforce.demo import generator
from taskforce.demo.build import build_demo_database
from taskforce.returns import intake, validation
from tests.conftest import AS_OF, LATEST_WEEK, SEED, scalar

SCALE = 4


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    path = tmp_path_factory.mktemp("scaled") / "scaled.duckdb"
    build_demo_database(path, as_of=AS_OF, seed=SEED, scale=SCALE)
    con = connect(path)
    yield con
    con.close()


@pytest.mark.parametrize(
    "scale, first",
    [(1, dt.date(2023, 1, 8)), (4, dt.date(2023, 1, 8)), (10, dt.date(2022, 1, 9)), (100, dt.date(2021, 1, 10))],
)
def test_the_history_is_a_year_longer_for_each_tenfold(scale, first):
    assert generator.first_week_ending(scale) == first
    assert generator.week_endings(AS_OF, scale)[0] == first
    assert generator.week_endings(AS_OF, scale)[-1] == LATEST_WEEK


def test_every_organisation_reports_through_its_units(scaled, db):
    organisations = scalar(db, "select count(*) from org where expected_to_return")
    assert scalar(scaled, "select count(*) from org_unit") == organisations * SCALE
    assert (
        scalar(scaled, "select count(*) from weekly_return") == scalar(db, "select count(*) from weekly_return") * SCALE
    )
    assert (
        scalar(
            scaled,
            """select count(*) from weekly_return r left join org_unit u on u.code = r.org_code
                             where u.code is null""",
        )
        == 0
    )
    assert scalar(scaled, "select value from meta where key = 'demo_scale'") == str(SCALE)


def test_the_rollups_hold_organisations_only_and_sum_their_units(scaled):
    assert (
        scalar(
            scaled,
            """select count(*) from org_week_value v left join org o on o.code = v.org_code
                             where o.code is null""",
        )
        == 0
    )
    assert scalar(scaled, "select sum(value) from org_week_value") == scalar(
        scaled, "select sum(value) from weekly_return"
    )
    assert scalar(scaled, "select min(units) = $scale and max(units) = $scale from org_week_value", {"scale": SCALE})


def test_national_activity_keeps_the_size_of_the_demo_at_scale_one(scaled, db):
    """Units share their organisation's level, so national weekly arrests stay close to scale 1's."""
    query = "select sum(value) from org_week_value where measure_code = 'oic_arrests' and year(week_ending) = 2026"
    assert scalar(scaled, query) == pytest.approx(scalar(db, query), rel=0.1)
    kent = "select sum(value) from org_week_value where org_code = $org and measure_code = 'oic_arrests'"
    assert scalar(scaled, kent, {"org": "kent"}) > 3 * scalar(scaled, kent, {"org": "cumbria"})


def test_the_flaws_of_real_returns_survive_scaling(scaled):
    latest = {"week": LATEST_WEEK}
    assert (
        scalar(
            scaled, """select uploads from org_week_receipt where org_code = 'kent' and week_ending = $week""", latest
        )
        == 2
    )
    assert (
        scalar(
            scaled,
            """select count(*) from org_week_receipt where org_code in ('gwent', 'lincolnshire')
                             and week_ending = $week""",
            latest,
        )
        == 0
    )
    assert (
        scalar(
            scaled,
            """select sum(value) from org_week_value where org_code = 'dyfed-powys' and week_ending = $week
                             and measure_code = 'oic_arrests'""",
            latest,
        )
        == 0
    )


def test_a_unit_can_send_a_return_and_a_week_of_the_longer_history_is_accepted(tmp_path):
    path = tmp_path / "scale10.duckdb"
    build_demo_database(path, as_of=dt.date(2023, 3, 1), seed=SEED, scale=10)
    con = connect(path)
    try:
        assert validation.series_start(con) == dt.date(2022, 1, 9)
        raw = b"week_ending,org_code,measure_code,value\n2022-01-16,kent-u003,oic_arrests,5\n"
        outcome, checked = intake.load(con, "unit.csv", raw, "analyst", dt.datetime(2023, 3, 1, 9), True)
        assert outcome.status == "committed", [p.message for p in checked.errors]
    finally:
        con.close()


def test_the_command_refuses_a_scale_that_is_not_a_whole_number(tmp_path, capsys):
    assert main(["build-demo", "--db", str(tmp_path / "x.duckdb"), "--scale", "ten"]) == 2
    assert "not a whole number" in capsys.readouterr().err
