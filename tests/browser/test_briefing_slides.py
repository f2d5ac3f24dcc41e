"""Every briefing slide at 1920x1080, as the big screen shows it, with nothing fetched from another host."""
from __future__ import annotations

import pytest

from taskforce.briefing.slides import SLIDES
from tests.browser.conftest import save_screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("number", range(1, len(SLIDES) + 1))
def test_each_slide_on_the_big_screen(open_page, dashboard_url, number):
    loaded = open_page(f"/briefing?slide={number}", width=1920, height=1080)
    save_screenshot(loaded.page, f"briefing_slide_{number}_1920x1080")
    assert loaded.page.get_by_text(f"Slide {number} of {len(SLIDES)}").first.is_visible()
    assert loaded.page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible()
    assert loaded.outside_requests(dashboard_url) == []
