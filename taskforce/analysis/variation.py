"""Whether a figure shows special-cause variation, by statistical process control as NHS England's "Making Data
Count" practises it (XmR charts), under stated rules. Good or bad is said only of a special cause; otherwise the
variation is common cause: no evidence of change.

- **The baseline**: the 20 complete weeks before the week judged (at least 12 with data). Its mean is the centre
  line; the limits are the mean plus or minus 2.66 times the average moving range (the mean absolute difference
  between consecutive weeks), which a single spike widens far less than a standard deviation. Weeks of the
  baseline beyond those limits are special causes: they are left out and the limits worked out again, once.
- **The rules** (any one is a special cause): (a) a point beyond a limit; (b) a run of 7 points on one side of
  the mean; (c) a trend of 7 points each higher (or lower) than the one before (6 moves); (d) two of three
  points more than two sigma (two thirds of the way to a limit) from the mean, on the same side.
- **Small counts**: where the baseline's mean is under 10, or its moving range collapses to nothing, a count's
  limits are the exact Poisson ones for that mean (the counts it stays within but for 0.135% each side), and
  only rules (a) and (d) apply, two sigma being the Poisson 2.3% points: a run of weeks of 0 below a mean of 0.3
  is no signal.
- **Seasonality is not adjusted for**, and every card and About the data say so (SEASONALITY_METHOD): the
  small-boat season moves the level through the year, so a run or trend over late summer or winter can be the
  season; the limits come from the 20 weeks just before, which limits the effect.
- The headline charge rate is a cohort rate on a Laney p' chart (analysis/cohorts.py). A 12-week rate with no
  stated lag (tasking completion on its linked charts) is still judged against the previous period's rate
  with three standard errors for its own denominator (a p-chart; `period_rate_limits`).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import pandas as pd

from taskforce.core.formats import SMALL_BASE, format_value, percent_change_allowed  # noqa: F401
from taskforce.measures.registry import Measure
from taskforce.measures.vocabulary import Judgement

BASELINE_WEEKS = 20
MINIMUM_BASELINE = 12  # a baseline needs at least this many weeks with data
MINIMUM_WEEKS = 8  # the older p-chart rules need this many earlier weeks
XMR_FACTOR = 2.66  # 3 / 1.128: three sigma, sigma estimated from the average moving range
RUN_LENGTH = 7
TREND_LENGTH = 7
SMALL_MEAN = 10  # below this baseline mean a count gets exact Poisson limits
SIGMAS = 3.0
TAIL = 0.00135  # the probability beyond three standard deviations of a normal distribution, each side
TWO_SIGMA_TAIL = 0.02275  # beyond two

BEYOND = "a point beyond the limits"
RUN = f"a run of {RUN_LENGTH} on one side of the mean"
TREND = f"a trend of {TREND_LENGTH} rising or falling"
NEAR_LIMIT = "two of three near a limit"
XMR, POISSON = "XmR", "Poisson"

METHOD = (
    f"Variation is judged as NHS England's Making Data Count does (XmR charts). The centre line is the mean of "
    f"the {BASELINE_WEEKS} complete weeks before the week judged; the limits are that mean plus or minus "
    f"{XMR_FACTOR} times the average moving range (week-to-week difference), worked out again once without "
    f"any week of the baseline beyond them. A special cause is {BEYOND}, {RUN}, {TREND} (6 moves), or "
    f"{NEAR_LIMIT} (two of three points more than two thirds of the way to a limit, on the same side). "
    f"Where a count's baseline mean is under {SMALL_MEAN}, or its moving range is nil, exact Poisson limits "
    "(0.135% each side) replace the XmR ones and only the first and last rules apply. Only a special cause "
    "is called improving or concerning; anything else is common cause variation, no evidence of change. "
    "The limits are not adjusted for season (see Seasonality). A provisional week is not judged. The charge "
    "rate is judged as the rate of one cohort (below); a rate over 12 weeks with no stated lag is judged "
    "against the 12 weeks before it, with three standard errors for its own denominator (a p-chart)."
)

SEASONALITY_METHOD = (
    "The limits are not adjusted for season. OIC activity follows the small-boat crossings: in the demo data the "
    "level of arrests runs from about three quarters of the year's average in January and February to about "
    "one and a quarter in August and September (the crossings' own pattern, 2021 to 2025). The baseline is the "
    f"{BASELINE_WEEKS} weeks just before the week judged, so the season moves the centre line with it, and a "
    "week is compared with weeks of nearly the same season. What it means: as the season turns (spring into "
    "summer, autumn into winter), a run of weeks above or below the centre line or a trend can be the season "
    "and not a change in what forces do; read such a special cause against the same weeks last year (Trends, "
    "'same weeks last year') before calling it improving or concerning. A single week beyond the limits is "
    "far less affected, as the season moves the level by a few percent a week at most."
)


@dataclass(frozen=True)
class Limits:
    centre: float
    lower: float
    upper: float

    def words(self, item: Measure) -> str:
        return f"{format_value(item, max(self.lower, 0.0))} to {format_value(item, self.upper)}"


@dataclass(frozen=True)
class Control:
    """An XmR (or Poisson) chart of a series: its limits from the baseline, and what the rules found."""

    limits: Limits
    method: str  # XMR or POISSON
    baseline: tuple[Hashable, ...]  # the points the limits were worked out from (special causes left out)
    excluded: tuple[Hashable, ...]  # baseline points left out as special causes
    near: tuple[float, float]  # the two-sigma zone: beyond it counts towards NEAR_LIMIT
    signals: dict[Hashable, tuple[str, ...]]  # each point that is a special cause, and the rules it breaks
    sides: dict[Hashable, int]  # +1 above the mean, -1 below, for each special-cause point
    last: Hashable | None  # the point judged (the series' last)
    value: float | None  # its value
    points: tuple[tuple[Hashable, float], ...] = ()  # every point the rules were read over, with its value

    def special_causes(self, item: Measure) -> dict[Hashable, tuple[float, Judgement]]:
        """Each special-cause point with its value and verdict (improving, concerning or neither): what a chart
        marks, from the same rules as the card's verdict."""
        values = dict(self.points)
        return {
            point: (values[point], judge(item, values[point], self.limits, self.sides.get(point, 0)))
            for point in self.signals
            if point in values
        }

    @property
    def span(self) -> tuple[Hashable, Hashable]:
        """The first point of the baseline to the point judged: where a chart draws the mean and limits."""
        return (self.baseline[0] if self.baseline else self.last), self.last

    @property
    def mean(self) -> float:
        return self.limits.centre

    @property
    def rules(self) -> tuple[str, ...]:
        """The rules the point judged breaks (none: common cause)."""
        return self.signals.get(self.last, ())

    @property
    def side(self) -> int:
        return self.sides.get(self.last, 0)

    def judge(self, item: Measure) -> Judgement:
        return judge(item, self.value, self.limits, self.side)

    def baseline_words(self) -> str:
        """'mean of 20 weeks to 15 Nov 2026'; the weeks left out are said."""
        if not self.baseline:
            return "no baseline"
        first, last = _label(self.baseline[0]), _label(self.baseline[-1])
        left_out = (
            f", {len(self.excluded)} special-cause week{'s' if len(self.excluded) != 1 else ''} left out"
            if self.excluded
            else ""
        )
        return f"{self.method} limits from {len(self.baseline)} weeks, {first} to {last}{left_out}"


