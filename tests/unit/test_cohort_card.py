"""The headline charge rate is the rate of one cohort (analysis/cohorts.py): the card, the week's statements,
the briefing's slides and the pack give its one verdict, and no verdict is given until the cohort has matured."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from taskforce.analysis import cohorts, headlines, what_changed
from taskforce.analysis.overview import weekly_overview
from taskforce.briefing import findings
from taskforce.briefing.contents import build_briefing
from taskforce.core.queries import run_query
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Judgement
from tests.conftest import LATEST_WEEK
from tests.unit.test_comparisons_and_cohorts import _charging

CHARGE_RATE = measure("charge_rate")
JUDGED = {Judgement.GOOD, Judgement.BAD, Judgement.NEUTRAL}


def _card_verdicts(totals: pd.DataFrame, lags: dict[str, int]) -> list[Judgement]:
    weeks = sorted(set(totals["week_ending"]))
    return [headlines.headline_card(totals, CHARGE_RATE, week, lags=lags).judgement for week in weeks[45:]]


def test_the_card_never_judges_a_constant_charging_probability_with_a_lag_and_rising_arrests():
    """Arrests rise, surge and fall back; every arrest is charged with probability 0.5 three weeks later. The
    card's cohort (lag 3) never calls that a special cause; the card without its cohort (charges of 12 weeks over
    the arrests of the same 12 weeks, the p-chart it used before) does."""
    totals = _charging(np.full(160, 0.5), lag=3)
    assert not JUDGED & set(_card_verdicts(totals, {"charge_rate": 3}))
    assert JUDGED & set(_card_verdicts(totals, {}))


def test_the_card_s_figure_and_verdict_are_the_newest_matured_cohort_s():
    totals = _charging(np.full(160, 0.5), lag=3)
    week = sorted(set(totals["week_ending"]))[-1]
    card = headlines.headline_card(totals, CHARGE_RATE, week, lags={"charge_rate": 3})
    check = cohorts.cohort_check(totals, CHARGE_RATE, week, 3)
    assert card.cohort == check and card.judgement is check.judgement and card.limits == check.limits
    assert card.value == check.value
    arrests_to = week - dt.timedelta(weeks=3)
    assert card.basis.endswith(f"of the OIC arrests of the 12 weeks to {arrests_to:%-d %b %Y}")
    assert "Laney p' limits" in card.variation_words()


def test_a_cohort_whose_charges_are_still_to_come_is_not_judged():
    """The charge rate of a provisional week: its newest charges are still arriving, so no verdict."""
    totals = _charging(np.where(np.arange(160) < 130, 0.5, 0.2), lag=3)
    week = sorted(set(totals["week_ending"]))[-1]
    assert headlines.headline_card(totals, CHARGE_RATE, week, lags={"charge_rate": 3}).judgement is Judgement.BAD
    card = headlines.headline_card(totals, CHARGE_RATE, week, provisional=True, lags={"charge_rate": 3})
    assert card.judgement is Judgement.PROVISIONAL and card.variation_words().startswith("Not judged")


def test_the_stated_lags_are_the_ones_the_demo_returns_show(db):
    """estimate_lag on the demo's national weekly totals: charges follow arrests by CHARGE_LAG_WEEKS, debriefs
    follow encounters by DEBRIEF_LAG_WEEKS (0, so the debrief rate needs no cohort)."""
    totals = run_query(db, "national_weekly_totals", {"from": LATEST_WEEK - dt.timedelta(weeks=104), "to": LATEST_WEEK})
    for code, lag in (("charge_rate", cohorts.CHARGE_LAG_WEEKS), ("debrief_rate", cohorts.DEBRIEF_LAG_WEEKS)):
        parts = cohorts.weekly_parts(totals, measure(code))
        assert cohorts.estimate_lag(parts["denominator"], parts["numerator"]) == lag, code
    assert headlines.COHORT_LAGS == {"charge_rate": cohorts.CHARGE_LAG_WEEKS}


def test_the_overview_statements_slides_and_pack_give_the_card_s_one_cohort_verdict(db):
    runner = lambda name, params: run_query(db, name, params)  # noqa: E731
    briefing = build_briefing(runner, LATEST_WEEK, 0.5, dt.datetime(2026, 11, 23, 9))
    card = next(card for card in briefing.overview.cards if card.measure.code == "charge_rate")
    overview = weekly_overview(runner, LATEST_WEEK)
    same = next(c for c in overview.cards if c.measure.code == "charge_rate")
    assert (same.value, same.judgement, same.variation_words()) == (card.value, card.judgement, card.variation_words())
    assert card.cohort is not None and card.judgement is card.cohort.judgement
    headline = findings.headings(briefing)[findings.HEADLINES_SLIDE].finding
    said = " ".join(what_changed.national_movers(overview.cards))
    if card.judgement in JUDGED:
        assert CHARGE_RATE.short_label in headline and card.variation_words() in said
    else:
        assert CHARGE_RATE.short_label not in headline and CHARGE_RATE.label not in said


def test_every_card_says_its_limits_are_not_adjusted_for_season(db):
    totals = run_query(
        db,
        "national_weekly_totals",
        {"from": LATEST_WEEK - dt.timedelta(weeks=headlines.HISTORY_WEEKS), "to": LATEST_WEEK},
    )
    for card in headlines.headline_cards(totals, LATEST_WEEK):
        assert headlines.SEASON_WORDS in card.help_words()
