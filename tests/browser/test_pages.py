"""What only a browser shows: each page draws in real Chromium, asks nothing of any other host, and passes
axe-core's serious and critical checks."""
from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot
from tests.conftest import LATEST_WEEK

pytestmark = pytest.mark.browser

PAGES = {
    "overview": "/",
    "about": "/about",
    "recommendations_list": "/recommendations?view=List",
    "recommendations_detail": "/recommendations?view=Recommendation&rec=4",
    "recommendations_matrix": "/recommendations?view=Force+matrix",
    "recommendations_progress": "/recommendations?view=Progress+and+forecast",
    "trends": "/trends",
    "trends_by_region_monthly": "/trends?split=By+ROCU+region&period=Monthly&range=Last+2+years",
    "partnership_intelligence": "/partnership",
    "partnership_tasking": "/partnership?section=Co-ordinated+tasking",
    "partnership_debriefing": "/partnership?section=Migrant+debriefing",
    "partnership_crime_groups": "/partnership?section=Crime+groups",
    "returns_completeness": "/returns",
    "returns_load": "/returns?section=Load+a+return",
    "returns_audit_log": "/returns?section=Audit+log",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_and_makes_no_request_to_another_host(open_page, dashboard_url, name):
    loaded = open_page(PAGES[name])
    save_screenshot(loaded.page, f"{name}_1920x1080")
    tall = open_page(PAGES[name], height=2600)
    save_screenshot(tall.page, f"{name}_full")
    assert loaded.outside_requests(dashboard_url) == []
    assert tall.outside_requests(dashboard_url) == []
    assert loaded.page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible()
    assert loaded.page.get_by_text("Demo data.").first.is_visible()
    exceptions = loaded.page.query_selector_all('[data-testid="stException"]')
    assert exceptions == []


def test_overview_shows_the_cards_and_the_chosen_week(open_page):
    loaded = open_page("/?week=2025-09-14")
    page = loaded.page
    assert page.get_by_text("Week ending 14 Sep 2025").first.is_visible()
    assert page.locator('[data-testid="stMetric"]').count() >= 7
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length === 6", timeout=60_000)
    save_screenshot(page, "overview_lockstream_week")


def test_the_url_follows_the_week_chosen(open_page, dashboard_url):
    page = open_page("/").page
    assert f"week={LATEST_WEEK.isoformat()}" in page.url


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_or_critical_accessibility_violation(open_page, name):
    from axe_playwright_python.sync_playwright import Axe

    loaded = open_page(PAGES[name], height=2600)
    results = Axe().run(loaded.page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in serious]
    assert serious == [], details