def _label(point: Hashable) -> str:
    stamp = pd.Timestamp(point) if not isinstance(point, (int, float)) else None  # type: ignore[arg-type]
    return stamp.strftime("%-d %b %Y") if stamp is not None else str(point)


def poisson_range(mean: float, tail: float = TAIL) -> tuple[int, int]:
    """The counts a Poisson variable with this mean stays within but for `tail` each side: for a small mean the
    three-sigma rule is too narrow (a force averaging 0.05 arrests a week will sometimes have one)."""
    probability, cumulative, count, low = math.exp(-mean), 0.0, 0, 0
    while True:
        cumulative += probability
        if cumulative <= tail:
            low = count + 1
        if cumulative >= 1 - tail:
            return low, count
        count += 1
        probability *= mean / count


def _clean(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series, errors="coerce").astype("float64").dropna()


def _xmr_limits(values: pd.Series) -> tuple[Limits, float]:
    """Mean +/- 2.66 x the average moving range, and sigma (the average moving range / 1.128)."""
    mean = float(values.mean())
    moving_range = float(values.diff().abs().mean()) if len(values) > 1 else 0.0
    return Limits(
        mean, mean - XMR_FACTOR * moving_range, mean + XMR_FACTOR * moving_range
    ), XMR_FACTOR * moving_range / 3


def _limits_of(values: pd.Series, count: bool) -> tuple[Limits, tuple[float, float], str]:
    limits, sigma = _xmr_limits(values)
    if count and (limits.centre < SMALL_MEAN or sigma == 0):
        low, high = poisson_range(max(limits.centre, 0.0))
        near_low, near_high = poisson_range(max(limits.centre, 0.0), TWO_SIGMA_TAIL)
        # beyond the two-sigma points: below near_low or above near_high (whole counts)
        return Limits(limits.centre, low, high), (near_low - 0.5, near_high + 0.5), POISSON
    return limits, (limits.centre - 2 * sigma, limits.centre + 2 * sigma), XMR


def _beyond(values: pd.Series, limits: Limits) -> pd.Series:
    return (values > limits.upper) | (values < limits.lower)


