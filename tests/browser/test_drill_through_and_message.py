"""What only a browser shows: the overview's message above the fold at 1440x900 and 1366x768, the chase list at
the top of Weekly returns, and a force's profile brought into view beside the map, from ?force= or a click."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import save_screenshot, wait_until_rendered

pytestmark = pytest.mark.browser
SIZES = [(1440, 900), (1366, 768)]


def _bottom(locator) -> float:
    box = locator.bounding_box()
    assert box is not None, "not drawn"
    return box["y"] + box["height"]


@pytest.mark.parametrize("width, height", SIZES)
def test_the_weeks_message_is_above_the_fold(open_page, width, height):
    """The exceptions and the findings, both whole, inside the first screen, before any scrolling."""
    page = open_page("/", width=width, height=height).page
    message = page.locator('[data-testid="stHorizontalBlock"]', has=page.get_by_text("Exceptions", exact=True)).last
    save_screenshot(page, f"issue26_after_overview_{width}x{height}")
    assert page.evaluate("window.scrollY") == 0
    assert _bottom(message) <= height, f"the message ends at {_bottom(message):.0f} px of {height}"
    assert page.get_by_text("overdue by", exact=False).first.is_visible()


def test_the_chase_list_is_at_the_top_of_weekly_returns(open_page):
    page = open_page("/returns", width=1440, height=900).page
    heading = page.get_by_role("heading", name="To chase for the week ending")
    save_screenshot(page, "issue26_after_returns_1440x900")
    assert _bottom(heading) <= 900
    assert page.get_by_text("Missing for the week ending").count() == 0


def _profile_in_view(page, height: int) -> bool:
    heading = page.get_by_role("heading", name="Force profile:")
    return heading.count() > 0 and heading.first.bounding_box()["y"] >= 0 and _bottom(heading.first) <= height


def test_the_force_in_the_url_opens_its_profile_in_view(open_page):
    page = open_page("/regional?force=kent", width=1440, height=900).page
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=120_000)
    time.sleep(2)  # SwiftShader draws the first frame a moment after the canvas appears
    save_screenshot(page, "issue26_after_regional_force_kent_1440x900")
    assert page.get_by_role("heading", name="Force profile: Kent Police").is_visible()
    assert _profile_in_view(page, 900)


def test_a_click_on_a_force_opens_its_profile_in_view(open_page):
    """A click on the force grid (the middle of the map, then points around it until one lands on a force)."""
    page = open_page("/regional", width=1440, height=900).page
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    canvas.wait_for(state="visible", timeout=120_000)
    time.sleep(2)
    box = canvas.bounding_box()
    for dx, dy in [(0.5, 0.5), (0.45, 0.55), (0.55, 0.45), (0.5, 0.6), (0.4, 0.5), (0.6, 0.6), (0.5, 0.4)]:
        page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)
        time.sleep(1)
        wait_until_rendered(page)
        if page.get_by_role("heading", name="Force profile:").count():
            break
    save_screenshot(page, "issue26_after_regional_click_1440x900")
    assert page.get_by_role("heading", name="Force profile:").count(), "no click landed on a force"
    assert page.evaluate("window.scrollY") == 0 and _profile_in_view(page, 900)
