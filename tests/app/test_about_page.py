"""AppTest of About the data: every measure's definition, the sources and the accessibility statement."""
from __future__ import annotations

from streamlit.testing.v1 import AppTest

from taskforce.measures import registry
from tests.conftest import PROJECT_ROOT

ABOUT = str(PROJECT_ROOT / "pages" / "about.py")


def test_about_lists_every_measure_with_its_definition(demo_db_path):
    at = AppTest.from_file(ABOUT, default_timeout=60).run()
    assert not at.exception
    catalogue = at.table[0].value
    assert set(catalogue.index) == {item.label for item in registry().values()}
    assert catalogue["Definition"].str.len().min() > 40


def test_about_states_sources_provenance_and_accessibility(demo_db_path):
    at = AppTest.from_file(ABOUT, default_timeout=60).run()
    headers = [h.value for h in at.header]
    for expected in ("Measures", "Forces, regional units and agencies", "The recommendations", "Accessibility"):
        assert expected in headers
    text = " ".join(md.value for md in at.markdown)
    assert "illustrative" in text and "WCAG 2.2" in text and "ONS mid-2023" in text
    assert any("Demo data" in warning.value for warning in at.warning)
    organisations = at.dataframe[0].value
    assert (organisations["type"] == "force").sum() == 46
