"""AppTest of the 'Show mean and limits' switch on Arrests and charges: on by default where the card gives a
verdict, drawing that card's own mean and limits; off (and held in the URL) it draws neither."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from taskforce.measures.vocabulary import LIMITS_WORD, MEAN_WORD, POISSON_LIMITS_WORD
from taskforce.ui.trend_cards import LIMITS_KEY
from tests.conftest import run_page


def _trace_names(at: AppTest) -> list[str]:
    trend = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [trace.get("name") for trace in trend["data"]]


def test_the_mean_and_limits_are_drawn_by_default_and_the_switch_hides_them(demo_db_path):
    at = run_page("trends")
    assert not at.exception
    assert at.toggle(key=LIMITS_KEY).value is True
    names = _trace_names(at)
    assert MEAN_WORD in names and ({LIMITS_WORD, POISSON_LIMITS_WORD} & set(names))
    at.toggle(key=LIMITS_KEY).set_value(False).run()
    assert not at.exception
    assert MEAN_WORD not in _trace_names(at)
    assert at.query_params[LIMITS_KEY] in ("off", ["off"])


def test_a_link_with_the_limits_off_opens_with_them_off(demo_db_path):
    at = run_page("trends", limits="off")
    assert not at.exception and at.toggle(key=LIMITS_KEY).value is False
    assert MEAN_WORD not in _trace_names(at)


def test_a_rate_judged_over_12_weeks_has_no_switch(demo_db_path):
    at = run_page("trends", measure="charge_rate")
    assert not at.exception
    assert not [toggle for toggle in at.toggle if toggle.key == LIMITS_KEY]
