"""Whether a week's figure is beyond normal variation, by one stated method: control limits from the previous
12 weeks. Good or bad is said only beyond them; inside them the figure is "within normal variation".

- A count (arrests, packages shared): the mean of the previous 12 weeks plus or minus three standard
  deviations, and never narrower than the range a Poisson count with that mean stays within but for 0.135%
  each side: a quiet series is not made to look unusual by a small change.
- A rate (charge rate, debrief rate): the rate over the previous 12 weeks (a ratio of sums) plus or minus three
  standard errors for this week's denominator (a p-chart): a rate on a small base has wide limits.

At least 8 of the 12 weeks must have data; otherwise there are no limits and no verdict.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from taskforce.core.formats import SMALL_BASE, format_value, percent_change_allowed  # noqa: F401
from taskforce.measures.registry import Measure
from taskforce.measures.vocabulary import Judgement

CONTROL_WEEKS = 12
MINIMUM_WEEKS = 8
SIGMAS = 3.0
METHOD = ("Normal variation is judged against control limits from the previous 12 weeks: for a count, their "
          "mean plus or minus three standard deviations, and never narrower than the range a Poisson count with "
          "that mean keeps to but for 0.135% each side; for a rate, the 12-week rate plus or minus three standard "
          "errors for this week's denominator. A figure is called good or not good only outside those limits.")


@dataclass(frozen=True)
class Limits:
    centre: float
    lower: float
    upper: float

    def words(self, item: Measure) -> str:
        return f"{format_value(item, max(self.lower, 0.0))} to {format_value(item, self.upper)}"


TAIL = 0.00135  # the probability beyond three standard deviations of a normal distribution, each side


def poisson_range(mean: float) -> tuple[int, int]:
    """The counts a Poisson variable with this mean stays within but for TAIL each side: for a small mean the
    three-sigma rule is too narrow (a force averaging 0.05 arrests a week will sometimes have one)."""
    probability, cumulative, count, low = math.exp(-mean), 0.0, 0, 0
    while True:
        cumulative += probability
        if cumulative <= TAIL:
            low = count + 1
        if cumulative >= 1 - TAIL:
            return low, count
        count += 1
        probability *= mean / count


def count_limits(previous: Sequence[float]) -> Limits | None:
    """Control limits for a weekly count from its previous weeks' values (missing weeks left out): the wider
    of mean +/- 3 standard deviations and the Poisson range for that mean."""
    values = [float(v) for v in previous if v is not None and not math.isnan(float(v))]
    if len(values) < MINIMUM_WEEKS:
        return None
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    low, high = poisson_range(max(mean, 0.0))
    return Limits(mean, min(mean - SIGMAS * spread, low), max(mean + SIGMAS * spread, high))


def rate_limits(numerators: Sequence[float], denominators: Sequence[float], this_denominator: float
                ) -> Limits | None:
    """Control limits for a weekly rate (a p-chart): the previous weeks' rate as a ratio of sums, and three
    standard errors for the week's own denominator."""
    pairs = [(float(n), float(d)) for n, d in zip(numerators, denominators, strict=True)
             if not (math.isnan(float(n)) or math.isnan(float(d)))]
    if len(pairs) < MINIMUM_WEEKS:
        return None
    return period_rate_limits(sum(n for n, _ in pairs), sum(d for _, d in pairs), this_denominator)


def period_rate_limits(numerator: float, denominator: float, this_denominator: float) -> Limits | None:
    """Limits for a rate over a period against the rate of an earlier period (its summed parts), with three
    standard errors for this period's denominator."""
    if denominator <= 0 or not this_denominator or this_denominator <= 0:
        return None
    rate = numerator / denominator
    bounded = min(max(rate, 0.0), 1.0)
    half_width = SIGMAS * math.sqrt(bounded * (1 - bounded) / this_denominator)
    return Limits(rate, rate - half_width, rate + half_width)


def judge(item: Measure, value: float | None, limits: Limits | None) -> Judgement:
    """GOOD or BAD only when the value is outside the limits (and the measure has a better direction);
    NEUTRAL within them or for a measure that is neither; UNKNOWN without limits."""
    if value is None or limits is None or math.isnan(value):
        return Judgement.UNKNOWN
    if limits.lower <= value <= limits.upper:
        return Judgement.WITHIN
    if item.higher_is_better is None:
        return Judgement.NEUTRAL
    return Judgement.GOOD if (value > limits.upper) == item.higher_is_better else Judgement.BAD
