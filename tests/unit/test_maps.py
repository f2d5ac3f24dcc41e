"""The force grid layout, the map's classes and colours, and the boundary file check."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pandas as pd
import pytest

from taskforce.maps import areas, boundaries, hexgrid
from taskforce.measures.registry import measure
from taskforce.store import reference
from tests.conftest import SHARED_BOUNDARIES


@pytest.fixture(scope="module")
def layout() -> pd.DataFrame:
    return hexgrid.load_layout()


def test_every_force_has_one_cell_of_its_own(layout):
    forces = set(reference.organisations().query("type == 'force'")["code"])
    assert set(layout["code"]) == forces and len(layout) == 46
    assert not layout.duplicated(["col", "row"]).any()


@pytest.mark.parametrize(
    "first, second",
    [
        ("kent", "sussex"),
        ("kent", "essex"),
        ("metropolitan", "city-of-london"),
        ("northumbria", "durham"),
        ("south-wales", "gwent"),
    ],
)
def test_neighbours_stay_neighbours(layout, first, second):
    assert hexgrid.touching(layout, first, second)


def test_forces_far_apart_are_not_neighbours(layout):
    assert not hexgrid.touching(layout, "kent", "cumbria")
    assert not hexgrid.touching(layout, "devon-and-cornwall", "northumbria")


def test_the_stored_layout_is_what_the_assignment_computes(layout):
    computed = hexgrid.search_layout(reference.organisations().query("type == 'force'"))
    pd.testing.assert_frame_equal(computed.reset_index(drop=True), layout.reset_index(drop=True), check_dtype=False)


def test_region_outlines_are_drawn_only_between_regions():
    small = pd.DataFrame({"code": ["a", "b", "c"], "col": [0, 1, 2], "row": [0, 0, 0]})
    outlines = hexgrid.region_outlines(small, {"a": "R1", "b": "R1", "c": "R2"})
    # three hexagons of six edges: the a|b edge is inside R1 (not drawn), the b|c edge is drawn from both sides
    assert len(outlines) == 18 - 2


def _table(values: dict[str, float | None], item_code="oic_arrests", basis="Count", previous=None):
    forces = pd.DataFrame(
        {
            "org_code": list(values),
            "org_name": [c.title() for c in values],
            "rocu_region": ["R"] * len(values),
            "population": [100_000] * len(values),
        }
    )
    rows = pd.DataFrame(
        [{"org_code": c, "measure_code": item_code, "value": v} for c, v in values.items() if v is not None]
    )
    before = (
        rows
        if previous is None
        else pd.DataFrame([{"org_code": c, "measure_code": item_code, "value": v} for c, v in previous.items()])
    )
    return areas.map_table(rows, before, forces, measure(item_code), basis, "Force")


def test_a_force_without_a_return_is_grey_and_says_so():
    table, _ = _table({"kent": 10.0, "essex": 5.0, "gwent": None})
    gwent = table.set_index("area").loc["gwent"]
    assert gwent["colour"] == areas.NO_RETURN_COLOUR and gwent["shown_text"] == "No return"
    assert pd.isna(gwent["rank"])


def test_higher_values_get_darker_blues_in_stable_whole_number_classes():
    """Counts of 1 to 10 are classed on the fixed ladder 0 | 1 to 2 | 3 to 5 | 6 to 10 | 11 to 20 | 21 and over:
    exact labels that do not overlap, and the same classes whatever this week's spread."""
    table, classes = _table({f"f{i}": float(i) for i in range(1, 11)})
    colours = table.set_index("area")["colour"]
    assert classes.labels == ["0", "1 to 2", "3 to 5", "6 to 10", "11 to 20", "21 and over"]
    assert classes.colours.index(colours["f10"]) > classes.colours.index(colours["f1"])
    assert colours["f7"] == colours["f10"]  # both 6 to 10
    _, skewed = _table({"kent": 36.0, **{f"f{i}": float(i % 3) for i in range(30)}})
    assert skewed.labels == classes.labels  # a skewed, tied week keeps the same classes


def test_kent_is_not_coloured_like_a_force_with_seven():
    table, _ = _table({"kent": 36.0, "essex": 7.0, **{f"f{i}": float(i % 4) for i in range(20)}})
    colours = table.set_index("area")["colour"]
    assert colours["kent"] != colours["essex"]


def test_per_100k_is_not_applicable_without_residents_and_flagged_for_few():
    forces = pd.DataFrame(
        {
            "org_code": ["kent", "city-of-london", "btp"],
            "org_name": ["Kent", "City", "BTP"],
            "rocu_region": ["R"] * 3,
            "population": [1_900_000, 15_000, None],
        }
    )
    # 12 arrests each: a base large enough to rank a rate (areas.rankable)
    rows = pd.DataFrame([{"org_code": c, "measure_code": "oic_arrests", "value": 12.0} for c in forces["org_code"]])
    table, _ = areas.map_table(rows, rows, forces, measure("oic_arrests"), "Per 100,000 residents", "Force")
    shown = table.set_index("area")
    assert shown.loc["btp", "shown_text"] == "Not applicable (no resident population)"
    assert shown.loc["city-of-london", "shown_text"] == "Too few residents for a reliable rate"
    assert pd.isna(shown.loc["city-of-london", "rank"]) and shown.loc["kent", "rank"] == 1


