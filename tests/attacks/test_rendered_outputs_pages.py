"""Every page in wider circulation, run with AppTest and the count queries forbidden, with every download button,
chart and table recorded as it is drawn: each download's file is written (as a press of the button would) with
the count queries still forbidden, so every file, chart and table of the page was made from the release. The
overview's CSV and the briefing page's pack are read back and tied to the release's cells, and the pack attacked.
Every page is checked (the list of test_wider_pages_read_only_the_release, held to pages/)."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from taskforce.core import disclosure
from taskforce.core.queries import run_query
from taskforce.measures.registry import measure, registry
from taskforce.release import tables
from taskforce.release.build import build_release
from taskforce.release.periods import ReleasePeriod
from taskforce.release.universe import NATION, WEEK
from tests.attacks import release_cells, rendered
from tests.attacks.test_wider_pages_read_only_the_release import (
    EVERY_PAGE,
    count_queries_forbidden,
)
from tests.attacks.wider_pages import Drawn, drawn, run_wider
from tests.conftest import LATEST_WEEK

__all__ = ["count_queries_forbidden", "drawn"]  # fixtures, used by name
PAGES = EVERY_PAGE


@pytest.mark.parametrize("page", PAGES)
def test_every_download_chart_and_table_of_a_wider_page_reads_the_release(
    demo_db_path, count_queries_forbidden, drawn: Drawn, page
):
    at = run_wider(page)
    files = drawn.files()
    assert count_queries_forbidden == [], f"{page} read {sorted(set(count_queries_forbidden))}"
    assert not at.exception
    for label, name, content in files:
        if name.endswith(".csv"):
            lines = content.decode().splitlines()
            assert lines[1] == f"# {disclosure.note()}", f"{label}: no note of the disclosure control"


def _released(db, week=None):
    return build_release(lambda name, params: run_query(db, name, params), 4, week)


def _week(release, week) -> ReleasePeriod:
    return ReleasePeriod("The week", ((WEEK, week),), week, week)


def test_the_wider_overview_csv_is_the_releases_national_weeks(demo_db_path, db, drawn: Drawn):
    """Each card's weekly figure in the CSV is the nation's week as the release shows it (a rate: its counts'
    shown cells, over the card's weeks), and nothing the release hides is in it."""
    at = run_wider("overview")
    assert not at.exception
    (content,) = [content for _, name, content in drawn.files() if name.startswith("headline_measures")]
    table = pd.read_csv(io.BytesIO(content), comment="#")
    release = _released(db)
    labels = {item.label: item for item in registry().values()}
    checked = 0
    for row in table.itertuples():
        item, week = labels[row.measure], pd.Timestamp(row.week_ending).date()
        expected = _card_figure(release, item, week)
        assert expected is not None, f"{row.measure} {week}: printed {row.value}, hidden or absent in the release"
        assert abs(expected - row.value) < 1e-3, f"{row.measure} {week}: printed {row.value}, released {expected}"
        checked += 1
    assert checked >= 6 * 20


def _card_figure(release, item, week) -> float | None:
    """The card's figure from the release's national weekly cells: a 12-week rate as the ratio of its counts'
    sums over the 12 weeks (a cohort's denominator over the 12 weeks its lag earlier), each week shown."""
    from taskforce.analysis.headlines import COHORT_LAGS, PERIOD_RATE_WEEKS, PERIOD_RATES

    weeks = PERIOD_RATE_WEEKS if item.code in PERIOD_RATES else 1
    parts = {}
    for code in item.base_codes:
        # a cohort rate's denominator is of the weeks its numerator follows, its lag earlier
        lag = COHORT_LAGS.get(item.code, 0) if code == item.denominator else 0
        values = [
            release.protected.get((WEEK, week - pd.Timedelta(weeks=n + lag).to_pytimedelta()), NATION, code)
            for n in range(weeks)
        ]
        if any(value is None for value in values):
            return None
        parts[code] = sum(values)
    return (
        item.value_from(parts)
        if not item.is_reported
        else tables.figure(release, _week(release, week), NATION, measure(item.code))[0]
    )


def test_the_wider_briefing_pages_pack_survives_the_attack(demo_db_path, db, drawn: Drawn):
    at = run_wider("briefing")
    assert not at.exception
    (content,) = [content for _, name, content in drawn.files() if name.endswith(".pptx")]
    release = _released(db, LATEST_WEEK)
    forces = run_query(db, "map_forces", {})
    facts, _ = rendered.force_map_facts(
        content, release, dict(zip(forces["org_name"], forces["org_code"], strict=True))
    )
    facts += rendered.trend_facts(content, release)
    assert rendered.tie(facts, release) == []
    inputs = release_cells.inputs_for(db, LATEST_WEEK - pd.Timedelta(weeks=12).to_pytimedelta(), LATEST_WEEK)
    assert rendered.attack(inputs, facts) == {}
