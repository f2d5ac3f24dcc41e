"""The recommendations tracker's logic: forecast, status reports (append-only) and the official wording."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from taskforce.core.db import connect, data_version
from taskforce.recommendations.forecast import forecast_completion
from taskforce.recommendations.reports import MAXIMUM_NARRATIVE, StatusReport, record_report, report_problems
from taskforce.recommendations.wording import load_official_wording

TODAY = dt.date(2026, 11, 28)


def _history(*points: tuple[dt.date, int]) -> pd.DataFrame:
    return pd.DataFrame(points, columns=["as_of_date", "percent_complete"])


def test_a_steady_history_projects_a_known_date():
    """Given 10 points a fortnight (5 a week) to 40% on 1 Nov 2026, 60 points remain: 12 weeks on."""
    start = dt.date(2026, 8, 23)
    history = _history(*[(start + dt.timedelta(weeks=2 * i), 10 * i) for i in range(5)])
    forecast = forecast_completion(history, dt.date(2026, 10, 18))
    assert forecast.projected == dt.date(2026, 10, 18) + dt.timedelta(weeks=12)
    assert forecast.points_per_week == pytest.approx(5.0)
    assert forecast.lands_after(dt.date(2026, 12, 31)) is True
    assert forecast.lands_after(pd.Timestamp("2027-03-31")) is False


def test_a_stalled_recommendation_has_no_projection():
    history = _history((dt.date(2026, 9, 1), 50), (dt.date(2026, 9, 15), 50), (dt.date(2026, 9, 29), 50))
    forecast = forecast_completion(history, dt.date(2026, 10, 1))
    assert forecast.projected is None and "No progress" in forecast.reason


def test_a_complete_recommendation_is_not_projected():
    history = _history((dt.date(2026, 1, 1), 80), (dt.date(2026, 2, 1), 100), (dt.date(2026, 3, 1), 100))
    forecast = forecast_completion(history, TODAY)
    assert forecast.completed and forecast.projected is None and forecast.range_words() == "Complete"


def test_a_projection_is_a_range_of_months_that_widens_with_uncertainty():
    """Given a steady pace the range is narrow; given an erratic one of the same average pace it is wider, and
    both are given to the month, never to the day."""
    start = dt.date(2026, 6, 7)
    steady = _history(*[(start + dt.timedelta(weeks=2 * i), 10 * i) for i in range(7)])
    erratic = _history(*[(start + dt.timedelta(weeks=2 * i), p) for i, p in enumerate([0, 25, 5, 35, 20, 55, 60])])
    as_of = dt.date(2026, 9, 20)
    narrow, wide = forecast_completion(steady, as_of), forecast_completion(erratic, as_of)
    assert narrow.earliest and narrow.latest and narrow.earliest <= narrow.projected <= narrow.latest
    assert wide.earliest and (wide.latest is None or (wide.latest - wide.earliest) > (narrow.latest - narrow.earliest))
    words = narrow.range_words()
    assert words.count("20") >= 1 and not any(ch == "/" for ch in words)
    assert len(words.split()) in (2, 5)  # "Jan 2027" or "Dec 2026 to Feb 2027"


def test_too_few_reports_give_no_projection():
    assert forecast_completion(_history((dt.date(2026, 11, 1), 20)), TODAY).projected is None
    assert forecast_completion(_history(), TODAY).reason == "No status reports yet."


def _report(**changes) -> StatusReport:
    values = dict(
        recommendation=4,
        org_code=None,
        as_of_date=dt.date(2026, 11, 27),
        status="At risk",
        percent_complete=75,
        narrative="Procurement signed off; training starts in January.",
        evidence_url="https://knowledgehub.example/rec-04",
    )
    return StatusReport(**{**values, **changes})


def test_a_good_report_has_no_problems():
    assert report_problems(_report(), TODAY) == []


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"percent_complete": 101}, "from 0 to 100"),
        ({"percent_complete": -5}, "from 0 to 100"),
        ({"status": "Green"}, "Status must be one of"),
        ({"narrative": "x" * (MAXIMUM_NARRATIVE + 1)}, "the most allowed is 2,000"),
        ({"narrative": "   "}, "narrative is empty"),
        ({"evidence_url": "javascript:alert(1)"}, "http:// or https://"),
        ({"evidence_url": "ftp://files.example/x"}, "http:// or https://"),
        ({"as_of_date": dt.date(2026, 11, 29)}, "in the future"),
        ({"status": "Complete", "percent_complete": 90}, "must be 100% complete"),
        ({"org_code": "atlantis"}, "Unknown force"),
    ],
)
def test_each_bad_report_is_refused_with_a_reason(changes, message):
    problems = report_problems(_report(**changes), TODAY, known_orgs={"kent"})
    assert any(message in problem for problem in problems), problems


@pytest.fixture
def fresh_db(writable_db_path):
    con = connect(writable_db_path)
    yield con
    con.close()


def test_recording_a_report_appends_one_row_and_bumps_the_data_version(fresh_db):
    before = fresh_db.execute("select count(*) from rec_update").fetchone()[0]
    version = data_version(fresh_db)
    new_id = record_report(fresh_db, _report(), "analyst@police.example", dt.datetime(2026, 11, 28, 10, 0))
    assert fresh_db.execute("select count(*) from rec_update").fetchone()[0] == before + 1
    assert data_version(fresh_db) == version + 1
    row = fresh_db.execute("select status, updated_by from rec_update where id = $id", {"id": new_id}).fetchone()
    assert row == ("At risk", "analyst@police.example")


def _official_csv(rows: int = 10, overrides: dict | None = None) -> str:
    lines = ["number,title,text,addressed_to,owner,due_date"]
    for number in range(1, rows + 1):
        row = {
            "number": str(number),
            "title": f"Official title {number}",
            "text": f'"Official text, {number}."',
            "addressed_to": "All chief constables",
            "owner": "NPCC",
            "due_date": "2026-12-31",
        }
        row.update((overrides or {}).get(number, {}))
        lines.append(",".join(row.values()))
    return "\n".join(lines) + "\n"


def test_official_wording_replaces_text_and_keeps_history(fresh_db):
    history = fresh_db.execute("select count(*) from rec_update").fetchone()[0]
    assert load_official_wording(fresh_db, _official_csv()) == []
    title, text, illustrative = fresh_db.execute(
        "select short_title, text, illustrative from recommendation where number = 3"
    ).fetchone()
    assert (title, text, illustrative) == ("Official title 3", "Official text, 3.", False)
    assert fresh_db.execute("select count(*) from rec_update").fetchone()[0] == history


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "The file is empty."),
        ("number,title\n1,x\n", "Row 1: the header must be"),
        (_official_csv(rows=9), "missing from the file: 10"),
        (_official_csv(overrides={4: {"due_date": "31/12/2026"}}), "Row 5, due_date"),
        (_official_csv(overrides={2: {"number": "1"}}), "Row 3, number: recommendation 1 appears twice"),
        (_official_csv(overrides={7: {"text": ""}}), "Row 8, text: empty"),
        (_official_csv(overrides={1: {"number": "11"}}), "Row 2, number: '11' is not a recommendation number"),
    ],
)
def test_a_bad_wording_file_is_refused_and_changes_nothing(fresh_db, content, message):
    before = fresh_db.execute("select * from recommendation order by number").df()
    problems = load_official_wording(fresh_db, content)
    assert any(message in problem for problem in problems), problems
    pd.testing.assert_frame_equal(fresh_db.execute("select * from recommendation order by number").df(), before)


def test_the_command_line_loads_the_wording_and_reports_problems(fresh_db, tmp_path, capsys):
    from taskforce.cli import main

    path = fresh_db.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[
        0
    ]
    fresh_db.close()
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(_official_csv())
    bad.write_text(_official_csv(rows=8))
    assert main(["load-recommendations", str(bad), "--db", path]) == 1
    assert "missing from the file: 9, 10" in capsys.readouterr().err
    assert main(["load-recommendations", str(good), "--db", path]) == 0
    assert main(["load-recommendations", str(tmp_path / "absent.csv"), "--db", path]) == 2


def test_how_long_overdue_is_said_as_people_say_it():
    from taskforce.recommendations.overdue import how_long

    assert [how_long(days) for days in (1, 13, 14, 60, 228, 365, 400)] == [
        "1 day",
        "13 days",
        "2 weeks",
        "8 weeks",
        "7½ months",
        "1 year",
        "1 year and 1 month",
    ]


def test_an_overdue_recommendation_is_shown_as_overdue_first_never_as_its_reported_at_risk():
    """Recommendation 7, due 31 Mar 2026 and last reported At risk, as at 15 Nov 2026: "Overdue" (in the overdue
    colour, as every page draws it), 7½ months, listed before the ones not overdue; complete is never overdue.
    (Before: "At risk" in amber, and the overview listed complete recommendations first.)"""
    import datetime as dt

    import pandas as pd

    from taskforce.measures.palette import OVERDUE_TINT
    from taskforce.recommendations.overdue import with_overdue
    from taskforce.ui.styles import STATUS_CELLS, badge_colour

    recommendations = pd.DataFrame(
        {
            "number": [1, 7, 4],
            "status": ["Complete", "At risk", "On track"],
            "overdue": [False, True, False],
            "due_date": [dt.date(2025, 11, 30), dt.date(2026, 3, 31), dt.date(2027, 6, 30)],
        }
    )
    shown = with_overdue(recommendations, dt.date(2026, 11, 15))
    assert shown["number"].tolist() == [7, 1, 4]
    assert shown["shown_status"].tolist() == ["Overdue", "Complete", "On track"]
    assert shown["overdue_by"].tolist() == ["7½ months", "", ""]
    assert badge_colour("Overdue") == OVERDUE_TINT and badge_colour("At risk") != OVERDUE_TINT
    assert STATUS_CELLS["Overdue"] != STATUS_CELLS["At risk"]