def test_a_partial_return_has_its_own_key_and_no_rank():
    forces = pd.DataFrame(
        {
            "org_code": ["kent", "essex"],
            "org_name": ["Kent", "Essex"],
            "rocu_region": ["R"] * 2,
            "population": [100_000] * 2,
        }
    )
    rows = pd.DataFrame(
        [
            {"org_code": "kent", "measure_code": "oic_arrests", "value": 8.0, "weeks_reported": 4},
            {"org_code": "essex", "measure_code": "oic_arrests", "value": 2.0, "weeks_reported": 2},
        ]
    )
    table, _ = areas.map_table(rows, rows, forces, measure("oic_arrests"), "Count", "Force", weeks_in_period=4)
    essex = table.set_index("area").loc["essex"]
    assert essex["shown_text"] == "Partial return (not comparable)" and pd.isna(essex["rank"])


def test_change_uses_the_diverging_scale_with_stated_classes():
    table, classes = _table(
        {"kent": 15.0, "essex": 5.0, "surrey": 10.0},
        basis="Change on previous period",
        previous={"kent": 10.0, "essex": 10.0, "surrey": 10.0},
    )
    colours = table.set_index("area")["colour"]
    assert classes.labels[2] == "within 5%"
    assert colours["kent"] == areas.DIVERGING[4] and colours["essex"] == areas.DIVERGING[0]
    assert colours["surrey"] == areas.DIVERGING[2]


def test_per_100000_divides_by_population():
    table, _ = _table({"kent": 7.0}, basis="Per 100,000 residents")
    assert table["shown"].item() == pytest.approx(7.0)


@pytest.mark.parametrize(
    "choice, first",
    [
        ("Last week", dt.date(2026, 11, 22)),
        ("Last 4 weeks", dt.date(2026, 11, 1)),
        ("Year to date", dt.date(2026, 1, 4)),
    ],
)
def test_periods_end_at_the_last_week(choice, first):
    assert areas.period_bounds(choice, dt.date(2026, 11, 22)) == (first, dt.date(2026, 11, 22))


def test_the_previous_period_has_the_same_length():
    assert areas.previous_period(dt.date(2026, 11, 1), dt.date(2026, 11, 22)) == (
        dt.date(2026, 10, 4),
        dt.date(2026, 10, 25),
    )


EXPECTED_CODES = {code for code in reference.organisations()["ons_code"].dropna() if code[:3] in ("E23", "W15")}


@pytest.fixture(scope="module")
def good_boundaries() -> dict:
    if not SHARED_BOUNDARIES.is_file():
        pytest.skip("the test boundary file is not beside the project")
    return json.loads(SHARED_BOUNDARIES.read_text())


def test_the_official_boundaries_pass_the_check(good_boundaries):
    assert boundaries.check_boundaries(good_boundaries, EXPECTED_CODES) == []


def test_a_file_with_a_missing_area_is_refused(good_boundaries):
    broken = copy.deepcopy(good_boundaries)
    removed = broken["features"].pop(31)["properties"]["PFA20CD"]
    problems = boundaries.check_boundaries(broken, EXPECTED_CODES)
    assert any("has 42 areas" in p for p in problems)
    assert any(f"Codes missing from the file: {removed}" in p for p in problems)


def test_a_file_with_broken_geometry_is_refused(good_boundaries):
    broken = copy.deepcopy(good_boundaries)
    geometry = broken["features"][0]["geometry"]
    ring = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    ring.pop()  # no longer closed
    problems = boundaries.check_boundaries(broken, EXPECTED_CODES)
    assert problems == ["Area 1 (E23000001): a ring is not closed."]


def test_a_file_in_the_wrong_coordinates_is_refused(good_boundaries):
    broken = copy.deepcopy(good_boundaries)
    broken["features"][2]["geometry"] = {
        "type": "Polygon",
        "coordinates": [[[517515, 178392], [517600, 178392], [517600, 178500], [517515, 178392]]],
    }
    assert any("outside the UK" in p for p in boundaries.check_boundaries(broken, EXPECTED_CODES))


def test_not_geojson_is_refused():
    assert boundaries.check_boundaries({"type": "Topology"}, EXPECTED_CODES) == [
        "The file is not a GeoJSON FeatureCollection."
    ]


def test_install_stores_only_a_good_file(tmp_path, monkeypatch, good_boundaries):
    monkeypatch.setenv("TASKFORCE_GEO_DIR", str(tmp_path / "geo"))
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    assert boundaries.install_boundaries(str(bad), EXPECTED_CODES)
    assert not boundaries.boundary_path().exists()
    assert boundaries.install_boundaries(str(SHARED_BOUNDARIES), EXPECTED_CODES) == []
    assert boundaries.load_boundaries()["features"][0]["properties"]["PFA20CD"] == "E23000001"


def test_fetch_boundaries_command_refuses_a_bad_source(tmp_path, monkeypatch, capsys):
    from taskforce.cli import main

    monkeypatch.setenv("TASKFORCE_GEO_DIR", str(tmp_path / "geo"))
    bad = tmp_path / "bad.geojson"
    bad.write_text("not json")
    assert main(["fetch-boundaries", "--source", str(bad)]) == 1
    assert "not GeoJSON" in capsys.readouterr().err
