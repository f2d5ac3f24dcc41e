"""What only a browser shows of the verdicts drawn: the overview's sparklines draw their limits on a 1440-px
laptop, each with its key beside it in view, and on the big screen (1920x1080, presentation mode) no help icon
is shown on the headline slide while every card still draws its mean and limits."""

from __future__ import annotations

import base64

import pytest

from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser

SPARKLINES = '[data-testid="stMain"] img[src^="data:image/svg+xml"]'
HELP_ICONS = '[data-testid="stMain"] [data-testid="stTooltipIcon"]'


def _svgs(page) -> list[str]:
    sources = page.locator(SPARKLINES).evaluate_all("images => images.map(image => image.src)")
    return [base64.b64decode(source.split(",", 1)[1]).decode() for source in sources]


def _visible(page, selector: str) -> int:
    found = page.locator(selector)
    return sum(1 for index in range(found.count()) if found.nth(index).is_visible())


def test_the_overviews_sparklines_draw_their_limits_with_a_key_on_a_laptop(open_page):
    page = open_page("/", width=1440, height=900).page
    page.locator(SPARKLINES).nth(5).wait_for(timeout=60_000)
    drawn = _svgs(page)
    assert len(drawn) == 6 and sum('class="mean"' in svg and 'class="upper"' in svg for svg in drawn) >= 4
    keys = page.locator(".sparkline-key")
    assert keys.count() >= 4
    keys.first.scroll_into_view_if_needed()
    box = keys.first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1440  # the key is not cut off on the right
    assert "Mean" in keys.first.inner_text() and "Limits" in keys.first.inner_text()
    save_screenshot(page, "overview_cards_with_limits_1440")


def test_the_big_screen_shows_no_help_icons_and_still_draws_the_limits(open_page):
    page = open_page("/briefing?present=1&slide=2", width=1920, height=1080).page
    page.locator(SPARKLINES).nth(5).wait_for(timeout=60_000)
    assert _visible(page, HELP_ICONS) == 0
    assert sum('class="mean"' in svg for svg in _svgs(page)) >= 4
    assert "Limits" in page.locator(".sparkline-key").first.inner_text()
    save_screenshot(page, "briefing_present_headlines_with_limits_1920")
