"""AppTest of Regional's comparison of forces per 100,000 residents: a funnel plot with exact Poisson 95% and
99.8% limits, the rule for ranking a rate stated under the table, and no funnel in wider circulation (its points
are single forces' counts)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from taskforce.core.formats import RANK_MINIMUM_BASE
from tests.conftest import PROJECT_ROOT, run_page

PER_100K = "Per 100,000 residents"


def _funnels(at) -> list[dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    return [spec for spec in specs if "per 100,000 residents against residents" in spec["layout"]["title"]["text"]]


def test_forces_per_100000_residents_are_compared_on_a_funnel_plot(demo_db_path):
    at = run_page("regional", basis=PER_100K, level="Force")
    assert not at.exception
    funnels = _funnels(at)
    assert len(funnels) == 1
    names = {trace.get("name", "") for trace in funnels[0]["data"]}
    assert {"95% limits", "99.8% limits", "Organisation"} <= names
    points = next(trace for trace in funnels[0]["data"] if trace.get("name") == "Organisation")
    assert len(points["text"]) >= 40  # every force with residents and a complete return
    assert any(f"ranked only on a base of at least {RANK_MINIMUM_BASE}" in c.value for c in at.caption)


def test_no_funnel_for_counts_or_regions(demo_db_path):
    assert not _funnels(run_page("regional", basis="Count", level="Force"))
    assert not _funnels(run_page("regional", basis=PER_100K, level="ROCU region"))


def test_for_wider_circulation_the_funnel_is_not_drawn_and_the_page_says_why(demo_db_path):
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "regional.py"), default_timeout=120)
    at.session_state["wider_circulation"] = True
    at.query_params["basis"] = PER_100K
    at.run()
    assert not at.exception
    assert not _funnels(at)
    assert any("funnel plot of forces per 100,000 residents is not drawn" in c.value for c in at.caption)
