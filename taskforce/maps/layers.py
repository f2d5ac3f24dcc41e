"""pydeck maps drawn with no basemap (`map_provider=None`): nothing is fetched from outside."""

from __future__ import annotations

import copy
import math

import pandas as pd
import pydeck as pdk

from taskforce.maps import hexgrid
from taskforce.measures import palette

TOOLTIP = {
    "text": "{name}\n{shown_text}\n{value_text}\n{rank_text}\n{change_text}",
    "style": {"backgroundColor": palette.WHITE, "color": palette.TEXT, "fontSize": "14px"},
}
# British Transport Police polices the railways, not an area: its marker sits apart, off the east coast.
MARKER_POSITIONS = {"btp": (2.6, 52.4)}
# The zoom that shows the whole force grid in a deck this many pixels high.
HEX_GRID_ZOOM, HEX_GRID_HEIGHT = 5.3, 640
# The share of the deck's width and height the grid may fill when fitted to both (a margin for the outlines).
FIT_SHARE = 0.92
# What each drawn area carries for its tooltip and for a click.
SHOWN = ("org_code", "name", "fill", "shown_text", "value_text", "rank_text", "change_text")


def _rgb(colour: str) -> list[int]:
    return list(palette.rgb(colour))


def _label_colour(colour: str) -> list[int]:
    red, green, blue = _rgb(colour)
    return [255, 255, 255] if (0.299 * red + 0.587 * green + 0.114 * blue) < 140 else [11, 12, 12]


def force_rows(table: pd.DataFrame, forces: pd.DataFrame, level: str) -> pd.DataFrame:
    """One row per force with the area's colour and words (at ROCU level, every force takes its region's)."""
    key = "org_code" if level == "Force" else "rocu_region"
    joined = forces.merge(table, left_on=key, right_on="area", how="left")
    joined["name"] = joined["org_name"] if level == "Force" else joined["org_name"] + " (" + joined["rocu_region"] + ")"
    joined["fill"] = joined["colour"].map(_rgb)
    joined["label_colour"] = joined["colour"].map(_label_colour)
    return joined


def hex_deck(
    rows: pd.DataFrame,
    layout: pd.DataFrame,
    label_size: int = 14,
    height: int = HEX_GRID_HEIGHT,
    width: int | None = None,
) -> pdk.Deck:
    """The force grid: equal hexagons, force abbreviations, ROCU regions outlined, the whole grid in view at
    the given height in pixels (and, given the deck's width too, fitted to both, so no force is cut)."""
    cells = rows.merge(layout, left_on="org_code", right_on="code")
    grid = list(zip(cells["col"], cells["row"], strict=True))
    cells["polygon"] = [hexgrid.hexagon(col, row) for col, row in grid]
    cells["centre"] = [list(hexgrid.cell_centre(col, row, 1.0)) for col, row in grid]
    region_of = dict(zip(rows["org_code"], rows["rocu_region"], strict=True))
    outlines = pd.DataFrame(hexgrid.region_outlines(layout, region_of))
    columns = [
        "org_code",
        "name",
        "short_name",
        "polygon",
        "centre",
        "fill",
        "label_colour",
        "shown_text",
        "value_text",
        "rank_text",
        "change_text",
    ]
    data = cells[columns]
    layers = [
        pdk.Layer(
            "PolygonLayer",
            data,
            id="forces",
            get_polygon="polygon",
            get_fill_color="fill",
            get_line_color=[255, 255, 255],
            get_line_width=0.03,
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "PathLayer",
            outlines,
            id="regions",
            get_path="path",
            get_color=[11, 12, 12],
            get_width=0.08,
            width_min_pixels=2,
            cap_rounded=True,
        ),
        pdk.Layer(
            "TextLayer",
            data,
            id="labels",
            get_position="centre",
            get_text="short_name",
            get_color="label_colour",
            get_size=label_size,
            font_weight=700,
            font_family='"Source Sans Pro, Arial, sans-serif"',
            get_text_anchor='"middle"',
            get_alignment_baseline='"center"',
        ),
    ]
    x_values = [x for polygon in cells["polygon"] for x, _ in polygon]
    y_values = [y for polygon in cells["polygon"] for _, y in polygon]
    view = pdk.ViewState(
        target=[(min(x_values) + max(x_values)) / 2, (min(y_values) + max(y_values)) / 2, 0],
        zoom=grid_zoom(x_values, y_values, height, width),
        min_zoom=3,
        max_zoom=8,
    )
    return pdk.Deck(
        layers=layers,
        initial_view_state=view,
        map_provider=None,
        views=[pdk.View(type="OrthographicView", controller=True, flip_y=False)],
        tooltip=TOOLTIP,
    )


def grid_zoom(x_values: list[float], y_values: list[float], height: int, width: int | None = None) -> float:
    """The orthographic zoom (log2 of pixels per grid unit) that shows the grid whole: from its height alone as
    before, or, given the width, the largest that fits the grid's bounds in both."""
    if width is None:
        return HEX_GRID_ZOOM + math.log2(height / HEX_GRID_HEIGHT)
    pixels_per_unit = FIT_SHARE * min(height / (max(y_values) - min(y_values)), width / (max(x_values) - min(x_values)))
    return math.log2(pixels_per_unit)


def geo_deck(rows: pd.DataFrame, boundaries: dict) -> pdk.Deck:
    """Police force areas from the official boundaries, joined on the ONS code; forces without a boundary
    (Scotland, Northern Ireland, BTP) drawn as markers at their centroids."""
    by_code = rows.set_index("ons_code")
    shapes = copy.deepcopy(boundaries)
    code_property = next(key for key in shapes["features"][0]["properties"] if key.upper().endswith("CD"))
    drawn = set()
    for feature in shapes["features"]:
        code = feature["properties"][code_property]
        if code in by_code.index:
            row = by_code.loc[code]
            drawn.add(row["org_code"])
            feature["properties"] = {key: _plain(row[key]) for key in SHOWN}
    markers = rows[~rows["org_code"].isin(drawn)].copy()
    markers["position"] = [
        list(MARKER_POSITIONS.get(code, (lon, lat)))
        for code, lon, lat in zip(markers["org_code"], markers["lon"], markers["lat"], strict=True)
    ]
    columns = ["short_name", "position", *SHOWN]
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            shapes,
            id="areas",
            get_fill_color="properties.fill",
            get_line_color=[255, 255, 255],
            line_width_min_pixels=1,
            pickable=True,
            auto_highlight=True,
        ),
        pdk.Layer(
            "ScatterplotLayer",
            markers[columns],
            id="markers",
            get_position="position",
            get_fill_color="fill",
            get_line_color=[11, 12, 12],
            stroked=True,
            line_width_min_pixels=1.5,
            get_radius=22000,
            pickable=True,
        ),
        pdk.Layer(
            "TextLayer",
            markers[columns],
            id="marker_labels",
            get_position="position",
            get_text="short_name",
            get_size=13,
            get_pixel_offset=[0, -22],
            get_color=[11, 12, 12],
        ),
    ]
    view = pdk.ViewState(latitude=54.3, longitude=-3.0, zoom=4.9, min_zoom=4, max_zoom=9)
    return pdk.Deck(layers=layers, initial_view_state=view, map_provider=None, tooltip=TOOLTIP)


def _plain(value):
    """A JSON-friendly copy of a table value for a GeoJSON property."""
    if isinstance(value, list):
        return [int(v) for v in value]
    return value if isinstance(value, str) else (None if pd.isna(value) else value)
