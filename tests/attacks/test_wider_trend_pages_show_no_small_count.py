"""Ways 3 and 4 against what a reader sees: in wider circulation, under every chart of every Partnership section
and every Trends split (the tables behind the CSVs, turned on), no count of people, events or things is from 1 to
4. Adapted from the part2 branch's attack on the default views."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from taskforce.measures.registry import registry
from tests.attacks.test_wider_pages_read_only_the_release import WIDER_CHOICES
from tests.conftest import PROJECT_ROOT

COUNTS = {item.code for item in registry().values() if item.kind in ("count", "total")}


def _shown_tables(page: str, control: str, choice: str) -> list[pd.DataFrame]:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=180)
    at.session_state["wider_circulation"] = True
    at.query_params[control] = choice
    at.run()
    for toggle in at.toggle:
        if "numbers" in str(toggle.label):
            toggle.set_value(True)
    at.run()
    assert not at.exception
    return [frame.value for frame in at.dataframe]


@pytest.mark.parametrize("page, control, choice", WIDER_CHOICES)
def test_no_small_count_under_any_wider_chart(demo_db_path, page, control, choice):
    tables = _shown_tables(page, control, choice)
    assert tables
    checked = 0
    for table in tables:
        for column in set(table.columns) & COUNTS:
            values = pd.to_numeric(table[column], errors="coerce")
            assert not values.between(1, 4).any(), (page, choice, column)
            checked += int(values.notna().sum())
    assert checked or page == "partnership", (page, choice)
