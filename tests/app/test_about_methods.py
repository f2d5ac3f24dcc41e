"""About the data names every method, in the words written once beside its code."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from taskforce.analysis import cohorts, funnel, ports, variation, what_changed
from taskforce.maps import areas
from taskforce.recommendations.forecast import FORECAST_METHOD
from tests.conftest import PROJECT_ROOT

ABOUT = str(PROJECT_ROOT / "pages" / "about.py")
EVERY_METHOD = {
    "Normal variation": variation.METHOD,
    "Seasonality": variation.SEASONALITY_METHOD,
    "The charge rate of a cohort": cohorts.COHORT_METHOD,
    "Funnel plots": funnel.FUNNEL_METHOD,
    "Force statements and false discoveries": what_changed.FORCE_STATEMENT_METHOD,
    "Rates over 100%": funnel.OVER_100_METHOD,
    "The ports test": ports.PORT_METHOD,
    "The forecast": FORECAST_METHOD,
    "Map classes": areas.MAP_CLASSES_METHOD,
    "Year on year": "same 12 weeks a year (52 weeks) earlier",
    "Disclosure control for wider circulation": "",
    "Revisions: what late returns add": "",
}


def test_about_the_data_names_every_method_from_the_library(demo_db_path):
    at = AppTest.from_file(ABOUT, default_timeout=60).run()
    assert not at.exception
    assert "Methods: how the figures are worked out" in [header.value for header in at.header]
    paragraphs = {md.value.replace("\\", "") for md in at.markdown}
    for heading, text in EVERY_METHOD.items():
        found = [paragraph for paragraph in paragraphs if paragraph.startswith(f"**{heading}.**")]
        assert found, heading
        assert text in found[0], heading
