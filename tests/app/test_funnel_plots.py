"""AppTest of the funnel plots on Partnership: forces compared against their base with exact limits, and a
charge rate on a handful of arrests shown but never ranked."""

from __future__ import annotations

import json

import pytest

from taskforce.analysis import funnel
from tests.conftest import run_page


def _traces(at) -> dict[str, list[str]]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return {spec["layout"]["title"]["text"]: [trace.get("name", "") for trace in spec["data"]] for spec in specs}


@pytest.mark.parametrize(
    "section, title",
    [
        ("Charge rate by force", "Charge rate against oic arrests"),
        ("Migrant debriefing", "Migrant debrief rate against migrants encountered"),
        ("Co-ordinated tasking", "against taskings received"),
    ],
)
def test_each_comparison_of_organisations_is_a_funnel_with_its_limits(demo_db_path, section, title):
    at = run_page("partnership", section=section)
    assert not at.exception
    funnels = {name: traces for name, traces in _traces(at).items() if title in name}
    assert funnels, _traces(at).keys()
    traces = next(iter(funnels.values()))
    assert {"95% limits", "99.8% limits", "Organisation"} <= set(traces)


def test_a_charge_rate_on_few_arrests_is_shown_but_not_ranked(demo_db_path):
    at = run_page("partnership", section="Charge rate by force")
    assert not at.exception
    ranked = at.dataframe[0].value
    small = ranked[ranked["Arrests"] < funnel.RANK_MINIMUM_BASE]
    assert small["Rank"].isna().all()
    assert ranked.loc[ranked["Arrests"] >= funnel.RANK_MINIMUM_BASE, "Rank"].notna().all()
    assert ranked["Rank"].min() == 1
    assert any("can follow arrests made before it" in caption.value for caption in at.caption)
