"""XmR charts as Making Data Count practises them, on series whose truth the test makes: a real step change is
caught, pure noise flags only the expected few, a spike in the baseline does not widen the limits, a small count
gets exact Poisson limits, and a provisional week gets no verdict. Each test fails with its rule switched off
(checked by setting the rule's marks to nothing, or the factor back to a standard deviation)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from taskforce.analysis import variation
from taskforce.analysis.headlines import headline_card
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Judgement

ARRESTS = measure("oic_arrests")


def _weekly(values) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.date_range("2024-01-07", periods=len(values), freq="7D"))


def test_a_real_step_change_from_60_to_40_is_caught_as_concerning():
    """20 weeks of Poisson(60), then 8 of Poisson(40): by the 8th week the run (or two-of-three) rule fires."""
    rng = np.random.default_rng(7)
    series = _weekly(np.r_[rng.poisson(60, 20), rng.poisson(40, 8)])
    control = variation.xmr(series, baseline=list(series.index[:20]))
    assert control is not None and control.rules
    assert control.judge(ARRESTS) is Judgement.BAD


def test_a_run_of_seven_below_the_mean_inside_the_limits_is_a_special_cause():
    """Every point within the limits, but 7 in a row below the mean: only the run rule can find it."""
    base = [60, 70, 52, 66, 55, 68, 58, 64, 54, 67, 57, 63, 59, 65, 53, 69, 56, 62, 61, 60]
    series = _weekly(base + [57, 58, 56, 57, 58, 56, 57])
    control = variation.xmr(series, baseline=list(series.index[:20]))
    assert control is not None and control.limits.lower < 56
    assert variation.RUN in control.rules and control.side == -1


def test_a_trend_of_seven_rising_is_a_special_cause():
    base = [60, 70, 52, 66, 55, 68, 58, 64, 54, 67, 57, 63, 59, 65, 53, 69, 56, 62, 61, 60]
    series = _weekly(base + [50, 53, 56, 59, 62, 65, 68])
    control = variation.xmr(series, baseline=list(series.index[:20]))
    assert control is not None and variation.TREND in control.rules and control.side == 1


def test_two_of_three_near_the_upper_limit_is_a_special_cause():
    base = [60, 70, 52, 66, 55, 68, 58, 64, 54, 67, 57, 63, 59, 65, 53, 69, 56, 62, 61, 60]
    control = variation.xmr(_weekly(base))
    assert control is not None
    near = control.near[1] + 1
    assert near < control.limits.upper
    judged = variation.xmr(_weekly(base + [near, 60, near]), baseline=list(_weekly(base).index))
    assert judged is not None and judged.rules == (variation.NEAR_LIMIT,)


def test_pure_noise_over_104_weeks_flags_only_the_expected_few():
    """Each week judged against the 20 before it, as the cards are: pure Poisson(60) noise. The rules' false
    alarms add up to about 3% of weeks (0.3% beyond the limits, about 1.6% for a run); 104 weeks flag a few."""
    flagged = []
    for seed in range(10):
        series = _weekly(np.random.default_rng(seed).poisson(60, 124))
        flagged.append(
            sum(
                bool(variation.xmr(series.iloc[end - 20 : end + 1]).rules)  # type: ignore[union-attr]
                for end in range(20, 124)
            )
        )
    assert np.mean(flagged) < 6 and max(flagged) <= 12


def test_a_spike_in_the_baseline_does_not_widen_the_limits():
    """The statistician's example: a standard deviation inflated by one spike of 107 gave limits wide enough
    to pass a 64% fall ('26 to 118'); the average moving range, with the spike left out once it is found,
    keeps them close to the weeks' real spread ('44 to 100')."""
    rng = np.random.default_rng(3)
    base = list(np.clip(rng.normal(72, 8, 20).round(), 0, None))
    base[10] = 107 * 2  # a spike twice the level
    series = _weekly(base + [72])
    control = variation.xmr(series)
    assert control is not None and control.excluded == (series.index[10],)
    standard_deviation = float(np.std(base, ddof=1))
    assert control.limits.upper - control.limits.centre < 2 * standard_deviation
    assert control.limits.lower > 35 and control.limits.upper < 110  # sd limits: about -40 to 190
    fall = variation.xmr(_weekly(base + [26]))
    assert fall is not None and fall.judge(ARRESTS) is Judgement.BAD


def test_a_small_count_gets_exact_poisson_limits_and_no_run_rule():
    """A force averaging 0.3 arrests a week: weeks of 0 below the mean are no run, and one arrest is common
    cause; the method says Poisson."""
    series = _weekly([0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1] + [0] * 7 + [1])
    control = variation.xmr(series, baseline=list(series.index[:20]))
    assert control is not None and control.method == variation.POISSON
    assert control.judge(ARRESTS) is Judgement.WITHIN
    assert not any(variation.RUN in rules for rules in control.signals.values())
    assert "Poisson limits" in control.baseline_words()


def test_a_provisional_week_gets_no_verdict_however_far_it_falls():
    weeks = pd.date_range("2026-06-07", periods=30, freq="7D").date
    values = [60.0] * 29 + [5.0]
    values[::2] = [62.0] * 15
    totals = pd.DataFrame({"week_ending": weeks, "measure_code": "oic_arrests", "value": values})
    judged = headline_card(totals, ARRESTS, weeks[-1])
    provisional = headline_card(totals, ARRESTS, weeks[-1], provisional=True)
    assert judged.judgement is Judgement.BAD
    assert provisional.judgement is Judgement.PROVISIONAL
    assert provisional.variation_words().startswith("Not judged")
