"""AppTest of the weekly briefing: each slide renders; ?week= and ?slide= select them; Next moves on."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import run_page

TOPICS = [
    "OIC DOMESTIC TASKFORCE: WEEKLY BRIEFING", "HEADLINES", "RECOMMENDATIONS", "FORCE MAP", "ARRESTS AND CHARGES",
    "PARTNERSHIP", "MISSING RETURNS",
]


def _findings(db) -> list[str]:
    import datetime as dt
    from functools import partial

    from taskforce.briefing.findings import headings
    from taskforce.briefing.slides import build_briefing
    from taskforce.core.queries import run_query
    from tests.conftest import LATEST_WEEK

    briefing = build_briefing(partial(run_query, db), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9),
                              dt.date.today())
    return [heading.finding for heading in headings(briefing)]


def _open(**query) -> AppTest:
    return run_page("briefing", **query)


@pytest.mark.parametrize("slide", range(1, 8))
def test_each_slide_renders_with_the_marking_its_topic_and_its_finding_as_title(demo_db_path, db, slide):
    """Given a slide, its title is the finding in words (the same as the pack's), its topic an overline."""
    at = _open(slide=str(slide))
    assert not at.exception
    assert at.title[0].value == _findings(db)[slide - 1]
    assert any(caption.value == TOPICS[slide - 1] for caption in at.caption)
    assert any("OFFICIAL-SENSITIVE · Slide" in caption.value for caption in at.caption)


def test_the_week_in_the_url_selects_the_week(demo_db_path):
    at = _open(week="2025-09-14", slide="1")
    assert at.header[0].value == "Week ending 14 Sep 2025"


def test_next_and_previous_move_between_slides(demo_db_path):
    at = _open(slide="2")
    at.button(key="next_slide").click().run()
    assert any(caption.value == TOPICS[2] for caption in at.caption)
    at.button(key="previous_slide").click().run()
    assert any(caption.value == TOPICS[1] for caption in at.caption)
