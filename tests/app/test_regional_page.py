"""AppTest of Regional activity: every basis and level renders, the measure drives the table, the numbers
equal direct SQL, the geographic map needs its boundary file, and a force's profile opens from the URL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import LATEST_WEEK, run_page, scalar


def _open(**query) -> AppTest:
    return run_page("regional", **query)


@pytest.mark.parametrize("basis", ["Count", "Per 100,000 residents", "Change on previous period"])
@pytest.mark.parametrize("level", ["Force", "ROCU region"])
def test_the_page_renders_for_each_basis_and_level(demo_db_path, basis, level):
    at = _open(basis=basis, level=level)
    assert not at.exception
    assert at.get("deck_gl_json_chart")
    table = at.dataframe[0].value
    assert len(table) == (46 if level == "Force" else 13)


def test_the_table_equals_direct_sql(demo_db_path, db):
    table = _open().dataframe[0].value.set_index("Force")
    kent = scalar(
        db,
        """select sum(value) from weekly_return where org_code = 'kent' and measure_code = 'oic_arrests'
        and week_ending between $f and $t""",
        {"f": LATEST_WEEK - dt.timedelta(weeks=3), "t": LATEST_WEEK},
    )
    assert table.loc["Kent Police", "Value"] == kent


def test_changing_the_measure_changes_the_table(demo_db_path):
    at = _open()
    before = at.dataframe[0].value
    at.selectbox(key="measure").set_value("migrants_encountered").run()
    after = at.dataframe[0].value
    assert not at.exception and not before.equals(after)
    assert after.iloc[0]["Force"] == "Kent Police"  # most migrants land in Kent


def test_a_force_that_did_not_return_says_no_return(demo_db_path):
    table = _open(period="Last week").dataframe[0].value.set_index("Force")
    assert table.loc["Gwent Police", "Shown on map"] == "No return"


def test_the_geographic_map_without_boundaries_says_how_to_get_them(demo_db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("TASKFORCE_GEO_DIR", str(tmp_path / "empty"))
    at = _open(map="Geographic")
    assert not at.exception
    assert any("fetch-boundaries" in info.value for info in at.info)
    assert at.dataframe  # the table still shows the numbers


def test_the_geographic_map_draws_with_boundaries(demo_db_path, boundary_dir, monkeypatch):
    monkeypatch.setenv("TASKFORCE_GEO_DIR", str(boundary_dir))
    at = _open(map="Geographic")
    assert not at.exception
    assert at.get("deck_gl_json_chart")


def test_the_force_in_the_url_opens_its_profile(demo_db_path):
    at = _open(force="kent")
    assert not at.exception
    assert any(header.value == "Force profile: Kent Police" for header in at.subheader)
    comparison = at.table[0].value
    assert list(comparison.columns) == ["Basis", "This force", "Its ROCU region", "All forces"]


def test_a_custom_range_from_the_url(demo_db_path):
    at = _open(period="Custom range", **{"from": "2025-09-14", "to": "2025-09-21"})
    assert not at.exception
    assert any("14 Sep 2025 to 21 Sep 2025" in caption.value for caption in at.caption)


def test_for_wider_circulation_the_map_table_hides_small_counts_and_their_derived_figures(demo_db_path):
    """Given the wider-circulation toggle on, when the regional page draws the force table, then every count
    from 1 to 4 is [c] with its per-100,000 value, change and rank, and the legend has a key for [c]."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import PROJECT_ROOT

    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "regional.py"), default_timeout=120)
    at.session_state["wider_circulation"] = True
    at.run()
    assert not at.exception
    table = at.dataframe[0].value
    hidden = table[table["Value"].astype(str) == "[c]"]
    assert not hidden.empty
    assert (hidden["Per 100,000"].astype(str) == "[c]").all() and (hidden["Rank"] == "not ranked").all()
    visible = pd.to_numeric(table["Value"], errors="coerce").dropna()
    assert not visible.between(1, 4).any()
    shown = table[table["Value"].astype(str) != "[c]"]  # a shown figure is drawn in its class, and ranked
    assert (shown["Shown on map"].astype(str) == shown["Value"].astype(str)).all() and shown["Rank"].notna().all()
    assert any("[c] hidden for wider circulation" in str(element.proto) for element in at.get("html"))


def test_border_force_detections_come_from_the_shared_extract_and_say_they_are_synthetic(demo_db_path, shared_data):
    """Given the demo's synthetic Border Force extract, then Regional activity ranks the ports, its total equals
    the file's own for the period, and the page says it is synthetic."""
    at = _open()
    assert not at.exception
    assert "Border Force: people found concealed at ports" in [subheader.value for subheader in at.subheader]
    assert any("Synthetic partner data" in caption.value for caption in at.caption)
    extract = pd.read_parquet(next((shared_data / "border_force" / "port_detections").glob("*.parquet")))
    weeks = pd.to_datetime(extract["week_ending"]).dt.date
    period = extract[(weeks >= LATEST_WEEK - dt.timedelta(weeks=3)) & (weeks <= LATEST_WEEK)]
    description = next(caption.value for caption in at.caption if "people found at" in caption.value)
    assert f"{int(period['people_detected'].sum()):,} people found at" in description
    ports = next(frame.value for frame in at.dataframe if "Port" in frame.value.columns)
    by_port = period.groupby("port")["people_detected"].sum()
    assert ports.set_index("Port")["People found"].to_dict() == by_port.to_dict()


