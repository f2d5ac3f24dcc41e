"""Every page in wider circulation runs with the queries that return counts forbidden: whatever it shows, it read
from the release (release_figures, protected once), never from a count query of its own. Pages not yet wired to
the release fail here by name, which is the point."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core import queries
from taskforce.ui import data
from tests.conftest import PROJECT_ROOT

# The named queries that return counts of people, events and things outside the release (queries/*.sql).
COUNT_QUERIES = {
    "map_values",
    "org_period_totals",
    "org_weekly_series",
    "trend_series",
    "force_key_measures",
    "national_weekly_totals",
    "org_week_against_recent",
    "intelligence_flows",
}
# Every page of the dashboard: in wider circulation each reads nothing but the release (a test below holds this
# list to the files in pages/, so a new page cannot be left out).
EVERY_PAGE = [
    "overview",
    "briefing",
    "regional",
    "force",
    "trends",
    "partnership",
    "recommendations",
    "returns",
    "about",
]
PAGES = EVERY_PAGE


def test_every_page_of_the_dashboard_is_checked():
    assert sorted(EVERY_PAGE) == sorted(path.stem for path in (PROJECT_ROOT / "pages").glob("*.py"))


class CountQueryInWiderMode(AssertionError):
    pass


@pytest.fixture
def count_queries_forbidden(monkeypatch):
    asked: list[str] = []
    real = queries.sql_text

    def guarded(name: str) -> str:
        if name in COUNT_QUERIES:
            asked.append(name)
            raise CountQueryInWiderMode(f"{name} asked for in wider circulation")
        return real(name)

    monkeypatch.setattr(queries, "sql_text", guarded)
    data.clear_query_cache()
    yield asked
    data.clear_query_cache()


@pytest.mark.parametrize("page", PAGES)
def test_in_wider_circulation_a_page_reads_no_count_query(demo_db_path, count_queries_forbidden, page):
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=180)
    at.session_state["wider_circulation"] = True
    at.run()
    assert count_queries_forbidden == [], f"{page} read {sorted(set(count_queries_forbidden))}"
    assert not at.exception


WIDER_CHOICES = [
    ("partnership", "section", section)
    for section in (
        "Intelligence sharing",
        "Co-ordinated tasking",
        "Migrant debriefing",
        "Charge rate by force",
        "Crime groups",
    )
] + [("trends", "released_split", split) for split in ("National", "By agency", "By ROCU region")]


@pytest.mark.parametrize("page, control, choice", WIDER_CHOICES)
def test_in_wider_circulation_every_section_and_split_reads_no_count_query(
    demo_db_path, count_queries_forbidden, page, control, choice
):
    """Every choice a wider page offers, not only its default: each section of Partnership, each split of Trends."""
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=180)
    at.session_state["wider_circulation"] = True
    at.query_params[control] = choice
    at.run()
    assert not at.exception
    assert count_queries_forbidden == [], f"{page} {choice} read {sorted(set(count_queries_forbidden))}"
    assert any(choice == widget.value for widget in at.get("button_group"))


@pytest.mark.parametrize(
    "key, code", [("force", "kent"), ("force", "city-of-london"), ("force", "btp"), ("rocu", "ersou")]
)
def test_in_wider_circulation_a_force_s_own_view_reads_no_count_query(demo_db_path, count_queries_forbidden, key, code):
    """A force's own view with a force or ROCU chosen: only the release's cells, or that it is for the taskforce's
    own circulation; never its most similar forces or ranks, made from a force's small counts."""
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "force.py"), default_timeout=180)
    at.session_state["wider_circulation"] = True
    at.query_params[key] = code
    at.run()
    assert not at.exception
    assert count_queries_forbidden == [], f"{key}={code} read {sorted(set(count_queries_forbidden))}"
    assert any(box.value == code for box in at.selectbox)
    assert not any("most similar forces, nearest first" in text.value for text in at.markdown)


# Each tab of the overview's detail, with what only that tab draws (a tab that is not open is not drawn at all).
OVERVIEW_TABS = [
    ("What changed this week", lambda at: bool(at.markdown)),
    ("Returns this week", lambda at: any(metric.label == "Complete returns" for metric in at.metric)),
    ("Recommendations", lambda at: any(metric.label == "Off track" for metric in at.metric)),
]


@pytest.mark.parametrize("tab, drawn", OVERVIEW_TABS, ids=[tab for tab, _ in OVERVIEW_TABS])
def test_in_wider_circulation_every_tab_of_the_overview_reads_no_count_query(
    demo_db_path, count_queries_forbidden, tab, drawn
):
    """The overview draws only its open tab, so each is opened (as ?detail= in a link opens it) and held to the
    release like the rest of the page."""
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "overview.py"), default_timeout=180)
    at.session_state["wider_circulation"] = True
    at.query_params["detail"] = tab
    at.run()
    assert not at.exception
    assert count_queries_forbidden == [], f"overview {tab} read {sorted(set(count_queries_forbidden))}"
    assert drawn(at), f"the {tab} tab was not drawn"
