"""Comparing organisations honestly (funnel limits, false-discovery control) and the charge rate of one cohort
(a stated lag, Laney p'), each on data with a known truth made here."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from taskforce.analysis import cohorts, funnel, variation, what_changed
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Judgement

FIRST_WEEK = dt.date(2023, 1, 8)


def test_exact_funnel_limits_are_the_poisson_and_binomial_quantiles():
    # Poisson(10): P(X <= 3) = 0.010, P(X <= 4) = 0.029; P(X <= 16) = 0.973, P(X <= 17) = 0.986.
    assert funnel.count_limits(0.5, 20, 0.95, "poisson") == (4 / 20, 17 / 20)
    # Binomial(20, 0.5): P(X <= 5) = 0.021, P(X <= 6) = 0.058; P(X <= 13) = 0.942, P(X <= 14) = 0.979.
    assert funnel.count_limits(0.5, 20, 0.95, "binomial") == (6 / 20, 14 / 20)


def test_a_funnel_widens_for_a_small_base_and_narrows_for_a_large_one():
    """A small force far from the national rate is within its limits; a large one a little off is not."""
    table = funnel.funnel_table([2, 430, 5000], [10, 1000, 10000], ["Small", "Large", "Rest"], "binomial")
    positions = dict(zip(table["name"], table["position"], strict=True))
    assert table.attrs["national"] == pytest.approx(5432 / 11010)
    assert positions["Small"] == "within"  # 20% on 10 against 49.5%: inside the mouth
    assert positions["Large"] == "below 99.8%"  # 43% on 1,000 against 49.3%


def test_false_discovery_control_is_benjamini_hochberg():
    assert funnel.benjamini_hochberg([0.01, 0.04, 0.03, 0.005], 0.05) == [True, True, True, True]
    assert funnel.benjamini_hochberg([0.02] + [0.5] * 45) == [False] * 46  # alone at 5%, not across 46
    assert funnel.benjamini_hochberg([0.0005] + [0.5] * 45) == [True] + [False] * 45


def test_one_arrest_after_twelve_weeks_of_none_is_chance():
    assert funnel.against_own_baseline(1, 0, 12) == pytest.approx(2 / 13)


def _forces(values: dict[str, tuple[float, float]], rest: int = 44) -> pd.DataFrame:
    """Force rows for one week: each named force's (value, mean of its previous 12 weeks), and `rest` forces
    with a week like their usual one."""
    rows = [{"org_name": name, "value": value, "recent_mean": mean} for name, (value, mean) in values.items()]
    rows += [{"org_name": f"Force {n}", "value": 6.0, "recent_mean": 6.0} for n in range(rest)]
    frame = pd.DataFrame(rows)
    return frame.assign(
        org_code=frame["org_name"],
        org_type="force",
        measure_code="oic_arrests",
        recent_sd=1.0,
        recent_min=0.0,
        recent_max=frame["recent_mean"] * 2,
        recent_weeks=12,
    )


def test_a_small_forces_single_arrest_is_not_singled_out():
    """The issue's 'Gloucestershire: 1 OIC arrest, above its normal range (0 to 0)': no evidence of change."""
    statement = what_changed.force_mover(_forces({"Gloucestershire Constabulary": (1.0, 0.0)}))
    assert statement == [
        "No single force's OIC arrests show evidence of change this week (45 forces tested "
        "against their own previous 12 weeks, false-discovery control at q = 0.05)."
    ]


def test_a_force_unusual_alone_is_not_named_when_46_forces_are_tested():
    """14 arrests against 6 a week: p = 0.012 alone, which false-discovery control across 46 forces does not
    pass (without it, this force would be named)."""
    rows = _forces({"Essex Police": (14.0, 6.0)})
    tested = what_changed._tested(rows)
    assert tested.loc[tested["org_name"].eq("Essex Police"), "p_value"].item() < 0.05
    assert what_changed.force_mover(rows)[0].startswith("No single force's")


def test_a_real_step_in_one_force_is_named():
    statement = what_changed.force_mover(_forces({"Kent Police": (40.0, 10.0)}))[0]
    assert statement.startswith(
        "Kent Police: 40 OIC arrests in the week against 10.0 a week before, more than chance explains"
    )


def _totals(arrests: np.ndarray, charges: np.ndarray) -> pd.DataFrame:
    weeks = [FIRST_WEEK + dt.timedelta(weeks=n) for n in range(len(arrests))]
    return pd.concat(
        [
            pd.DataFrame({"week_ending": weeks, "measure_code": code, "value": values.astype(float)})
            for code, values in (("oic_arrests", arrests), ("oic_charges", charges))
        ]
    )


