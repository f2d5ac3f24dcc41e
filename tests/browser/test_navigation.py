"""Moving between pages in one session, as a leader does: no page may trip over another page's controls."""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot, wait_until_rendered

pytestmark = pytest.mark.browser

PAGE_LINKS = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'
# The regional map's measure is a selectbox and the trends page's a segmented control, both ?measure= in the
# URL: going from one to the other once made the second page fail.
ROUND = [
    "Regional activity",
    "Arrests and charges",
    "Regional activity",
    "A force's own view",
    "Regional activity",
    "Weekly briefing",
    "Arrests and charges",
    "Partnership",
    "Weekly overview",
]


def test_every_page_after_another_draws_without_an_error(open_page):
    page = open_page("/").page
    for title in ROUND:
        page.locator(PAGE_LINKS, has_text=title).dispatch_event("click")
        wait_until_rendered(page)
        errors = page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]')
        if errors.count():
            save_screenshot(page, f"navigation_error_{title.replace(' ', '_').lower()}")
        assert errors.count() == 0, f"{title} drew an error after the page before it"
        assert page.locator("h1").first.is_visible()


def test_the_regional_force_profile_opens_the_force_s_own_view(open_page):
    """A force clicked on Regional activity opens its profile, whose link opens its own view, bookmarkable."""
    page = open_page("/regional?force=kent").page
    page.get_by_role("link", name="Open Kent Police's own view").first.click()
    page.get_by_role("heading", name="A force's own view").first.wait_for(timeout=60_000)
    wait_until_rendered(page)
    save_screenshot(page, "force_own_view_from_regional")
    assert "force=kent" in page.url
    assert page.get_by_role("heading", name="Kent Police").first.is_visible()
    assert page.get_by_text("Most similar forces are computed here").first.is_visible()
