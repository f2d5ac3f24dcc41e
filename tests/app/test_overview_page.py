"""AppTest of the weekly overview: it renders, its numbers equal direct SQL, and the week is in the URL."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from taskforce.analysis import cohorts
from taskforce.core.formats import format_count, format_percent
from taskforce.ui.text import escape_markdown
from tests.conftest import LATEST_WEEK, PROJECT_ROOT, scalar

OVERVIEW = str(PROJECT_ROOT / "pages" / "overview.py")
TIMEOUT = 60


def _run(query_week: str | None = None, detail: str | None = None) -> AppTest:
    at = AppTest.from_file(OVERVIEW, default_timeout=TIMEOUT)
    if query_week:
        at.query_params["week"] = query_week
    if detail:  # the detail tab open, as ?detail= in a link opens it
        at.query_params["detail"] = detail
    return at.run()


def _metric(at: AppTest, label: str) -> str:
    return next(m for m in at.metric if m.label == label).value


def _national(db, measure_code: str, week: dt.date) -> float:
    return scalar(
        db,
        "select sum(value) from weekly_return where measure_code = $m and week_ending = $w",
        {"m": measure_code, "w": week},
    )


def _twelve_weeks(db, code: str, lag_weeks: int = 0) -> float:
    return scalar(
        db,
        """select sum(value) from weekly_return where measure_code = $m
                         and week_ending between $w - interval 77 day and $w""",
        {"m": code, "w": LATEST_WEEK - dt.timedelta(weeks=lag_weeks)},
    )


@pytest.fixture
def page(demo_db_path) -> AppTest:
    """A fresh run of the page for each test, so a test that changes the page changes only its own."""
    return _run()


def test_the_overview_renders_without_an_exception(page):
    assert not page.exception
    assert page.title[0].value == "Weekly overview"


def test_the_marking_and_the_demo_notice_are_on_the_page(page):
    assert "OFFICIAL-SENSITIVE" in str(page.get("html")[0].proto)
    assert any("Demo data" in warning.value for warning in page.warning)


def test_the_default_week_is_the_latest_complete_week(page):
    assert page.selectbox(key="week").value == LATEST_WEEK.isoformat()


def test_card_values_equal_direct_sql(page, db):
    assert _metric(page, "OIC arrests") == format_count(_national(db, "oic_arrests", LATEST_WEEK))
    assert _metric(page, "OIC charges") == format_count(_national(db, "oic_charges", LATEST_WEEK))
    # a cohort: the 12 weeks' charges over the arrests of the 12 weeks they follow
    charge_rate = _twelve_weeks(db, "oic_charges") / _twelve_weeks(db, "oic_arrests", cohorts.CHARGE_LAG_WEEKS)
    assert _metric(page, "Charge rate, 12 weeks") == format_percent(charge_rate)
    debrief_rate = _national(db, "migrants_debriefed", LATEST_WEEK) / _national(db, "migrants_encountered", LATEST_WEEK)
    assert _metric(page, "Migrant debrief rate") == format_percent(debrief_rate)
    shared = _national(db, "intel_packages_shared", LATEST_WEEK)
    assert _metric(page, "Intelligence packages shared with partners") == format_count(shared)


def test_complete_returns_equal_direct_sql(demo_db_path, db):
    """The metric counts complete returns (every reported measure), not every return received."""
    page = _run(detail="Returns this week")
    complete = scalar(
        db,
        """select count(*) from (select org_code from weekly_return where week_ending = $w
                             group by org_code having count(distinct measure_code) = 20)""",
        {"w": LATEST_WEEK},
    )
    assert _metric(page, "Complete returns") == f"{complete} of 49"


def test_recommendation_counts_add_up_to_ten(demo_db_path):
    page = _run(detail="Recommendations")
    statuses = ["Off track", "At risk", "On track", "Not started", "Complete"]
    assert sum(int(_metric(page, status)) for status in statuses) == 10


def test_changing_the_week_changes_the_cards(page, db):
    earlier = LATEST_WEEK - dt.timedelta(weeks=10)
    page.selectbox(key="week").set_value(earlier.isoformat()).run()
    assert not page.exception
    assert _metric(page, "OIC arrests") == format_count(_national(db, "oic_arrests", earlier))
    assert page.query_params["week"] == [earlier.isoformat()] or page.query_params["week"] == earlier.isoformat()


def test_the_week_in_the_url_selects_that_week(demo_db_path, db):
    week = dt.date(2025, 9, 14)  # Operation Lockstream
    at = _run(week.isoformat())
    assert not at.exception
    assert at.selectbox(key="week").value == week.isoformat()
    assert _metric(at, "OIC arrests") == format_count(_national(db, "oic_arrests", week))


def test_a_week_in_the_url_that_has_no_data_falls_back_to_the_default(demo_db_path):
    at = _run("2019-01-06")
    assert not at.exception
    assert at.selectbox(key="week").value == LATEST_WEEK.isoformat()


def in_page_order(node):
    """Every element of the page, top to bottom."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from in_page_order(child)


