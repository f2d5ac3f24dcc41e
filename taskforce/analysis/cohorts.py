"""A rate of one cohort: the charges set against the arrests they follow, judged on a Laney p' chart.

Charges follow arrests by weeks. The charges of the 12 weeks to week t divided by the arrests of the same 12
weeks is not a proportion of anything: while arrests rise it falls and while they fall it rises, with no change
in how often an arrest leads to a charge. The returns do not link a charge to its arrest, so the cohort is
taken by a stated lag L: the arrests of the 12 weeks to week w, and the charges of the 12 weeks to w + L. A
cohort is judged only once it has matured (every week of its charges is in), and against a baseline of the 26
weekly cohorts before it, with limits widened by the weekly cohorts' own overdispersion (Laney's p' chart).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from taskforce.analysis import variation
from taskforce.core.formats import format_date, format_percent
from taskforce.measures.registry import Measure, measure
from taskforce.measures.vocabulary import Judgement

CHARGE_LAG_WEEKS = 2  # estimated from the weekly returns by `estimate_lag`: charges follow arrests by two weeks
DEBRIEF_LAG_WEEKS = 0  # estimate_lag finds 0: a migrant is debriefed in the week of the encounter
COHORT_WEEKS = 12
BASELINE_WEEKS = 26
MINIMUM_BASELINE_WEEKS = 20
MOVING_RANGE_TO_SIGMA = 1.128  # d2 for moving ranges of two
LONGEST_LAG = 8

COHORT_METHOD = (
    f"The charge rate of a cohort: the charges of {COHORT_WEEKS} weeks set against the arrests of the "
    f"{COHORT_WEEKS} weeks they follow, {CHARGE_LAG_WEEKS} weeks earlier. The returns do not link a charge to its "
    "arrest, so the lag is stated: it is the lag at which the weekly charges best follow the weekly arrests in "
    "the returns (the changes of the two series, correlated at each lag up to eight weeks). Dividing charges by "
    "the arrests of the same weeks would make the rate fall whenever arrests rise and rise when they fall, with "
    "no change in how often an arrest leads to a charge. A cohort is judged only when it has matured, that is "
    "when every week of its charges is in; until then it has no verdict. It is judged on a Laney p' chart: the "
    f"centre is the rate of the {BASELINE_WEEKS} weekly cohorts before it, and the limits, three standard errors "
    "for the cohort's arrests (and the baseline's own), are widened by how much more the weekly cohorts vary than "
    "chance alone would make them (the average moving range of their z-scores; never narrower than chance "
    "alone), so an overdispersed rate is not "
    "called unusual for ordinary week-to-week swings. The headline card, the week's statements, the briefing's "
    "slides and the pack all give this one verdict, worked out once. The newest two weeks of arrests have no "
    "verdict until their charges are in. The debrief rate was checked the same way: its debriefs best follow "
    "its encounters at a lag of 0 weeks (a migrant is debriefed in the week of the encounter), so each week's "
    "rate is already the proportion of one cohort and is judged on its own XmR chart, whose limits come from "
    "the weeks' own moving ranges and so allow for overdispersion as Laney's do. Tasking completion follows "
    "taskings received by about one week. Limits: the lag is one number for all arrests; a change in how long "
    "charging takes moves the rate for a few weeks."
)


@dataclass(frozen=True)
class CohortCheck:
    """One cohort's rate, its Laney p' limits and the verdict, with the weeks it covers."""

    item: Measure
    judgement: Judgement
    reason: str
    value: float | None = None
    limits: variation.Limits | None = None
    arrest_weeks: tuple[dt.date, dt.date] | None = None  # the denominator's weeks
    lag_weeks: int = 0
    sigma_z: float | None = None

    def words(self) -> str:
        if self.arrest_weeks is None or self.value is None:
            return self.reason
        first, last = self.arrest_weeks
        lag = dt.timedelta(weeks=self.lag_weeks)
        side = f"; limits {self.limits.words(self.item)}" if self.limits else ""
        return (
            f"{format_percent(self.value)} for the cohort of weeks ending {format_date(first)} to "
            f"{format_date(last)}, with the numerators of the weeks ending {format_date(first + lag)} to "
            f"{format_date(last + lag)}{side}. {self.reason}"
        )


def weekly_parts(totals: pd.DataFrame, item: Measure) -> pd.DataFrame:
    """Week x [numerator, denominator] from the national weekly totals (week_ending, measure_code, value)."""
    wide = totals.pivot_table(index="week_ending", columns="measure_code", values="value", aggfunc="sum")
    wide.index = pd.to_datetime(wide.index).date
    numerator = wide.reindex(columns=list(item.components)).sum(axis=1, min_count=1)
    return pd.DataFrame({"numerator": numerator, "denominator": wide.reindex(columns=[item.denominator]).iloc[:, 0]})


def _weeks(last: dt.date, count: int) -> list[dt.date]:
    return [last - dt.timedelta(weeks=n) for n in range(count - 1, -1, -1)]


def _cohort_sums(parts: pd.DataFrame, arrest_weeks: list[dt.date], lag: int) -> tuple[float, float] | None:
    """(numerator over the lagged weeks, denominator over the cohort's weeks); None if any week is missing."""
    lagged = [week + dt.timedelta(weeks=lag) for week in arrest_weeks]
    numerators = parts["numerator"].reindex(lagged)
    denominators = parts["denominator"].reindex(arrest_weeks)
    if numerators.isna().any() or denominators.isna().any():
        return None
    return float(numerators.sum()), float(denominators.sum())


def laney_limits(
    numerators: np.ndarray, denominators: np.ndarray, this_denominator: float
) -> tuple[variation.Limits, float] | None:
    """Laney p' limits from a baseline of weekly cohorts: the pooled rate, plus or minus three standard errors
    for this cohort's denominator and the baseline's, times sigma_z (the average moving range of the weekly
    z-scores over 1.128, and never below 1: a run of quiet weeks does not narrow the limits below what chance
    alone gives). Returns the limits and sigma_z."""
    keep = denominators > 0
    numerators, denominators = numerators[keep], denominators[keep]
    if len(denominators) < MINIMUM_BASELINE_WEEKS or this_denominator <= 0:
        return None
    centre = float(numerators.sum() / denominators.sum())
    bounded = min(max(centre, 1e-6), 1 - 1e-6)
    z = (numerators / denominators - centre) / np.sqrt(bounded * (1 - bounded) / denominators)
    sigma_z = max(float(np.abs(np.diff(z)).mean() / MOVING_RANGE_TO_SIGMA), 1.0)  # never narrower than chance
    error = math.sqrt(bounded * (1 - bounded) * (1 / this_denominator + 1 / float(denominators.sum())))
    half_width = variation.SIGMAS * sigma_z * error
    return variation.Limits(centre, centre - half_width, centre + half_width), sigma_z


def judge_cohort(
    parts: pd.DataFrame,
    item: Measure,
    last_arrest_week: dt.date,
    lag: int,
    data_up_to: dt.date,
    weeks: int = COHORT_WEEKS,
) -> CohortCheck:
    """The verdict on the cohort whose denominators are the `weeks` weeks to `last_arrest_week`: none until its
    numerators (up to `lag` weeks later) are all in by `data_up_to`."""
    if last_arrest_week + dt.timedelta(weeks=lag) > data_up_to:
        return CohortCheck(item, Judgement.UNKNOWN, "Not yet matured: its charges are still to come.")
    cohort = _cohort_sums(parts, _weeks(last_arrest_week, weeks), lag)
    first_baseline = last_arrest_week - dt.timedelta(weeks=weeks)
    baseline = [_cohort_sums(parts, [week], lag) for week in _weeks(first_baseline, BASELINE_WEEKS)]
    sums = np.array([pair for pair in baseline if pair is not None], dtype=float).reshape(-1, 2)
    found = laney_limits(sums[:, 0], sums[:, 1], cohort[1]) if cohort else None
    if cohort is None or found is None:
        return CohortCheck(item, Judgement.UNKNOWN, "Too few complete weeks to judge the cohort.")
    limits, sigma_z = found
    value = cohort[0] / cohort[1]
    judgement = variation.judge(item, value, limits)
    return CohortCheck(
        item,
        judgement,
        _verdict_words(judgement, sigma_z),
        value,
        limits,
        (last_arrest_week - dt.timedelta(weeks=weeks - 1), last_arrest_week),
        lag,
        sigma_z,
    )


def _verdict_words(judgement: Judgement, sigma_z: float) -> str:
    beyond = judgement in (Judgement.GOOD, Judgement.BAD, Judgement.NEUTRAL)
    return (
        f"{'Beyond' if beyond else 'Within'} its Laney p' limits (the weekly cohorts vary {sigma_z:.2f} "
        "times as much as chance alone would make them)."
    )


def cohort_check(
    totals: pd.DataFrame, item: Measure, week: dt.date, lag: int, weeks: int = COHORT_WEEKS
) -> CohortCheck:
    """The newest matured cohort as at `week` (complete weeks only): denominators to `week - lag`."""
    return judge_cohort(weekly_parts(totals, item), item, week - dt.timedelta(weeks=lag), lag, week, weeks)


def charge_rate_verdict(totals: pd.DataFrame, week: dt.date, lag: int = CHARGE_LAG_WEEKS) -> Judgement:
    """The charge rate's verdict for the headline card of `week`, from the national weekly totals of complete
    weeks: the newest matured cohort on its Laney p' chart. The same Judgement as variation.judge."""
    return cohort_check(totals, measure("charge_rate"), week, lag).judgement


def estimate_lag(denominators: pd.Series, numerators: pd.Series, longest: int = LONGEST_LAG) -> int:
    """The lag (in weeks) at which the weekly numerators best follow the weekly denominators: the largest
    correlation between their week-on-week changes, so a shared trend does not decide it."""
    changes_in = pd.Series(denominators, dtype=float).diff()
    changes_out = pd.Series(numerators, dtype=float).diff()
    correlations = [changes_out.corr(changes_in.shift(lag)) for lag in range(longest + 1)]
    return int(np.nanargmax(correlations))
