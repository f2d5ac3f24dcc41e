"""Comparing organisations honestly: funnel limits for a rate against its base, exact tests of one organisation
against its own baseline, and false-discovery control when many organisations are tested at once.

No statistics package is needed at run time: the exact Poisson and binomial tails are summed here in log space.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from taskforce.core.formats import RANK_MINIMUM_BASE

FUNNEL_LEVELS = (0.95, 0.998)  # the inner and outer limits: about 2 and 3 standard deviations
FALSE_DISCOVERY_RATE = 0.05

FUNNEL_METHOD = (
    "Funnel plots compare organisations fairly: each organisation's rate is drawn against its base (arrests, "
    "people encountered, residents), with limits around the national rate that hold 95% and 99.8% of "
    "organisations if every one of them had the national rate and differed only by chance. The limits are exact "
    "(binomial for a share of people, Poisson for a count against its base), so they widen for small bases: a "
    "small force far from the national rate may still be inside them. A point outside the 99.8% limits is worth "
    "a look; inside them, there is no evidence the organisation differs. Position on the funnel is not a "
    "ranking, and a rate on a base under " + f"{RANK_MINIMUM_BASE} is never ranked."
)
FDR_METHOD = (
    "When every force is tested at once, some will look unusual by chance alone (at 46 forces and a 5% test, "
    "two or three a week). So a statement singles out a force only when it clears false-discovery control "
    f"(the Benjamini-Hochberg procedure at q = {FALSE_DISCOVERY_RATE:g}) across all the forces tested that week: "
    "on average no more than 1 in 20 such statements is a false alarm. Each force is tested against its own "
    "previous 12 weeks with an exact Poisson test (the week's count against the 12 weeks' count, as two Poisson "
    "counts with the same weekly rate). Where no force clears it, the dashboard says there is no evidence of "
    "change, not that all is normal: a small force's counts are often too small to tell either way."
)
OVER_100_METHOD = (
    "A charge rate over 100% is possible and not an error: the charges counted in a period can follow arrests made "
    "before it (charging takes weeks), so a force with 1 arrest in a period and 2 charges of earlier arrests shows "
    "200%. Such a rate on a small base says nothing about the force; it is shown but not ranked."
)


def _log_factorials(top: int) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.log(np.arange(1, top + 1, dtype=float)))])


def poisson_pmf(mean: float, top: int) -> np.ndarray:
    """P(X = k) for k = 0..top, X Poisson with this mean."""
    counts = np.arange(top + 1, dtype=float)
    if mean <= 0:
        return (counts == 0).astype(float)
    return np.exp(counts * math.log(mean) - mean - _log_factorials(top))


def binomial_pmf(trials: int, probability: float) -> np.ndarray:
    """P(X = k) for k = 0..trials, X binomial."""
    counts = np.arange(trials + 1, dtype=float)
    if probability <= 0 or probability >= 1:
        return (counts == (trials if probability >= 1 else 0)).astype(float)
    log_choose = _log_factorials(trials)[-1] - _log_factorials(trials) - _log_factorials(trials)[::-1]
    return np.exp(log_choose + counts * math.log(probability) + (trials - counts) * math.log1p(-probability))


def _quantile(pmf: np.ndarray, share: float) -> int:
    """The smallest k with P(X <= k) >= share."""
    return int(np.searchsorted(np.cumsum(pmf), share - 1e-12))


def _poisson_top(mean: float) -> int:
    return int(mean + 12 * math.sqrt(mean) + 30)


def count_limits(rate: float, base: float, level: float, kind: str) -> tuple[float, float]:
    """The limits on a rate (count / base) that hold `level` of organisations with this base and the national
    `rate`: binomial when the count is a share of the base, else Poisson with mean rate x base."""
    if base <= 0:
        return (math.nan, math.nan)
    if kind == "binomial":
        pmf = binomial_pmf(int(round(base)), min(max(rate, 0.0), 1.0))
    else:
        pmf = poisson_pmf(rate * base, _poisson_top(rate * base))
    tail = (1 - level) / 2
    return _quantile(pmf, tail) / base, _quantile(pmf, 1 - tail) / base


def funnel_table(
    counts: Sequence[float], bases: Sequence[float], names: Sequence[str], kind: str, scale: float = 1.0
) -> pd.DataFrame:
    """One row per organisation with a base: its rate, and where it sits against the national rate's 95% and
    99.8% limits for its own base ('above 99.8%', 'above 95%', 'within', 'below 95%', 'below 99.8%').
    `scale` turns the rate into the unit shown (100,000 for per 100,000 residents)."""
    frame = pd.DataFrame({"name": list(names), "count": np.asarray(counts, float), "base": np.asarray(bases, float)})
    frame = frame[frame["base"] > 0].reset_index(drop=True)
    national = float(frame["count"].sum() / frame["base"].sum()) if len(frame) else math.nan
    frame["rate"] = frame["count"] / frame["base"] * scale
    for level in FUNNEL_LEVELS:
        limits = [count_limits(national, base, level, kind) for base in frame["base"]]
        frame[f"lower_{level:g}"] = [low * scale for low, _ in limits]
        frame[f"upper_{level:g}"] = [high * scale for _, high in limits]
    frame["position"] = [_position(row) for row in frame.to_dict("records")]
    frame.attrs["national"] = national * scale
    return frame


def _position(row: dict) -> str:
    inner, outer = FUNNEL_LEVELS
    for level in (outer, inner):
        if row["rate"] > row[f"upper_{level:g}"]:
            return f"above {level:.1%}".replace(".0%", "%")
        if row["rate"] < row[f"lower_{level:g}"]:
            return f"below {level:.1%}".replace(".0%", "%")
    return "within"


def funnel_lines(
    national: float, largest_base: float, kind: str, scale: float = 1.0, points: int = 80, smallest: float = 1.0
) -> pd.DataFrame:
    """The limits drawn as lines across bases from `smallest` (1 unless the bases are residents) to the largest
    (spaced evenly on a log scale)."""
    bases = np.unique(np.round(np.geomspace(max(smallest, 1.0), max(largest_base, 2 * max(smallest, 1.0)), points)))
    rows = {"base": bases}
    for level in FUNNEL_LEVELS:
        limits = [count_limits(national / scale, base, level, kind) for base in bases]
        rows[f"lower_{level:g}"] = [low * scale for low, _ in limits]
        rows[f"upper_{level:g}"] = [high * scale for _, high in limits]
    return pd.DataFrame(rows)


def against_own_baseline(count: float, baseline_total: float, baseline_weeks: float) -> float:
    """Two-sided exact p-value that one week's count comes from the same Poisson rate as the baseline's weeks:
    given their sum, the week's count is binomial with probability 1 / (weeks + 1)."""
    total = int(round(count + baseline_total))
    if total == 0:
        return 1.0
    pmf = binomial_pmf(total, 1.0 / (baseline_weeks + 1.0))
    observed = int(round(count))
    lower, upper = float(pmf[: observed + 1].sum()), float(pmf[observed:].sum())
    return min(1.0, 2 * min(lower, upper))