def test_what_changed_lists_three_to_six_statements(page):
    statements = [markdown.value for markdown in page.tabs[0].markdown if markdown.value.startswith("- ")]
    assert statements, "no what-changed statements on the page"
    assert 3 <= statements[0].count("\n- ") + 1 <= 6


def test_the_page_leads_with_the_weeks_message_exceptions_first_before_the_cards(page):
    """The briefing's own findings in its words, above the headline cards: the exceptions first (the overdue
    recommendations, each with how long, in the overdue colour's word), then the other findings.
    (Before: three cards of prose first, and the overdue recommendations at the bottom, complete ones first.)"""
    from taskforce.briefing.findings import message

    texts = [getattr(element, "value", None) for element in in_page_order(page.main)]
    kinds = [getattr(element, "type", "") for element in in_page_order(page.main)]
    assert texts.index("**Exceptions**") < kinds.index("metric")  # before the first card
    exceptions = next(value for value in texts[texts.index("**Exceptions**") + 1 :] if isinstance(value, str))
    briefing = data_for_the_week()
    said = message(briefing)
    assert exceptions.startswith(f"- **{escape_markdown(said.exceptions[0].finding)}**")
    assert "overdue by" in exceptions and "months" in exceptions
    findings = texts[texts.index("**This week's findings**") + 1]
    assert findings == "\n".join(f"- {escape_markdown(heading.finding)}" for heading in said.findings)

    recommendations = _run(detail="Recommendations")
    table = recommendations.table[0].value
    assert table["Status"].iloc[0] == ":red-badge[Overdue]"  # overdue first, in the overdue colour


def test_only_the_open_detail_tab_runs_and_its_name_is_in_the_url(page):
    """A new tab sends the message, the cards and one detail tab (what changed): the returns and the
    recommendations run only when their tab is opened, which a link can do (?detail=)."""
    assert [tab.label for tab in page.tabs] == ["What changed this week", "Returns this week", "Recommendations"]
    assert not any(metric.label in ("Returns received", "Complete") for metric in page.metric)
    assert not page.table
    page.session_state["detail"] = "Recommendations"
    page.run()
    assert page.table and any(metric.label == "Complete" for metric in page.metric)


def data_for_the_week():
    """The briefing the page reads, built the same way as the page builds it."""
    from taskforce.ui import data

    return data.weekly_briefing(LATEST_WEEK)


def test_pressing_a_download_does_not_rerun_the_page(page):
    """A rerun on the press would give the button a new deferred file and revoke the one being fetched, so on a
    busy server the download could be lost; every download button leaves the page as it is."""
    buttons = list(page.get("download_button"))
    assert buttons
    assert all(button.proto.ignore_rerun for button in buttons)