def test_a_change_at_the_ports_is_judged_only_when_the_extract_covers_both_periods():
    """Given an extract missing weeks before the period (a long custom range), then no change is worked out:
    the missing weeks would pass for a fall. With both periods covered, the change is judged against chance."""
    from taskforce.ui.views.regional import _port_sentence

    table = pd.DataFrame(
        {
            "port": ["Dover", "Poole"],
            "people": [40, 2],
            "people_before": [10, 1],
            "weeks_reported": [60, 60],
            "weeks_before_reported": [44, 44],
        }
    )
    partial = _port_sentence(table, 60)
    assert "covers 60 of these 60 weeks and 44 of the 60 before, so no change is worked out" in partial
    assert "change of" not in partial
    whole = _port_sentence(table.assign(weeks_before_reported=60), 60)
    assert "a change of +31, beyond the ±15 that chance alone gives" in whole


@pytest.mark.parametrize("period, weeks", [("Last 4 weeks", 4), ("Last week", 1)])
def test_the_ports_earlier_period_has_as_many_weeks_as_the_period(demo_db_path, shared_data, period, weeks):
    """Given the synthetic Border Force extract, then the ports' 'same number of weeks before' is exactly the
    weeks just before the period (main set 3 weeks against 4, and a single day against one week)."""
    at = _open(period=period)
    assert not at.exception
    extract = pd.read_parquet(next((shared_data / "border_force" / "port_detections").glob("*.parquet")))
    extract_weeks = pd.to_datetime(extract["week_ending"]).dt.date
    first = LATEST_WEEK - dt.timedelta(weeks=weeks - 1)
    before = extract[(extract_weeks >= first - dt.timedelta(weeks=weeks)) & (extract_weeks < first)]
    ports = next(frame.value for frame in at.dataframe if "Port" in frame.value.columns)
    by_port = before.groupby("port")["people_detected"].sum()
    assert ports.set_index("Port")["People found, weeks before"].to_dict() == by_port.to_dict()
    description = next(caption.value for caption in at.caption if "people found at" in caption.value)
    assert f"{int(before['people_detected'].sum()):,} in the same number of weeks before" in description


def test_a_chosen_force_is_outlined_on_the_map_and_its_profile_opens_beside_it(demo_db_path):
    """?force=kent rings Kent's hexagon on the force grid and opens its profile in the column beside the map,
    above the table, rather than under the whole page. (Before: no highlight, and the profile 1,230 px below.)"""
    import json

    from taskforce.maps import hexgrid

    at = _open(force="kent")
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    ring = next(layer for layer in spec["layers"] if layer["id"] == "chosen")
    layout = hexgrid.load_layout().set_index("code")
    corners = hexgrid.hexagon(int(layout.loc["kent", "col"]), int(layout.loc["kent", "row"]))
    assert ring["data"][0]["path"][:6] == corners
    _, side_column = _the_map_row(at)
    side = [getattr(element, "value", None) for element in _in_order(side_column)]
    assert "Force profile: Kent Police" in side
    assert not any(
        layer["id"] == "chosen" for layer in json.loads(_open().get("deck_gl_json_chart")[0].proto.json)["layers"]
    )  # no force chosen, no ring


def _in_order(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _in_order(child)


def _the_map_row(at: AppTest):
    """The two columns that hold the map and, beside it, the profile and the table."""
    for node in _in_order(at.main):
        children = list(getattr(node, "children", {}).values())
        if len(children) == 2 and any(getattr(e, "type", "") == "deck_gl_json_chart" for e in _in_order(children[0])):
            return children
    raise AssertionError("no map row")


def test_the_profile_says_what_stands_out_by_the_funnel_and_false_discovery_rule(demo_db_path):
    """The profile's sentences are the analysis's, for the same force and period: a named rate or 'no evidence'."""
    at = _open(force="kent")
    assert not at.exception
    said = next(block.value for block in at.markdown if block.value.startswith("**What stands out**"))
    assert "No evidence of a difference" in said or "beyond what chance would give" in said


@pytest.mark.parametrize("wider", [False, True])
def test_british_transport_police_per_100000_says_not_applicable_never_none(demo_db_path, wider):
    """BTP polices the railways and has no resident population: its figure per 100,000 reads 'not applicable'
    (the vocabulary's word), in either circulation; no cell of the table is a bare None (issue 26, point 5)."""
    from tests.conftest import PROJECT_ROOT

    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "regional.py"), default_timeout=120)
    at.session_state["wider_circulation"] = wider
    at.query_params["basis"] = "Per 100,000 residents"
    at.run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Force")
    btp = table.loc["British Transport Police", "Per 100,000"]
    assert btp in ("not applicable", "[c]") and (btp == "not applicable" or wider)
    assert not table.isna().drop(columns="Rank").any().any()


def test_for_wider_circulation_the_ports_caption_gives_no_total_count_of_ports_or_change(demo_db_path, shared_data):
    """The red team's finding: the caption's total and 'at N ports', less the shown cells, gave the hidden ports'
    sum and how many were at least 1 (Holyhead = Newhaven = 1 exactly in one window). In wider circulation the
    caption gives none of them; the protected table is all there is."""
    from tests.conftest import PROJECT_ROOT

    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "regional.py"), default_timeout=120)
    at.session_state["wider_circulation"] = True
    at.run()
    assert not at.exception
    captions = " ".join(caption.value for caption in at.caption)
    assert "people found at" not in captions and "in the same number of weeks before" not in captions
    assert "ports' total" in captions
    ports = next(frame.value for frame in at.dataframe if "Port" in frame.value.columns)
    assert (ports["People found"].astype(str) == "[c]").any()