def xmr(series: pd.Series, baseline: Sequence[Hashable] | None = None, count: bool = True) -> Control | None:
    """The control chart of `series` (ordered points, missing ones left out): limits from the `baseline`
    points (default: the BASELINE_WEEKS points before the last), special causes in the baseline left out once,
    then the rules over every point. None when the baseline has fewer than MINIMUM_BASELINE points with data.
    `count` (a count, not a rate) lets exact Poisson limits replace XmR ones for a small mean."""
    values = _clean(series)
    if values.empty:
        return None
    chosen = (
        list(values.index[:-1][-BASELINE_WEEKS:])
        if baseline is None
        else [point for point in baseline if point in values.index]
    )
    base = values.loc[chosen]
    if len(base) < MINIMUM_BASELINE:
        return None
    limits, near, method = _limits_of(base, count)
    special = _beyond(base, limits)
    if special.any() and (~special).sum() >= MINIMUM_BASELINE:
        base = base[~special]
        limits, near, method = _limits_of(base, count)
    signals, sides = _signals(values, limits, near, method)
    excluded = tuple(point for point in chosen if point not in base.index)
    return Control(
        limits,
        method,
        tuple(base.index),
        excluded,
        near,
        signals,
        sides,
        values.index[-1],
        float(values.iloc[-1]),
        tuple((point, float(value)) for point, value in values.items()),
    )


def _signals(
    values: pd.Series, limits: Limits, near: tuple[float, float], method: str
) -> tuple[dict[Hashable, tuple[str, ...]], dict[Hashable, int]]:
    """For each point the rules it breaks (a point in a run, a trend or a two-of-three breaks it too)."""
    found: dict[Hashable, list[str]] = {}
    sides: dict[Hashable, int] = {}
    marks = [(BEYOND, _points_beyond(values, limits)), (NEAR_LIMIT, _two_of_three(values, near))]
    if method == XMR:
        marks += [(RUN, _runs(values, limits.centre)), (TREND, _trends(values))]
    for rule, points in marks:
        for point, side in points.items():
            found.setdefault(point, []).append(rule)
            sides.setdefault(point, side)
    return {point: tuple(rules) for point, rules in found.items()}, sides


def _points_beyond(values: pd.Series, limits: Limits) -> dict[Hashable, int]:
    return {
        point: 1 if value > limits.upper else -1
        for point, value in values.items()
        if value > limits.upper or value < limits.lower
    }


def _runs(values: pd.Series, mean: float) -> dict[Hashable, int]:
    """Every point in a run of RUN_LENGTH or more on one side of the mean (a point on the mean breaks it)."""
    sides = [1 if value > mean else -1 if value < mean else 0 for value in values]
    return _stretches(list(values.index), sides, RUN_LENGTH)


def _trends(values: pd.Series) -> dict[Hashable, int]:
    """Every point in TREND_LENGTH or more points each higher (or each lower) than the one before: a stretch of
    TREND_LENGTH - 1 moves the same way (a repeated value breaks it)."""
    points = list(values.index)
    moves = [1 if b > a else -1 if b < a else 0 for a, b in zip(values.iloc[:-1], values.iloc[1:], strict=True)]
    marked: dict[Hashable, int] = {}
    for move, side in _stretches(list(range(len(moves))), moves, TREND_LENGTH - 1).items():
        marked.update({points[move]: side, points[move + 1]: side})  # type: ignore[index]
    return marked


def _stretches(points: list[Hashable], sides: list[int], length: int) -> dict[Hashable, int]:
    marked: dict[Hashable, int] = {}
    start = 0
    for end in range(1, len(points) + 1):
        if end == len(points) or sides[end] != sides[start]:
            if sides[start] != 0 and end - start >= length:
                marked.update({point: sides[start] for point in points[start:end]})
            start = end
    return marked


def _two_of_three(values: pd.Series, near: tuple[float, float]) -> dict[Hashable, int]:
    """The points beyond two sigma that, with another of any three in a row, are on the same side."""
    zone = [1 if value > near[1] else -1 if value < near[0] else 0 for value in values]
    points = list(values.index)
    marked: dict[Hashable, int] = {}
    for start in range(max(len(points) - 2, 0)):
        for side in (1, -1):
            inside = [n for n in range(start, start + 3) if zone[n] == side]
            if len(inside) >= 2:
                marked.update({points[n]: side for n in inside})
    return marked


def rate_limits(numerators: Sequence[float], denominators: Sequence[float], this_denominator: float) -> Limits | None:
    """Control limits for a weekly rate (a p-chart): the previous weeks' rate as a ratio of sums, and three
    standard errors for the week's own denominator."""
    pairs = [
        (float(n), float(d))
        for n, d in zip(numerators, denominators, strict=True)
        if not (math.isnan(float(n)) or math.isnan(float(d)))
    ]
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


def judge(item: Measure, value: float | None, limits: Limits | None, side: int | None = None) -> Judgement:
    """GOOD (special cause improving) or BAD (concerning) only for a special cause, in a measure with a better
    direction; NEUTRAL for a special cause in a measure that is neither; WITHIN (common cause) otherwise;
    UNKNOWN without limits. `side` is the special cause's direction from the run rules (0: none); without it,
    only a point beyond the limits is a special cause."""
    if value is None or limits is None or math.isnan(value):
        return Judgement.UNKNOWN
    if side is None:
        side = 1 if value > limits.upper else -1 if value < limits.lower else 0
    if side == 0:
        return Judgement.WITHIN
    if item.higher_is_better is None:
        return Judgement.NEUTRAL
    return Judgement.GOOD if (side > 0) == item.higher_is_better else Judgement.BAD
