"""The release assembled from the demo database: one position, one headline week, the protected cells."""

from __future__ import annotations

from functools import partial

from taskforce.core.queries import run_query
from taskforce.measures.registry import measure
from taskforce.release.build import build_release
from taskforce.release.periods import FOUR_WEEKS_NAME, WEEK_NAME
from tests.conftest import LATEST_WEEK, scalar


def test_the_release_of_the_demo_is_its_latest_complete_week_with_every_offered_figure_protected(db):
    release = build_release(partial(run_query, db), threshold=4)
    assert release.week == LATEST_WEEK and release.position.data_up_to == LATEST_WEEK
    assert release.protected is not None
    week = release.period(WEEK_NAME)
    national = release.protected.figure(week, "nation", measure("oic_arrests"))
    assert national == scalar(
        db,
        "select sum(value) from org_week_value where week_ending = $w and measure_code = 'oic_arrests'",
        {"w": LATEST_WEEK},
    )
    four = release.period(FOUR_WEEKS_NAME)
    shown = [release.protected.figure(four, org, measure("oic_arrests")) for org in ("kent", "metropolitan")]
    assert all(value is None or value > 4 for value in shown)