def benjamini_hochberg(p_values: Sequence[float], rate: float = FALSE_DISCOVERY_RATE) -> list[bool]:
    """Which hypotheses are rejected with the false discovery rate controlled at `rate`: the largest k with
    p_(k) <= k / m x rate, and every p-value at or below it."""
    values = np.asarray(p_values, float)
    if values.size == 0:
        return []
    ordered = np.sort(values)
    passing = np.nonzero(ordered <= rate * np.arange(1, values.size + 1) / values.size)[0]
    if passing.size == 0:
        return [False] * values.size
    return (values <= ordered[passing[-1]]).tolist()


def rankable(bases: pd.Series, minimum: float = RANK_MINIMUM_BASE) -> pd.Series:
    """Whether a rate's base is large enough to rank it."""
    return bases.fillna(0) >= minimum


def describe(points: pd.DataFrame, label: str, percent: bool = True) -> str:
    """The funnel in words: how many organisations sit outside the 99.8% limits, above and below, by name."""
    national = points.attrs.get("national", math.nan)
    shown = f"{national:.1%}" if percent else f"{national:,.1f}"
    outside = []
    for side in ("above", "below"):
        names = points.loc[points["position"].eq(f"{side} 99.8%"), "name"].tolist()
        if names:
            outside.append(f"{side} the 99.8% limits: {', '.join(names)}")
    found = "; ".join(outside) if outside else "none outside the 99.8% limits"
    return (
        f"{label} of {len(points)} organisations against their base, with the national rate ({shown}) and "
        f"its 95% and 99.8% limits; {found}. Inside the limits there is no evidence an organisation differs "
        "from the national rate."
    )
