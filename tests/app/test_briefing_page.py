"""AppTest of the weekly briefing: each slide renders; ?week= and ?slide= select them; Next moves on."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import run_page

TITLES = [
    "OIC Domestic Taskforce: weekly briefing",
    "Headlines",
    "Recommendations",
    "OIC arrests by force, last 4 weeks",
    "Arrests and charges, last 26 weeks",
    "Partnership, last 12 weeks",
    "Missing returns",
]


def _open(**query) -> AppTest:
    return run_page("briefing", **query)


@pytest.mark.parametrize("slide", range(1, 8))
def test_each_slide_renders_with_the_marking(demo_db_path, slide):
    at = _open(slide=str(slide))
    assert not at.exception
    assert at.title[0].value == TITLES[slide - 1]
    assert any("OFFICIAL-SENSITIVE · Slide" in caption.value for caption in at.caption)


def test_the_week_in_the_url_selects_the_week(demo_db_path):
    at = _open(week="2025-09-14", slide="1")
    assert at.header[0].value == "Week ending 14 Sep 2025"


def test_next_and_previous_move_between_slides(demo_db_path):
    at = _open(slide="2")
    at.button(key="next_slide").click().run()
    assert at.title[0].value == TITLES[2]
    at.button(key="previous_slide").click().run()
    assert at.title[0].value == TITLES[1]
