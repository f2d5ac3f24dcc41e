"""The optional official boundary file for the geographic map: where it lives, how it is checked, and how
`python -m taskforce fetch-boundaries` gets it. The dashboard never needs it: the force grid always works."""

from __future__ import annotations

import json
import math
import os
import urllib.request
from functools import cache
from pathlib import Path

from taskforce.core.config import PROJECT_ROOT

FILE_NAME = "police_force_areas.geojson"
EXPECTED_AREAS = 43
# ONS Open Geography Portal: Police Force Areas (December 2020) boundaries, generalised (20 m), as GeoJSON.
# OGL v3. Fetched only by `python -m taskforce fetch-boundaries`, never by the dashboard.
ONS_URL = (
    "https://services1.arcgis.com/ESMARspQHYMw9BZ9/arcgis/rest/services/"
    "Police_Force_Areas_December_2020_EW_BGC/FeatureServer/0/query?where=1%3D1&outFields=PFA20CD,PFA20NM"
    "&outSR=4326&f=geojson"
)
MAXIMUM_BYTES = 50 * 1024 * 1024
UK_BOUNDS = (-9.0, 49.0, 2.5, 61.5)  # west, south, east, north


def geo_dir() -> Path:
    configured = os.environ.get("TASKFORCE_GEO_DIR", "").strip()
    return Path(configured) if configured else PROJECT_ROOT / "data" / "geo"


def boundary_path() -> Path:
    return geo_dir() / FILE_NAME


def _code_property(feature: dict) -> str | None:
    return next(
        (key for key in feature.get("properties", {}) if key.upper().startswith("PFA") and key.upper().endswith("CD")),
        None,
    )


def _ring_problems(ring, where: str) -> list[str]:
    if not isinstance(ring, list) or len(ring) < 4:
        return [f"{where}: a ring has fewer than 4 points."]
    if ring[0] != ring[-1]:
        return [f"{where}: a ring is not closed."]
    west, south, east, north = UK_BOUNDS
    for point in ring:
        if (
            not isinstance(point, list)
            or len(point) < 2
            or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in point[:2])
        ):
            return [f"{where}: a point is not a pair of numbers."]
        if not (west <= point[0] <= east and south <= point[1] <= north):
            return [f"{where}: a point ({point[0]}, {point[1]}) is outside the UK (is it in longitude and latitude?)."]
    return []


def _geometry_problems(geometry: dict | None, where: str) -> list[str]:
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return [f"{where}: the geometry is not a Polygon or MultiPolygon."]
    polygons = [geometry.get("coordinates")] if geometry["type"] == "Polygon" else geometry.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        return [f"{where}: the geometry has no coordinates."]
    problems = []
    for polygon in polygons:
        if not isinstance(polygon, list) or not polygon:
            return [f"{where}: a polygon has no rings."]
        for ring in polygon:
            problems += _ring_problems(ring, where)
            if problems:
                return problems
    return problems


def check_boundaries(document: dict, expected_codes: set[str]) -> list[str]:
    """Everything wrong with a police force area boundary file; empty when it can be used."""
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return ["The file is not a GeoJSON FeatureCollection."]
    features = document.get("features") or []
    problems = []
    if len(features) != EXPECTED_AREAS:
        problems.append(
            f"The file has {len(features)} areas; the police force areas of England and Wales are {EXPECTED_AREAS}."
        )
    codes = []
    for number, feature in enumerate(features, start=1):
        code_key = _code_property(feature)
        code = feature.get("properties", {}).get(code_key) if code_key else None
        where = f"Area {number} ({code or 'no code'})"
        if not code:
            problems.append(f"{where}: no police force area code (a property such as PFA20CD).")
        codes.append(code)
        problems += _geometry_problems(feature.get("geometry"), where)
    missing = sorted(expected_codes - set(codes))
    if missing:
        problems.append(f"Codes missing from the file: {', '.join(missing)}.")
    return problems


@cache
def _load(path: str, modified: float) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def load_boundaries() -> dict | None:
    """The boundary file if one is installed (cached until the file changes), else None."""
    path = boundary_path()
    if not path.is_file():
        return None
    return _load(str(path), path.stat().st_mtime)


def install_boundaries(source: str, expected_codes: set[str]) -> list[str]:
    """Read a boundary file from a URL or a path, check it, and store it in the geo folder only if it is
    sound. Returns the problems (empty when installed)."""
    try:
        if source.startswith(("http://", "https://")):
            with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 (an administrator's command)
                raw = response.read(MAXIMUM_BYTES + 1)
        else:
            raw = Path(source).read_bytes()
    except OSError as error:
        return [f"Could not read {source}: {error}."]
    if len(raw) > MAXIMUM_BYTES:
        return [f"The file is larger than {MAXIMUM_BYTES // 1024 // 1024} MB."]
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return [f"The file is not GeoJSON: {error}."]
    problems = check_boundaries(document, expected_codes)
    if problems:
        return problems
    geo_dir().mkdir(parents=True, exist_ok=True)
    staging = boundary_path().with_suffix(".checking")
    staging.write_text(json.dumps(document), encoding="utf-8")
    staging.replace(boundary_path())
    return []