def _charging(probability: np.ndarray, lag: int, seed: int = 7) -> pd.DataFrame:
    """Arrests flat at 60 a week, then rising to 240 over 20 weeks, then a surge; each arrest charged with the
    given probability exactly `lag` weeks later."""
    rng = np.random.default_rng(seed)
    weeks = len(probability)
    level = np.interp(np.arange(weeks), [0, 60, 80, 110, 115, 120, weeks], [60, 60, 240, 240, 400, 240, 240])
    arrests = rng.poisson(level)
    charges = rng.binomial(np.concatenate([arrests[:1].repeat(lag), arrests[: weeks - lag]]), probability)
    return _totals(arrests, charges)


def _verdicts(totals: pd.DataFrame, lag: int) -> list[Judgement]:
    weeks = sorted(set(totals["week_ending"]))
    return [cohorts.charge_rate_verdict(totals, week, lag) for week in weeks[45:]]


def test_a_constant_charging_probability_with_a_lag_and_rising_arrests_is_never_judged():
    totals = _charging(np.full(160, 0.5), lag=3)
    assert set(_verdicts(totals, lag=3)) == {Judgement.WITHIN}
    # Switched off: charges set against the arrests of the same weeks are judged on the rise and the surge.
    assert {Judgement.GOOD, Judgement.BAD} & set(_verdicts(totals, lag=0))


def test_the_same_weeks_p_chart_the_cards_used_judges_that_constant_probability():
    """The failure the cohort mends: charges over the 12 weeks to t against arrests of the same weeks."""
    parts = cohorts.weekly_parts(_charging(np.full(160, 0.5), lag=3), measure("charge_rate"))
    sums = parts.rolling(12).sum()
    judged = [
        variation.judge(
            measure("charge_rate"),
            now["numerator"] / now["denominator"],
            variation.period_rate_limits(before["numerator"], before["denominator"], now["denominator"]),
        )
        for (_, now), (_, before) in zip(sums.iloc[24:].iterrows(), sums.iloc[12:-12].iterrows(), strict=True)
    ]
    assert Judgement.BAD in judged


def test_a_real_fall_in_the_charging_probability_is_caught_once_the_cohort_matures():
    probability = np.where(np.arange(160) < 130, 0.5, 0.35)
    verdicts = _verdicts(_charging(probability, lag=3), lag=3)
    falls = [index + 45 for index, verdict in enumerate(verdicts) if verdict is Judgement.BAD]
    assert falls and min(falls) >= 130 + 3


def test_a_cohort_has_no_verdict_until_its_charges_are_in():
    totals = _charging(np.full(160, 0.5), lag=3)
    parts = cohorts.weekly_parts(totals, measure("charge_rate"))
    last = FIRST_WEEK + dt.timedelta(weeks=159)
    check = cohorts.judge_cohort(parts, measure("charge_rate"), last - dt.timedelta(weeks=1), 3, last)
    assert check.judgement is Judgement.UNKNOWN and "Not yet matured" in check.reason
    assert (
        cohorts.judge_cohort(parts, measure("charge_rate"), last - dt.timedelta(weeks=3), 3, last).judgement
        is Judgement.WITHIN
    )


def test_the_lag_is_estimated_from_the_weekly_series():
    parts = cohorts.weekly_parts(_charging(np.full(160, 0.5), lag=3), measure("charge_rate"))
    assert cohorts.estimate_lag(parts["denominator"], parts["numerator"]) == 3


def test_laney_limits_allow_for_overdispersion():
    """Weekly rates that wander more than binomial chance (a rate drawn afresh each week around 50%) widen the
    limits by sigma_z; a plain p-chart (sigma_z of 1) calls some of those weeks unusual."""
    rng = np.random.default_rng(3)
    denominators = np.full(26, 400.0)
    numerators = rng.binomial(400, rng.normal(0.5, 0.06, 26)).astype(float)
    found = cohorts.laney_limits(numerators, denominators, 400.0)
    assert found is not None
    limits, sigma_z = found
    assert sigma_z > 1.5
    rates = numerators / denominators
    plain = variation.period_rate_limits(numerators.sum(), denominators.sum(), 400.0)
    assert plain is not None and ((rates < plain.lower) | (rates > plain.upper)).any()
    assert ((rates >= limits.lower) & (rates <= limits.upper)).all()


def test_a_rate_over_100_percent_on_one_arrest_is_never_ranked_first():
    """The issue's 'Northumbria 200% ranked first on 1 arrest': shown, not ranked."""
    from taskforce.analysis import rankings

    table = pd.DataFrame(
        {
            "org_name": ["Northumbria Police", "Kent Police", "Essex Police"],
            "oic_arrests": [1.0, 120.0, 80.0],
            "oic_charges": [2.0, 60.0, 44.0],
        }
    )
    table["charge_rate"] = table["oic_charges"] / table["oic_arrests"]
    ranks = rankings.rank_on_base(table, "charge_rate", "oic_arrests")
    assert ranks.isna().tolist() == [True, False, False]
    assert ranks.tolist()[1:] == [2.0, 1.0]
