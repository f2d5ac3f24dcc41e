"""AppTest: the overview's cards draw, in their sparklines, the mean and limits of the very Control each card's
verdict came from, and the briefing's trend slide draws the arrests card's own; a provisional week's card shows
no fall on the week before; the big screen shows no help icons on the cards."""

from __future__ import annotations

import base64
import json
import re
import xml.etree.ElementTree as ElementTree
from functools import partial

import pytest
from streamlit.testing.v1 import AppTest

from taskforce.analysis.overview import weekly_overview
from taskforce.core.queries import run_query
from taskforce.measures.vocabulary import LIMITS_WORD, MEAN_WORD, POISSON_LIMITS_WORD
from tests.conftest import LATEST_WEEK, run_page

SVG = "{http://www.w3.org/2000/svg}"


def _sparklines(at) -> list[tuple[str, ElementTree.Element]]:
    """Each sparkline drawn on the page: its alt text and its SVG."""
    found = []
    for element in at.get("html"):
        body = element.proto.body
        for encoded, alt in re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', body):
            found.append((alt, ElementTree.fromstring(base64.b64decode(encoded))))
    return found


@pytest.fixture(scope="module")
def cards(db):
    return weekly_overview(partial(run_query, db), LATEST_WEEK).cards


def test_each_cards_sparkline_draws_its_own_controls_mean_and_limits(demo_db_path, cards):
    at = run_page("overview")
    assert not at.exception
    drawn = _sparklines(at)
    assert len(drawn) == len(cards)
    with_control = 0
    for card, (alt, svg) in zip(cards, drawn, strict=True):
        assert alt.startswith(card.measure.label)
        lines = {line.get("class"): float(line.get("data-value", "nan")) for line in svg.iter(f"{SVG}line")}
        if card.control is None:
            assert not lines  # no verdict's chart, no limits: nothing drawn from another calculation
            continue
        with_control += 1
        control = card.control
        assert lines == pytest.approx(
            {"mean": control.mean, "upper": control.limits.upper, "lower": max(control.limits.lower, 0.0)}, rel=1e-5
        )
    assert with_control >= 4  # the weekly figures (the 12-week charge rate has no weekly control)
    keys = " ".join(element.proto.body for element in at.get("html") if "sparkline-key" in element.proto.body)
    assert MEAN_WORD in keys and LIMITS_WORD in keys


def test_the_briefings_trend_slide_draws_the_arrests_cards_mean_and_limits(demo_db_path, cards):
    control = next(card.control for card in cards if card.measure.code == "oic_arrests")
    assert control is not None
    at = run_page("briefing", slide="5", week=LATEST_WEEK.isoformat())
    assert not at.exception
    traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    (mean,) = [trace for trace in traces if trace.get("name") == MEAN_WORD]
    assert mean["y"] == pytest.approx([control.mean] * 2)
    limits = [trace for trace in traces if trace.get("name") in (LIMITS_WORD, POISSON_LIMITS_WORD)]
    assert sorted(y for trace in limits for y in trace["y"]) == pytest.approx(
        sorted([max(control.limits.lower, 0.0)] * 2 + [control.limits.upper] * 2)
    )


def test_the_big_screen_shows_no_help_icons_on_the_cards(demo_db_path):
    at = run_page("briefing", slide="2", present="1", week=LATEST_WEEK.isoformat())
    assert not at.exception
    assert at.metric and all(not metric.help for metric in at.metric)


def _provisional_card_page(provisional: bool) -> None:
    import datetime as dt

    import numpy as np
    import pandas as pd

    from taskforce.analysis.headlines import headline_card as build_card
    from taskforce.measures.registry import measure
    from taskforce.ui.cards import headline_card

    rng = np.random.default_rng(3)
    values = [*rng.poisson(60, 24).astype(float), 26.0]  # the last week still filling up: 26 of about 60
    weeks = [dt.date(2025, 1, 5) + dt.timedelta(weeks=n) for n in range(len(values))]
    totals = pd.DataFrame({"week_ending": weeks, "measure_code": "oic_arrests", "value": values})
    headline_card(build_card(totals, measure("oic_arrests"), weeks[-1], provisional=provisional))


@pytest.mark.parametrize("provisional", [True, False])
def test_a_provisional_weeks_card_shows_no_fall_on_the_week_before(provisional):
    at = AppTest.from_function(_provisional_card_page, args=(provisional,), default_timeout=30).run()
    assert not at.exception
    (metric,) = at.metric
    words = " ".join(caption.value for caption in at.caption)
    if provisional:
        assert not metric.delta and "Not compared with the weeks before" in words
        assert "Down" not in words and "Not judged" in words
    else:  # the same figures, complete: the fall is said, and judged
        assert metric.delta and "Down" in words
