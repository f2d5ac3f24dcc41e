"""The weekly overview's numbers and words, checked against direct SQL on the demo database."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from taskforce.analysis import cohorts, headlines, what_changed
from taskforce.analysis.overview import weekly_overview
from taskforce.core.queries import run_query
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Judgement
from tests.conftest import LATEST_WEEK, scalar


@pytest.fixture(scope="module")
def latest(db):
    return weekly_overview(lambda name, params: run_query(db, name, params), LATEST_WEEK)


def _national(db, measure_code: str, week: dt.date) -> float:
    return scalar(
        db,
        "select sum(value) from weekly_return where measure_code = $m and week_ending = $w",
        {"m": measure_code, "w": week},
    )


def test_the_default_week_is_the_latest_with_most_returns_in(db):
    assert headlines.default_week(run_query(db, "reporting_weeks")) == LATEST_WEEK


def test_the_default_week_skips_a_week_with_few_returns_so_far():
    weeks = pd.DataFrame(
        {
            "week_ending": [dt.date(2026, 11, 29), dt.date(2026, 11, 22)],
            "returns_complete": [3, 47],
            "returns_expected": [49, 49],
        }
    )
    assert headlines.default_week(weeks) == dt.date(2026, 11, 22)


def test_card_values_equal_direct_sql(db, latest):
    cards = {card.measure.code: card for card in latest.cards}
    assert cards["oic_arrests"].value == _national(db, "oic_arrests", LATEST_WEEK)
    assert cards["intel_packages_shared"].value == _national(db, "intel_packages_shared", LATEST_WEEK)
    disruptions = sum(_national(db, f"disruptions_{k}", LATEST_WEEK) for k in ("major", "moderate", "minor"))
    assert cards["disruptions_total"].value == disruptions
    # a cohort: the charges of the 12 weeks to the week over the arrests of the 12 weeks they follow
    arrests_to = LATEST_WEEK - dt.timedelta(weeks=cohorts.CHARGE_LAG_WEEKS)
    assert cards["charge_rate"].value == pytest.approx(
        _twelve_weeks(db, "oic_charges", LATEST_WEEK) / _twelve_weeks(db, "oic_arrests", arrests_to)
    )
    assert cards["debrief_rate"].value == pytest.approx(
        _national(db, "migrants_debriefed", LATEST_WEEK) / _national(db, "migrants_encountered", LATEST_WEEK)
    )


def test_comparisons_equal_direct_sql(db, latest):
    arrests = next(card for card in latest.cards if card.measure.code == "oic_arrests")
    previous = _national(db, "oic_arrests", LATEST_WEEK - dt.timedelta(weeks=1))
    assert arrests.against_previous_week.reference_value == previous
    average = scalar(
        db,
        """select sum(value) / 12 from weekly_return where measure_code = 'oic_arrests'
        and week_ending between $w - interval 84 day and $w - interval 7 day""",
        {"w": LATEST_WEEK},
    )
    assert arrests.against_average.reference_value == pytest.approx(average)
    assert len(arrests.sparkline) == 26


def _twelve_weeks(db, code: str, last: dt.date) -> float:
    return scalar(
        db,
        """select sum(value) from weekly_return where measure_code = $m
        and week_ending between $w - interval 77 day and $w""",
        {"m": code, "w": last},
    )


def test_the_charge_rate_is_headlined_over_12_weeks_as_a_ratio_of_sums(db, latest):
    """Charges follow arrests by weeks, so the card's rate is the 12 weeks' charges over the arrests of the 12
    weeks they follow (a cohort), compared with the cohort 12 weeks before, never a mean of weekly ratios."""
    rate = next(card for card in latest.cards if card.measure.code == "charge_rate")
    before, lag = LATEST_WEEK - dt.timedelta(weeks=12), dt.timedelta(weeks=cohorts.CHARGE_LAG_WEEKS)
    assert rate.over_weeks == 12
    assert rate.basis == "over the 12 weeks to 22 Nov 2026, of the OIC arrests of the 12 weeks to 8 Nov 2026"
    assert rate.against_average.reference_value == pytest.approx(
        _twelve_weeks(db, "oic_charges", before) / _twelve_weeks(db, "oic_arrests", before - lag)
    )


@pytest.mark.parametrize(
    "value, reference, direction", [(12, 10, "up"), (8, 10, "down"), (10, 10, "level"), (10, None, "unknown")]
)
def test_the_direction_is_a_fact_of_its_own(value, reference, direction):
    assert headlines.compare(measure("oic_arrests"), value, reference).direction == direction


def test_comparisons_are_stated_in_words_and_the_verdict_stays_with_the_figure(latest):
    """A change is stated as a change; whether the figure is beyond normal variation is the card's own line,
    so a +1 point move is never called 'beyond normal variation' just because the level is."""
    item = measure("oic_arrests")
    words = headlines.compare(item, 12, 10, Judgement.WITHIN).words(item, "the previous week")
    assert words == "Up 2 (+20%) on the previous week (10)."
    rate = headlines.compare(measure("charge_rate"), 0.5, 0.45, Judgement.GOOD).words(
        measure("charge_rate"), "the 12 weeks before"
    )
    assert rate == "Up 5.0 points on the 12 weeks before (45.0%)."
    charge_rate = next(card for card in latest.cards if card.measure.code == "charge_rate")
    verdict = charge_rate.judgement.words()
    assert charge_rate.variation_words().startswith(f"{verdict[0].upper()}{verdict[1:]} (")
    assert "Laney p' limits" in charge_rate.variation_words()


def test_no_percentage_change_on_a_small_base():
    """2 to 8 is not '+300%': below a base of 10 the counts are given instead."""
    words = headlines.compare(measure("oic_arrests"), 8, 2, Judgement.WITHIN).words(measure("oic_arrests"), "x")
    assert words == "Up 6 on x (2)."
    assert "%" not in headlines.compare(measure("oic_arrests"), 0, 1).words(measure("oic_arrests"), "x")


def test_complete_and_missing_returns_equal_direct_sql(db, latest):
    complete = scalar(
        db,
        """select count(*) from (select org_code from weekly_return where week_ending = $w
                             group by org_code having count(distinct measure_code) = 20)""",
        {"w": LATEST_WEEK},
    )
    summary = latest.returns_summary
    assert summary.complete == complete
    assert summary.expected == 49
    assert len(summary.missing) == 49 - complete
    assert "Gwent Police" in summary.missing


def test_recommendation_summary_counts_every_recommendation(latest):
    counts = headlines.status_counts(latest.recommendations)
    assert sum(counts.values()) == 10
    overdue = latest.recommendations[latest.recommendations["overdue"]]
    assert (overdue["status"] != "Complete").all()
    assert (pd.to_datetime(overdue["due_date"]).dt.date < LATEST_WEEK).all()


def test_three_to_six_statements_say_what_changed_and_the_missing_returns_come_first(latest):
    assert 3 <= len(latest.statements) <= 6
    assert "not yet received" in latest.statements[0]
    assert "nil return" in " ".join(latest.statements)  # Dyfed-Powys sent zeros for everything


def test_a_status_change_in_the_week_is_stated():
    changes = pd.DataFrame(
        [
            {
                "recommendation": 7,
                "short_title": "OIC groups graded",
                "as_of_date": dt.date(2026, 3, 6),
                "previous_status": "On track",
                "status": "At risk",
            }
        ]
    )
    sentence = what_changed.status_changes(changes)[0]
    assert sentence == "Recommendation 7 (OIC groups graded) moved from On track to At risk on 6 Mar 2026."


def test_a_value_far_outside_an_organisations_range_is_stated():
    rows = pd.DataFrame(
        [
            {
                "org_code": "essex",
                "org_name": "Essex Police",
                "org_type": "force",
                "measure_code": "migrants_encountered",
                "value": 40.0,
                "recent_mean": 6.0,
                "recent_sd": 2.0,
                "recent_min": 3.0,
                "recent_max": 10.0,
                "recent_weeks": 12,
            }
        ]
    )
    assert what_changed.outliers(rows) == [
        "Essex Police reported 40 migrants encountered, above anything in its previous 12 weeks (3 to 10)."
    ]


def test_an_organisation_with_too_little_history_is_not_judged():
    rows = pd.DataFrame(
        [
            {
                "org_code": "essex",
                "org_name": "Essex Police",
                "org_type": "force",
                "measure_code": "migrants_encountered",
                "value": 40.0,
                "recent_mean": 6.0,
                "recent_sd": 2.0,
                "recent_min": 3.0,
                "recent_max": 10.0,
                "recent_weeks": 3,
            }
        ]
    )
    assert what_changed.outliers(rows) == []


def test_card_numbers_download_has_26_weeks_per_card(latest):
    numbers = headlines.card_numbers(latest.cards)
    assert set(numbers.groupby("measure").size()) == {26}
