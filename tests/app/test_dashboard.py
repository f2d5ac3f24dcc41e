"""The entry point: navigation over the pages that exist, the overview first."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

DASHBOARD = str(PROJECT_ROOT / "dashboard.py")


def test_the_dashboard_opens_on_the_weekly_overview(demo_db_path):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Weekly overview"


def test_the_about_page_is_reachable_through_navigation(demo_db_path):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("pages/about.py").run()
    assert not at.exception
    assert at.title[0].value == "About the data"
