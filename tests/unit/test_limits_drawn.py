"""The limits a trend chart draws are the card's verdict's own, special causes are marked by shape and colour
in the verdict's words, and a provisional week is drawn hollow and never judged. Each test fails with its rule
switched off (the limits drawn from another calculation, the marks dropped, the provisional week drawn as part
of the line)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from taskforce import charts
from taskforce.analysis import variation
from taskforce.analysis.headlines import HeadlineCard, headline_card
from taskforce.measures import palette
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import LIMITS_WORD, MEAN_WORD, POISSON_LIMITS_WORD, Judgement
from taskforce.ui.trend_cards import with_limits

ARRESTS = measure("oic_arrests")
EVENTS = pd.DataFrame({"event_date": [], "end_date": [], "label": []})
FIRST = dt.date(2025, 1, 5)


def _totals(values) -> pd.DataFrame:
    weeks = [FIRST + dt.timedelta(weeks=n) for n in range(len(values))]
    return pd.DataFrame({"week_ending": weeks, "measure_code": "oic_arrests", "value": np.asarray(values, float)})


def _card(values, provisional: bool = False) -> HeadlineCard:
    totals = _totals(values)
    return headline_card(totals, ARRESTS, totals["week_ending"].iloc[-1], provisional=provisional)


def _trend(values) -> object:
    weeks = [FIRST + dt.timedelta(weeks=n) for n in range(len(values))]
    table = pd.DataFrame({"period_start": weeks, "group_name": "National", "value": np.asarray(values, float)})
    return charts.group_trend(table, "People", EVENTS, "t")


def _trace(figure, name):
    return [trace for trace in figure.data if trace.name == name]


def _stepped() -> list[float]:
    rng = np.random.default_rng(3)
    return list(rng.poisson(60, 24)) + [30.0]  # a fall to 30 in the week judged: beyond the lower limit


def test_the_limits_drawn_are_the_verdicts_own():
    values = _stepped()
    card = _card(values)
    assert card.control is not None and card.judgement is Judgement.BAD
    drawn = with_limits(_trend(values), card.control, ARRESTS)
    (mean,) = _trace(drawn, MEAN_WORD)
    limits = _trace(drawn, LIMITS_WORD)
    assert list(mean.y) == [card.control.limits.centre] * 2 == [card.limits.centre] * 2
    assert sorted({y for trace in limits for y in trace.y}) == [card.limits.lower, card.limits.upper]
    assert mean.x[0] == card.control.baseline[0] and mean.x[-1] == card.week_ending
    assert card.control.baseline_words() in [annotation.text for annotation in drawn.layout.annotations]


def test_a_special_cause_is_marked_by_shape_and_colour_in_the_verdicts_words():
    values = _stepped()
    card = _card(values)
    drawn = with_limits(_trend(values), card.control, ARRESTS)
    (marked,) = _trace(drawn, Judgement.BAD.short())
    assert list(marked.x) == [card.week_ending] and list(marked.y) == [30.0]
    assert marked.marker.symbol == palette.SPECIAL_CAUSE_SYMBOL[Judgement.BAD] != "circle"
    assert marked.marker.color == palette.SPECIAL_CAUSE[Judgement.BAD]
    assert not _trace(drawn, Judgement.GOOD.short())


def test_common_cause_noise_marks_nothing():
    rng = np.random.default_rng(11)
    values = list(rng.poisson(60, 25).astype(float))
    card = _card(values)
    assert card.judgement is Judgement.WITHIN
    drawn = with_limits(_trend(values), card.control, ARRESTS)
    assert not [trace for trace in drawn.data if trace.mode == "markers"]


def test_a_small_count_says_its_limits_are_poisson():
    values = [1.0, 0.0, 2.0, 1.0, 0.0, 1.0, 3.0, 0.0, 1.0, 2.0, 1.0, 0.0, 1.0, 2.0, 0.0, 1.0, 1.0, 0.0, 2.0, 1.0, 1.0]
    card = _card(values)
    assert card.control is not None and card.control.method == variation.POISSON
    drawn = with_limits(_trend(values), card.control, ARRESTS)
    assert _trace(drawn, POISSON_LIMITS_WORD) and not _trace(drawn, LIMITS_WORD)


def test_a_provisional_week_is_drawn_hollow_and_never_judged():
    values = _stepped()  # the last week, 30, is a fall beyond the limits if judged
    card = _card(values, provisional=True)
    assert card.judgement is Judgement.PROVISIONAL
    drawn = with_limits(_trend(values), card.control, ARRESTS, judged=False)
    assert not _trace(drawn, Judgement.BAD.short())
    weeks = [FIRST + dt.timedelta(weeks=n) for n in range(len(values))]
    series = pd.Series(values, index=weeks)
    words = "provisional: 28 of 49 returns"
    figure = charts.trend_with_events(series, "OIC arrests", EVENTS, "t", provisional=(weeks[-1], words))
    line = next(trace for trace in figure.data if trace.name == "OIC arrests")
    assert weeks[-1] not in list(line.x)  # the line stops at the last complete week: no cliff
    (hollow,) = _trace(figure, words)
    assert list(hollow.x) == weeks[-1:] and list(hollow.y) == values[-1:]
    assert hollow.marker.symbol == "circle-open" and hollow.mode == "markers"  # no line runs down to it
