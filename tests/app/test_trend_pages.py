"""AppTest of Arrests and charges, and of Partnership: they render, each control changes what is shown, and
the numbers equal direct SQL."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core.formats import format_count
from taskforce.measures.registry import measure
from tests.conftest import LATEST_WEEK, run_page, scalar

TRENDS, PARTNERSHIP = "trends", "partnership"


def _open(page: str, **query) -> AppTest:
    return run_page(page, **query)


def _numbers(at: AppTest, key: str) -> pd.DataFrame:
    at.toggle(key=f"{key}_numbers").set_value(True).run()
    return at.dataframe[0].value


def _chart_titles(at: AppTest) -> list[str]:
    return [json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart")]


def test_trends_render_with_last_years_comparison_in_words(demo_db_path):
    at = _open(TRENDS)
    assert not at.exception
    words = " ".join(md.value for md in at.markdown)
    assert "on the same 12 weeks last year" in words
    assert len(at.get("plotly_chart")) == 3  # the trend, the regions, the crossings


def test_weekly_national_arrests_equal_direct_sql(demo_db_path, db):
    numbers = _numbers(_open(TRENDS), "main_trend")
    latest = numbers[pd.to_datetime(numbers["period_starting"]).dt.date == LATEST_WEEK]["oic_arrests"].item()
    assert latest == scalar(
        db,
        "select sum(value) from weekly_return where measure_code = 'oic_arrests' and week_ending = $w",
        {"w": LATEST_WEEK},
    )
    assert len(numbers) == 52


@pytest.mark.parametrize(
    "control, value, title_fragment",
    [
        ("period", "Monthly", "monthly"),
        ("period", "Quarterly", "quarterly"),
        ("range", "Last 26 weeks", "31 May 2026"),
        ("measure", "charge_rate", "Charge rate"),
        ("measure", "oic_charges", "OIC charges"),
    ],
)
def test_each_control_changes_the_chart(demo_db_path, control, value, title_fragment):
    at = _open(TRENDS)
    before = _chart_titles(at)[0]
    at.segmented_control(key=control).set_value(value).run()
    assert not at.exception
    after = _chart_titles(at)[0]
    assert after != before and title_fragment in after
    assert at.query_params[control] in (value, [value])


def test_the_split_by_agency_shows_a_line_per_agency(demo_db_path):
    at = _open(TRENDS, split="By agency")
    numbers = _numbers(at, "main_trend")
    assert set(numbers["group"]) == {
        "Police forces",
        "National Crime Agency",
        "Immigration Enforcement (Home Office)",
        "Border Force (Home Office)",
    }


def test_chosen_forces_come_from_the_url(demo_db_path, db):
    at = _open(TRENDS, split="Chosen forces", forces="kent,essex", period="Quarterly")
    assert not at.exception
    numbers = _numbers(at, "main_trend")
    assert set(numbers["group"]) == {"Kent Police", "Essex Police"}


def test_chosen_forces_with_none_chosen_ask_for_a_choice(demo_db_path):
    at = _open(TRENDS, split="Chosen forces")
    assert any("Choose one or more forces" in info.value for info in at.info)


@pytest.mark.parametrize(
    "section", ["Intelligence sharing", "Co-ordinated tasking", "Migrant debriefing", "Crime groups"]
)
def test_every_partnership_section_renders(demo_db_path, section):
    at = _open(PARTNERSHIP, section=section)
    assert not at.exception
    assert at.get("plotly_chart")


def test_packages_shared_equal_direct_sql(demo_db_path, db):
    at = _open(PARTNERSHIP)
    first = LATEST_WEEK - dt.timedelta(weeks=51)
    total = scalar(
        db,
        """select sum(value) from weekly_return where measure_code = 'intel_packages_shared'
        and week_ending between $f and $t""",
        {"f": first, "t": LATEST_WEEK},
    )
    assert any(f"{format_count(total)} intelligence packages shared" in md.value for md in at.markdown)


def test_changing_the_section_changes_the_charts(demo_db_path):
    at = _open(PARTNERSHIP)
    before = _chart_titles(at)
    at.segmented_control(key="section").set_value("Co-ordinated tasking").run()
    assert _chart_titles(at) != before


def test_the_debrief_target_is_set_by_the_form_and_kept_with_history(writable_db_path, monkeypatch):
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    at = _open(PARTNERSHIP, section="Migrant debriefing")
    at.number_input(key="debrief_target_percent").set_value(35)
    next(button for button in at.button if button.label == "Set the target").click().run()
    assert not at.exception
    assert any("Target debrief rate: 35%" in md.value for md in at.markdown)


def test_for_wider_circulation_the_regions_are_the_releases_fixed_periods_with_c_where_hidden(demo_db_path):
    """Given wider circulation, the regional small multiples' numbers are exactly the release's 13 fixed 4-week
    periods per region ("[c]" where hidden): no week or month a reader could difference."""
    from taskforce.release import series
    from taskforce.ui import data
    from tests.conftest import PROJECT_ROOT

    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{TRENDS}.py"), default_timeout=90)
    at.session_state["wider_circulation"] = True
    at.run()
    assert not at.exception
    at.toggle(key="regions_numbers").set_value(True).run()
    numbers = at.dataframe[-1].value
    keys = series.group_keys(data.query("org_groups"), series.REGION)
    expected = series.as_released(series.group_series(data.release(), keys, measure("oic_arrests")), "value")
    assert numbers["oic_arrests"].astype(str).tolist() == expected["value"].astype(str).tolist()
    assert (numbers["oic_arrests"] == "[c]").any()


def _wider(page: str) -> AppTest:
    from tests.conftest import PROJECT_ROOT

    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=120)
    at.session_state["wider_circulation"] = True
    at.run()
    assert not at.exception
    return at


def test_for_wider_circulation_trends_offer_no_range_month_or_chosen_forces(demo_db_path):
    """Only what the release holds is offered: no period or range control, no 'Chosen forces' split."""
    at = _wider(TRENDS)
    labels = {control.label for control in at.get("button_group")}
    assert "Range" not in labels and "Period" not in labels
    split = next(control for control in at.get("button_group") if control.label == "Split")
    assert "Chosen forces" not in split.options
    assert any("fixed 4-week periods only" in caption.value for caption in at.caption)


@pytest.mark.parametrize("split, key", [("National", "national"), ("By agency", "agency")])
def test_for_wider_circulation_the_main_trend_is_the_release(demo_db_path, split, key):
    """The main chart's numbers equal the release's series for the split ("[c]" where hidden), and the nation is
    weekly: a figure the release does not hold is never drawn."""
    from taskforce.release import series
    from taskforce.ui import data

    at = _wider(TRENDS)
    at.button_group(key="released_split").set_value(split).run()
    at.toggle(key="main_trend_numbers").set_value(True).run()
    numbers = at.dataframe[-1].value
    keys = series.group_keys(data.query("org_groups"), key)
    expected = series.as_released(series.group_series(data.release(), keys, measure("oic_arrests")), "value")
    assert numbers["oic_arrests"].astype(str).tolist() == expected["value"].astype(str).tolist()
    assert set(numbers["group"]) == set(keys.values())
