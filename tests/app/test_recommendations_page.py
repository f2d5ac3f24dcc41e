"""AppTest of the recommendations tracker: views, detail by URL, recording a report, and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core.db import connect
from tests.conftest import LATEST_WEEK, run_page, scalar


def _open(**query) -> AppTest:
    return run_page("recommendations", **query)


@pytest.mark.parametrize("view", ["List", "Recommendation", "Force matrix", "Progress and forecast"])
def test_every_view_renders(demo_db_path, view):
    at = _open(view=view)
    assert not at.exception
    assert at.title[0].value == "Recommendations"
    assert any("illustrative" in info.value for info in at.info)


def test_the_list_shows_every_recommendation_with_status_in_words_overdue_first(demo_db_path, db):
    """Status is as at the data-up-to date (22 Nov 2026 here, not the clock's today); an overdue recommendation
    says "Overdue", whatever its last report said (that stays beside it), and comes first, longest first.
    (Before: an overdue recommendation showed its reported "At risk" in amber, and the list ran by due date.)"""
    at = _open()
    table = at.dataframe[0].value
    assert len(table) == 10
    assert set(table["Status"]) <= {"Not started", "On track", "At risk", "Off track", "Complete", "Overdue"}
    assert set(table["Last report said"]) <= {"Not started", "On track", "At risk", "Off track", "Complete"}
    overdue = scalar(
        db,
        """select count(*) from recommendation r where r.due_date < $as_at and
        (select status from rec_update u where u.recommendation = r.number and u.org_code is null
         and u.as_of_date <= $as_at order by as_of_date desc, recorded_at desc, id desc limit 1) <> 'Complete'""",
        {"as_at": LATEST_WEEK},
    )
    assert overdue and (table["Status"] == "Overdue").sum() == overdue
    assert table["Status"].head(overdue).eq("Overdue").all()
    assert table["Overdue by"].head(overdue).str.contains("month|week|day").all()
    assert not (table["Last report said"].head(overdue) == "Complete").any()


def test_the_list_filters_by_status(demo_db_path):
    at = _open()
    at.multiselect(key="filter_status").set_value(["Complete"]).run()
    table = at.dataframe[0].value
    assert len(table) >= 1 and set(table["Status"]) == {"Complete"}


def test_the_recommendation_in_the_url_opens_its_detail(demo_db_path):
    at = _open(view="Recommendation", rec="4")
    assert not at.exception
    assert at.subheader[0].value.startswith("4. ")
    assert at.selectbox(key="rec").value == "4"
    assert len(at.get("plotly_chart")) >= 3  # milestones, status history, linked measures


def _fill_report(
    at: AppTest, status: str, percent: int, narrative: str, evidence: str = "", as_of: dt.date = LATEST_WEEK
) -> AppTest:
    at.selectbox(key="report_status").set_value(status)
    at.number_input(key="report_percent").set_value(percent)
    at.text_area(key="report_narrative").input(narrative)
    at.text_input(key="report_evidence").input(evidence)
    at.date_input(key="report_as_of").set_value(as_of)
    next(button for button in at.button if button.label == "Record the report").click()
    return at.run()


def _reports(path) -> int:
    con = connect(path)
    try:
        return con.execute("select count(*) from rec_update").fetchone()[0]
    finally:
        con.close()


def test_a_valid_report_adds_exactly_one_row_and_the_list_reflects_it(writable_db_path, monkeypatch):
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    before = _reports(writable_db_path)
    at = _fill_report(
        _open(view="Recommendation", rec="1"),
        "At risk",
        80,
        "Reopened: the framework needs revising after the Border Security Act.",
    )
    assert not at.exception
    assert any("Recorded" in success.value for success in at.success)
    assert _reports(writable_db_path) == before + 1
    listing = _open(view="List").dataframe[0].value
    assert listing.loc[listing["No."] == 1, "Last report said"].item() == "At risk"
    assert listing.loc[listing["No."] == 1, "Status"].item() == "Overdue"  # due 30 Nov 2025, not complete


@pytest.mark.parametrize(
    "status, percent, narrative, evidence, as_of, message",
    [
        ("Complete", 60, "Done.", "", LATEST_WEEK, "must be 100% complete"),
        ("At risk", 60, "", "", LATEST_WEEK, "narrative is empty"),
        ("At risk", 60, "Progress.", "javascript:alert(1)", LATEST_WEEK, "http:// or https://"),
        ("At risk", 60, "Progress.", "", dt.date.today() + dt.timedelta(days=3), "in the future"),
    ],
)
def test_each_invalid_report_is_refused_with_a_message_and_writes_nothing(
    writable_db_path, monkeypatch, status, percent, narrative, evidence, as_of, message
):
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    before = _reports(writable_db_path)
    at = _fill_report(_open(view="Recommendation", rec="2"), status, percent, narrative, evidence, as_of)
    assert not at.exception
    shown = [error.value.replace("\\", "") for error in at.error]  # as displayed, without Markdown escapes
    assert any(message in text for text in shown), shown
    assert _reports(writable_db_path) == before


def test_a_narrative_with_html_or_markdown_is_shown_literally(writable_db_path, monkeypatch):
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    narrative = "<script>alert('x')</script> **not bold** [link](https://evil.example)"
    at = _fill_report(_open(view="Recommendation", rec="9"), "On track", 85, narrative)
    assert not at.exception
    at = _open(view="Recommendation", rec="9")
    assert narrative in [text.value for text in at.text]
    assert not any("<script>" in markdown.value for markdown in at.markdown)
