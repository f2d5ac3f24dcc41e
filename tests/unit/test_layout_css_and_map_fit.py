"""The laptop and the phone as the code says them (issue 26 points 5, 6, 10): the force grid fitted to its deck's
bounds, and the layout CSS that every page carries with its marking."""

from __future__ import annotations

import pytest

from taskforce.maps import hexgrid, layers
from taskforce.ui.frame import BANNER_CSS
from taskforce.ui.styles import LAYOUT_CSS, MAP_HEIGHT, MAP_WIDTH, PHONE_MAP_ZOOM


def _grid_bounds() -> tuple[list[float], list[float]]:
    layout = hexgrid.load_layout()
    corners = [
        corner for col, row in zip(layout["col"], layout["row"], strict=True) for corner in hexgrid.hexagon(col, row)
    ]
    return [x for x, _ in corners], [y for _, y in corners]


@pytest.mark.parametrize("width, height", [(MAP_WIDTH, MAP_HEIGHT), (340, 640), (1200, 400)])
def test_the_fitted_zoom_keeps_every_hexagon_inside_the_deck(width, height):
    x_values, y_values = _grid_bounds()
    pixels_per_unit = 2 ** layers.grid_zoom(x_values, y_values, height, width)
    assert (max(x_values) - min(x_values)) * pixels_per_unit <= width
    assert (max(y_values) - min(y_values)) * pixels_per_unit <= height


def test_without_a_width_the_zoom_is_the_height_fit_as_before():
    x_values, y_values = _grid_bounds()
    assert layers.grid_zoom(x_values, y_values, 640) == layers.HEX_GRID_ZOOM


def test_the_map_drawn_to_scale_on_a_phone_fits_a_360_pixel_screen():
    assert MAP_WIDTH * PHONE_MAP_ZOOM <= 360 - 2 * 12  # the phone's page margins are 0.75 rem each side


def test_every_page_carries_the_layout_css_with_its_marking():
    assert LAYOUT_CSS in BANNER_CSS
    assert "flex-wrap: wrap" in LAYOUT_CSS.split('[role="radiogroup"]', 1)[1].split("}", 1)[0]
    assert "@media (max-width: 640px)" in LAYOUT_CSS and ".st-key-phone_menu" in LAYOUT_CSS
    assert '[data-testid="stSkipToContent"]' in LAYOUT_CSS and ".skip-link:focus" in LAYOUT_CSS
