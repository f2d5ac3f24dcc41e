"""The force grid: one equal hexagon per force, each near its real place.

Forces are assigned to the cells of a hexagonal grid by solving an assignment problem that minimises the
total squared displacement from each force's centroid (scipy's linear_sum_assignment, the Hungarian
method). The layout is computed once and stored in data/reference/hex_layout.csv; `python -m taskforce
hex-layout` recomputes it. British Transport Police, which has no territory, sits in a fixed cell apart.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from taskforce.core.config import REFERENCE_DIR

LAYOUT_FILE = REFERENCE_DIR / "hex_layout.csv"
ORIGIN_LAT, ORIGIN_LON = 54.0, -2.5
NON_TERRITORIAL = "btp"
DEFAULT_CELL_SIZE = 0.36  # degrees of latitude from a hexagon's centre to a corner
# Where Scotland and Northern Ireland are anchored on the grid: their centroids are far from the border with
# England, and a hex map shows neighbours, not distances. An anchor near the border keeps them adjacent.
DISPLAY_ANCHORS = {"police-scotland": (55.6, -3.2), "northern-ireland": (54.6, -4.6)}


def project(lat: float, lon: float) -> tuple[float, float]:
    """Degrees to a flat plane where a unit is about the same distance east-west as north-south."""
    return (lon - ORIGIN_LON) * math.cos(math.radians(ORIGIN_LAT)), lat - ORIGIN_LAT


def cell_centre(col: int, row: int, size: float) -> tuple[float, float]:
    """Pointy-topped hexagons in 'odd-r' offset coordinates: odd rows shift half a cell east."""
    return math.sqrt(3) * size * (col + 0.5 * (row & 1)), 1.5 * size * row


def neighbours(col: int, row: int) -> set[tuple[int, int]]:
    shift = row & 1
    return {
        (col - 1, row),
        (col + 1, row),
        (col - 1 + shift, row - 1),
        (col + shift, row - 1),
        (col - 1 + shift, row + 1),
        (col + shift, row + 1),
    }


def compute_layout(
    forces: pd.DataFrame, size: float = DEFAULT_CELL_SIZE, offset: tuple[float, float] = (0.0, 0.0)
) -> pd.DataFrame:
    """Assign every territorial force to a distinct cell, minimising total squared displacement. `offset`
    shifts the forces against the grid (in cells), which changes which cells they fall into."""
    territorial = forces[forces["code"] != NON_TERRITORIAL].reset_index(drop=True)
    anchored = [
        DISPLAY_ANCHORS.get(code, (lat, lon))
        for code, lat, lon in zip(territorial["code"], territorial["lat"], territorial["lon"], strict=False)
    ]
    points = np.array([project(lat, lon) for lat, lon in anchored])
    points = points + np.array([offset[0] * math.sqrt(3) * size, offset[1] * 1.5 * size])
    col_range = range(
        int(points[:, 0].min() / (math.sqrt(3) * size)) - 2, int(points[:, 0].max() / (math.sqrt(3) * size)) + 3
    )
    row_range = range(int(points[:, 1].min() / (1.5 * size)) - 2, int(points[:, 1].max() / (1.5 * size)) + 3)
    cells = [(c, r) for r in row_range for c in col_range]
    centres = np.array([cell_centre(c, r, size) for c, r in cells])
    cost = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)
    # scipy is a development need (requirements-dev.txt): only recomputing the committed layout uses it.
    from scipy.optimize import linear_sum_assignment

    force_index, cell_index = linear_sum_assignment(cost)
    layout = pd.DataFrame(
        {
            "code": territorial["code"].to_numpy()[force_index],
            "col": [cells[i][0] for i in cell_index],
            "row": [cells[i][1] for i in cell_index],
        }
    )
    corner = (int(layout["col"].min()) - 1, int(layout["row"].min()))  # south-west, out in the Atlantic
    layout = pd.concat([layout, pd.DataFrame([{"code": NON_TERRITORIAL, "col": corner[0], "row": corner[1]}])])
    return layout.sort_values("code").reset_index(drop=True)


def load_layout() -> pd.DataFrame:
    return pd.read_csv(LAYOUT_FILE, dtype={"code": str, "col": int, "row": int})


def touching(layout: pd.DataFrame, first: str, second: str) -> bool:
    cells = {code: (col, row) for code, col, row in layout[["code", "col", "row"]].itertuples(index=False)}
    return cells[second] in neighbours(*cells[first])


# Pairs of forces that share a border and should touch on the grid; the first three must.
REQUIRED_NEIGHBOURS = [("kent", "sussex"), ("kent", "essex"), ("metropolitan", "city-of-london")]
WANTED_NEIGHBOURS = REQUIRED_NEIGHBOURS + [
    ("surrey", "sussex"),
    ("north-wales", "cheshire"),
    ("cumbria", "police-scotland"),
    ("northumbria", "durham"),
    ("south-wales", "gwent"),
    ("devon-and-cornwall", "dorset"),
    ("lancashire", "cumbria"),
    ("hampshire", "sussex"),
    ("metropolitan", "kent"),
    ("metropolitan", "essex"),
    ("norfolk", "suffolk"),
    ("northumbria", "police-scotland"),
    ("metropolitan", "surrey"),
    ("metropolitan", "hertfordshire"),
    ("merseyside", "cheshire"),
    ("greater-manchester", "cheshire"),
    ("west-midlands", "staffordshire"),
    ("south-yorkshire", "west-yorkshire"),
    ("avon-and-somerset", "gloucestershire"),
    ("thames-valley", "hampshire"),
    ("cleveland", "durham"),
    ("humberside", "north-yorkshire"),
    ("lincolnshire", "norfolk"),
    ("suffolk", "essex"),
]
SEARCH_SIZES = (0.30, 0.32, 0.34, 0.36, 0.38, 0.40)
SEARCH_OFFSETS = [(dx, dy) for dx in (0.0, 0.25, 0.5, 0.75) for dy in (0.0, 0.33, 0.66)]


def search_layout(forces: pd.DataFrame) -> pd.DataFrame:
    """Try cell sizes and grid offsets; keep the layout in which the required neighbours touch and the most
    wanted neighbours do (ties go to the first tried, so the result is the same every time)."""
    best, best_score = None, -1
    for size in SEARCH_SIZES:
        for offset in SEARCH_OFFSETS:
            layout = compute_layout(forces, size, offset)
            if not all(touching(layout, a, b) for a, b in REQUIRED_NEIGHBOURS):
                continue
            score = sum(touching(layout, a, b) for a, b in WANTED_NEIGHBOURS)
            if score > best_score:
                best, best_score = layout, score
    if best is None:
        raise RuntimeError("No layout keeps Kent, Sussex, Essex, the Met and the City together")
    return best


def hexagon(col: int, row: int, size: float = 1.0) -> list[list[float]]:
    """The six corners of a cell, in the plane of `cell_centre`, for drawing."""
    x, y = cell_centre(col, row, size)
    return [
        [x + size * math.cos(math.radians(30 + 60 * k)), y + size * math.sin(math.radians(30 + 60 * k))]
        for k in range(6)
    ]


def region_outlines(layout: pd.DataFrame, region_of: dict[str, str], size: float = 1.0) -> list[dict]:
    """The edges of cells where the next cell belongs to another region (or none): the regions' outlines."""
    cell_region = {
        (col, row): region_of.get(code) for code, col, row in layout[["code", "col", "row"]].itertuples(index=False)
    }
    outlines = []
    for (col, row), region in cell_region.items():
        corners = hexagon(col, row, size)
        x, y = cell_centre(col, row, size)
        for k in range(6):
            start, end = corners[k], corners[(k + 1) % 6]
            middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
            across = (2 * middle[0] - x, 2 * middle[1] - y)  # the centre of the cell across this edge
            neighbour = next(
                (cell for cell in neighbours(col, row) if math.dist(cell_centre(*cell, size), across) < 0.1 * size),
                None,
            )
            if cell_region.get(neighbour) != region:
                outlines.append({"region": region, "path": [start, end]})
    return outlines
