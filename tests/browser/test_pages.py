"""What only a browser shows: each page draws in real Chromium, asks nothing of any other host, and passes
axe-core's serious and critical checks."""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot, wait_until_rendered
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
def test_each_view_draws_asks_no_other_host_and_passes_axe(open_page, dashboard_url, name):
    """Given a view opened once in Chromium at 1920x1080,
    when it has drawn (a screenshot of the screen), and again drawn in a window tall enough for all of it
    (a screenshot of the whole page, and axe-core's checks),
    then it shows the marking and the demo notice, no exception, no request to any other host, and no serious
    or critical accessibility violation."""
    loaded = open_page(PAGES[name])
    page = loaded.page
    save_screenshot(page, f"{name}_1920x1080")
    assert page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible()
    assert page.get_by_text("Demo data.").first.is_visible()
    assert page.query_selector_all('[data-testid="stException"]') == []
    page.set_viewport_size({"width": 1920, "height": 2600})
    wait_until_rendered(page)
    save_screenshot(page, f"{name}_full")
    assert loaded.outside_requests(dashboard_url) == []
    _assert_no_serious_accessibility_violation(page)


def _assert_no_serious_accessibility_violation(page) -> None:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    details = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:5]) for v in serious]
    assert serious == [], details


def test_overview_shows_the_cards_and_the_chosen_week(open_page):
    loaded = open_page("/?week=2025-09-14")
    page = loaded.page
    assert page.get_by_text("Week ending 14 Sep 2025").first.is_visible()
    # the six cards; the returns' count is in its own tab, drawn when that tab is opened
    assert page.locator('[data-testid="stMetric"]').count() >= 6
    # six sparklines, drawn as SVG images with their words as alt text, and no Plotly on this page
    sparklines = page.locator('[data-testid="stMain"] img[src^="data:image/svg+xml"]')
    sparklines.nth(5).wait_for(timeout=60_000)
    assert sparklines.count() == 6
    assert all(sparklines.nth(i).evaluate("image => image.complete && image.naturalWidth > 0") for i in range(6))
    assert "last 26 weeks" in (sparklines.first.get_attribute("alt") or "")
    assert page.locator(".js-plotly-plot").count() == 0
    save_screenshot(page, "overview_lockstream_week")


def test_the_url_follows_the_week_chosen(open_page, dashboard_url):
    page = open_page("/").page
    assert f"week={LATEST_WEEK.isoformat()}" in page.url
