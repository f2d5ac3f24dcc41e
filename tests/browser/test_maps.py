"""The maps in real Chromium: the canvas is drawn (not blank), nothing is fetched from another host."""

from __future__ import annotations

import io
import time

import pytest
from PIL import Image

from tests.browser.conftest import save_screenshot
from tests.conftest import SHARED_BOUNDARIES

pytestmark = pytest.mark.browser


def _map_is_drawn(page, seconds: float = 60) -> Image.Image:
    """Wait until deck.gl's canvas shows a map (SwiftShader draws the first frame a moment after the canvas
    appears) and return a picture of the map area; the last picture if it never does."""
    chart = page.locator('[data-testid="stDeckGlJsonChart"]').first
    chart.wait_for(state="visible", timeout=seconds * 1000)
    page.wait_for_selector('[data-testid="stDeckGlJsonChart"] canvas', timeout=seconds * 1000)
    deadline = time.monotonic() + seconds
    while True:
        picture = Image.open(io.BytesIO(chart.screenshot())).convert("RGB")
        if _distinct_colours(picture) > 8 or time.monotonic() > deadline:
            return picture
        time.sleep(0.25)


def _distinct_colours(picture: Image.Image) -> int:
    return len(set(picture.resize((200, 150)).getdata()))


@pytest.mark.parametrize(
    "name, path",
    [
        ("map_force_grid", "/regional"),
        ("map_force_grid_rocu_change", "/regional?level=ROCU+region&basis=Change+on+previous+period"),
        ("map_force_profile", "/regional?force=kent&measure=migrants_encountered"),
    ],
)
def test_the_force_grid_draws_and_stays_local(open_page, dashboard_url, name, path):
    loaded = open_page(path, height=1500)
    picture = _map_is_drawn(loaded.page)
    save_screenshot(loaded.page, name)
    assert _distinct_colours(picture) > 8, "the map area is blank"
    assert loaded.outside_requests(dashboard_url) == []


@pytest.mark.skipif(not SHARED_BOUNDARIES.is_file(), reason="test boundary file not beside the project")
def test_the_geographic_map_draws_and_stays_local(open_page, dashboard_url):
    loaded = open_page("/regional?map=Geographic&basis=Per+100%2C000+residents", height=1200)
    picture = _map_is_drawn(loaded.page)
    save_screenshot(loaded.page, "map_geographic")
    assert _distinct_colours(picture) > 8, "the map area is blank"
    assert loaded.outside_requests(dashboard_url) == []
