"""The overview card's sparkline and the pack's trend chart draw the card's own mean and limits (the Control its
verdict came from), special causes in their verdict's colour, and a provisional week drawn apart (hollow, lighter,
named 'provisional'), never as a cliff at the end of the line. Each test fails with its rule switched off: the
limits left out or taken from elsewhere, the provisional week drawn as part of the line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import xml.etree.ElementTree as ElementTree

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_MARKER_STYLE
from pptx.enum.dml import MSO_FILL, MSO_LINE_DASH_STYLE

from taskforce import charts
from taskforce.analysis.headlines import HeadlineCard, headline_card
from taskforce.briefing.contents import build_briefing
from taskforce.briefing.pack import build_pack, control_lines, trend_lines
from taskforce.core.queries import run_query
from taskforce.measures import palette
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import LIMITS_WORD, MEAN_WORD, Judgement
from taskforce.ui.cards import spark_limits, sparkline_key, sparkline_text
from tests.conftest import LATEST_WEEK

ARRESTS = measure("oic_arrests")
FIRST = dt.date(2025, 1, 5)
SVG = "{http://www.w3.org/2000/svg}"
PROVISIONAL = "provisional: 28 of 49 returns"


def _card(values, provisional: bool = False) -> HeadlineCard:
    weeks = [FIRST + dt.timedelta(weeks=n) for n in range(len(values))]
    totals = pd.DataFrame({"week_ending": weeks, "measure_code": ARRESTS.code, "value": np.asarray(values, float)})
    return headline_card(totals, ARRESTS, weeks[-1], provisional=provisional)


def _stepped() -> list[float]:
    rng = np.random.default_rng(3)
    return list(rng.poisson(60, 24).astype(float)) + [30.0]  # a fall to 30 in the week judged: a special cause


def _svg(card: HeadlineCard, provisional: bool | None = None) -> ElementTree.Element:
    drawn = card.judgement is Judgement.PROVISIONAL if provisional is None else provisional
    return ElementTree.fromstring(charts.sparkline(card.sparkline, spark_limits(card), drawn))


def _height_to_value(card: HeadlineCard, y: float) -> float:
    """Read a height in the sparkline back as a value, on the scale its weeks, mean and limits share."""
    control = card.control
    assert control is not None
    values = list(card.sparkline.dropna()) + [control.mean, max(control.limits.lower, 0.0), control.limits.upper]
    low, high = min(values), max(values)
    inner = charts.SPARKLINE_HEIGHT - 2 * charts.SPARKLINE_PAD
    return low + (high - low) * (1 - (y - charts.SPARKLINE_PAD) / inner)


def _lines(svg: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {line.get("class", ""): line for line in svg.iter(f"{SVG}line")}


def test_the_cards_sparkline_draws_its_own_controls_mean_and_limits():
    card = _card(_stepped())
    control = card.control
    assert control is not None and card.judgement is Judgement.BAD
    lines = _lines(_svg(card))
    expected = {"mean": control.mean, "upper": control.limits.upper, "lower": max(control.limits.lower, 0.0)}
    assert set(lines) == set(expected)
    for role, value in expected.items():
        line = lines[role]
        assert float(line.get("data-value", "nan")) == pytest.approx(value, rel=1e-5)
        # drawn where the value is: the line's height read back on the sparkline's scale gives the Control's value
        assert _height_to_value(card, float(line.get("y1", "nan"))) == pytest.approx(value, abs=0.2)
    colours = {role: line.get("stroke") for role, line in lines.items()}
    assert colours == {"mean": palette.CONTROL_MEAN, "upper": palette.CONTROL_LIMIT, "lower": palette.CONTROL_LIMIT}
    assert lines["upper"].get("stroke-dasharray") and not lines["mean"].get("stroke-dasharray")


def test_the_limits_run_from_the_baselines_first_week_to_the_week_judged():
    card = _card(_stepped())
    assert card.control is not None
    weeks = list(card.sparkline.dropna().index)
    step = (charts.SPARKLINE_WIDTH - 2 * charts.SPARKLINE_PAD) / (len(weeks) - 1)
    mean = _lines(_svg(card))["mean"]
    first = weeks.index(card.control.span[0])
    assert float(mean.get("x1", "nan")) == pytest.approx(charts.SPARKLINE_PAD + first * step, abs=0.1)
    assert float(mean.get("x2", "nan")) == pytest.approx(charts.SPARKLINE_WIDTH - charts.SPARKLINE_PAD, abs=0.1)


def test_a_special_cause_is_marked_in_its_verdicts_colour_and_named_in_words():
    card = _card(_stepped())
    marks = [path.get("stroke") for path in _svg(card).iter(f"{SVG}path")]
    assert palette.SPECIAL_CAUSE[Judgement.BAD] in marks
    assert "limits" in sparkline_text(card) and MEAN_WORD in sparkline_text(card)
    assert card.judgement.short() == "special cause, concerning"


def test_a_card_without_a_control_draws_no_limits():
    card = _card([60.0, 61.0, 59.0])  # too little history for a baseline
    assert card.control is None and spark_limits(card) is None
    assert not _lines(_svg(card))
    assert sparkline_key(limits=None, provisional=False) == ""


def test_a_provisional_week_is_drawn_apart_hollow_and_never_marked_on_the_sparkline():
    card = _card(_stepped(), provisional=True)  # the fall to 30 is a week still filling up
    assert card.judgement is Judgement.PROVISIONAL
    svg = _svg(card)
    (line,) = list(svg.iter(f"{SVG}polyline"))
    drawn = line.get("points", "").split()
    assert len(drawn) == len(card.sparkline) - 1  # the line stops at the last complete week: no cliff
    dots = [path.get("stroke") for path in svg.iter(f"{SVG}path")]
    assert dots[-2:] == [palette.LIGHT_BLUE, palette.WHITE]  # a hollow mark, lighter: a ring, white inside
    assert not [path for path in svg.iter(f"{SVG}path") if " L" in path.get("d", "")]  # no line runs down to it
    assert palette.SPECIAL_CAUSE[Judgement.BAD] not in dots  # judged on nothing
    assert "Provisional week" in sparkline_key(limits="", provisional=True)
    assert "Limits 48 to 92" in sparkline_key(limits="48 to 92", provisional=False)
    assert "provisional" in sparkline_text(card)


def test_the_provisional_rule_switched_off_draws_the_cliff():
    card = _card(_stepped(), provisional=True)
    (line,) = list(_svg(card, provisional=False).iter(f"{SVG}polyline"))
    assert len(line.get("points", "").split()) == len(card.sparkline)


WEEKS = [FIRST + dt.timedelta(weeks=n) for n in range(6)]


def test_the_packs_provisional_week_is_a_series_of_its_own_from_the_last_complete_week():
    measured = {"OIC arrests": pd.Series([50.0, 52, 49, 55, 51, 20])}
    lines, drawn = trend_lines(WEEKS, measured, (WEEKS[-1], PROVISIONAL))
    assert lines["OIC arrests"] == [50.0, 52, 49, 55, 51, None]
    assert lines[f"OIC arrests, {PROVISIONAL}"] == [None, None, None, None, None, 20.0]
    assert drawn[f"OIC arrests, {PROVISIONAL}"][0] == "prov"
    complete, _ = trend_lines(WEEKS, measured, None)
    assert complete == {"OIC arrests": [50.0, 52, 49, 55, 51, 20]}


@pytest.fixture(scope="module")
def briefing(db):
    return build_briefing(
        lambda name, params: run_query(db, name, params), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9, 30)
    )


def _trend_chart(content: bytes):
    deck = Presentation(io.BytesIO(content))
    return next(shape.chart for shape in deck.slides[4].shapes if shape.has_chart)


def _values_by_name(chart) -> dict[str, list]:
    return {series.name: list(series.values) for series in chart.plots[0].series}


def test_the_packs_trend_chart_draws_the_arrests_cards_own_mean_and_limits(briefing):
    control = briefing.control("oic_arrests")
    assert control is not None
    chart = _trend_chart(build_pack(briefing, "OFFICIAL"))
    drawn = _values_by_name(chart)
    weeks = [pd.Timestamp(day).date() for day in briefing.trends["week_ending"]]
    inside = [control.span[0] <= week <= control.span[1] for week in weeks]
    for name, level in ((MEAN_WORD, control.mean), (LIMITS_WORD, control.limits.upper)):
        assert [value for value, shown in zip(drawn[name], inside, strict=True) if shown] == pytest.approx(
            [level] * sum(inside)
        )
        assert all(value is None for value, shown in zip(drawn[name], inside, strict=True) if not shown)
    lower = [value for value in drawn[f"{LIMITS_WORD}, lower"] if value is not None]
    assert lower == pytest.approx([max(control.limits.lower, 0.0)] * sum(inside))
    styles = {series.name: series for series in chart.plots[0].series}
    assert styles[LIMITS_WORD].format.line.dash_style == MSO_LINE_DASH_STYLE.ROUND_DOT
    assert str(styles[MEAN_WORD].format.line.color.rgb) == palette.CONTROL_MEAN.lstrip("#").upper()
    assert list(drawn)[0] == "OIC arrests"  # the measure stays the chart's first series


def test_the_packs_special_causes_are_the_controls_own(briefing):
    control = briefing.control("oic_arrests")
    assert control is not None
    weeks = [pd.Timestamp(day).date() for day in briefing.trends["week_ending"]]
    series = control_lines(weeks, control, ARRESTS)
    for verdict in (Judgement.GOOD, Judgement.BAD, Judgement.NEUTRAL):
        found = {week: value for week, (value, said) in control.special_causes(ARRESTS).items() if said == verdict}
        shown = {week: found[week] for week in weeks if week in found}
        if shown:
            values, _ = series[verdict.short()]
            assert {week: value for week, value in zip(weeks, values, strict=True) if value is not None} == shown
        else:
            assert verdict.short() not in series


def test_the_packs_provisional_week_is_drawn_hollow_and_dotted_not_as_a_cliff(briefing):
    last = pd.Timestamp(briefing.trends["week_ending"].iloc[-1]).date()
    provisional = dataclasses.replace(briefing, provisional=(last, PROVISIONAL))
    chart = _trend_chart(build_pack(provisional, "OFFICIAL"))
    drawn = _values_by_name(chart)
    arrests = list(briefing.trends["arrests"])
    assert drawn["OIC arrests"][-1] is None and drawn["OIC arrests"][:-1] == arrests[:-1]
    apart = drawn[f"OIC arrests, {PROVISIONAL}"]
    assert apart == [None] * (len(arrests) - 1) + arrests[-1:]
    series = next(item for item in chart.plots[0].series if item.name == f"OIC arrests, {PROVISIONAL}")
    assert series.format.line.fill.type == MSO_FILL.BACKGROUND  # a point standing apart: no line down to it
    assert series.marker.style == XL_MARKER_STYLE.CIRCLE
    assert str(series.marker.format.fill.fore_color.rgb) == palette.LIGHT_BLUE.lstrip("#").upper()  # lighter
    assert str(series.marker.format.line.color.rgb) == palette.NAVY.lstrip("#").upper()  # ringed in its colour
    # judged on nothing: the week is not marked as a special cause
    marked = [item for item in chart.plots[0].series if item.name in {j.short() for j in Judgement}]
    assert all(item.values[-1] is None for item in marked)
