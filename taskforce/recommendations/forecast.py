"""When a recommendation will be complete at its recent pace, from its status reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from taskforce.core.formats import as_date, format_date

FORECAST_WINDOW = dt.timedelta(weeks=26)
FORECAST_METHOD = (
    "Projected completion. The model: percent complete moves by steps that vary about a steady pace (a random walk "
    "with drift), so a slow fortnight is not made up by the next one; this is what makes cumulative progress "
    "autocorrelated, and it is allowed for. The pace is the progress of the national status reports of the last 26 "
    "weeks over their time span; the steps' spread about it is measured from the same reports, less what their "
    "rounding to 5-point steps adds (the rounding itself is allowed for in the pace and the level). The range is a "
    "95% prediction interval for the date the reports reach 100%: it allows for the pace being uncertain and for the "
    "steps still to come, and widens the further away completion is. Its early end is when the interval's upper edge "
    "first reaches 100%, its late end when the lower edge does ('or later' when that is beyond ten years). It is "
    "given to the month, needs at least three reports and some progress, and assumes the recent pace continues. "
    "Against the due date: likely after it when even the early end is after the due date, possibly after it when the "
    "due date falls inside the range, unlikely after it when the late end comes before it. A recommendation reported "
    "on track whose pace is likely to finish late is marked as such: the owner's status and the recent pace disagree."
    " A recommendation already complete is not projected."
)
# 97.5th percentiles of Student's t for 1 to 30 degrees of freedom; 1.96 beyond.
T_975 = (
    12.71,
    4.30,
    3.18,
    2.78,
    2.57,
    2.45,
    2.36,
    2.31,
    2.26,
    2.23,
    2.20,
    2.18,
    2.16,
    2.14,
    2.13,
    2.12,
    2.11,
    2.10,
    2.09,
    2.09,
    2.08,
    2.07,
    2.07,
    2.06,
    2.06,
    2.06,
    2.05,
    2.05,
    2.05,
    2.04,
)
ROUNDING_VARIANCE = 5**2 / 12  # a percent reported in 5-point steps
HORIZON_DAYS = 3650  # a late end beyond ten years is 'or later'
LIKELY, POSSIBLE, UNLIKELY = "Likely after due date", "Possibly after due date", "Unlikely after due date"


def month(day: dt.date) -> str:
    return f"{day:%b %Y}"


@dataclass(frozen=True)
class Forecast:
    projected: dt.date | None  # when the recent pace reaches 100%; None if it cannot be projected
    points_per_week: float | None
    reason: str  # in words, why there is or is no projection
    earliest: dt.date | None = None  # at the fastest pace the interval allows
    latest: dt.date | None = None  # at the slowest; None when that pace could be no progress at all
    level_now: float | None = None  # the fitted percent complete at the as-of date
    completed: bool = False

    def lands_after(self, due: dt.date) -> bool:
        return not self.completed and self.projected is not None and self.projected > as_date(due)

    def after_due(self, due: dt.date) -> str:
        """Whether completion comes after the due date, judged on the prediction interval: likely (its early end
        is after the due date), possibly (the due date is inside it), unlikely (its late end is before it)."""
        if self.completed or self.projected is None or self.earliest is None:
            return ""
        if self.earliest > as_date(due):
            return LIKELY
        return POSSIBLE if self.latest is None or self.latest > as_date(due) else UNLIKELY

    def range_words(self) -> str:
        """'Mar 2027 to Jul 2027', to the month; 'Complete'; 'none'."""
        if self.completed:
            return "Complete"
        if self.projected is None or self.earliest is None:
            return "none"
        if self.latest is None:
            return f"{month(self.earliest)} or later"
        if month(self.earliest) == month(self.latest):
            return month(self.earliest)
        return f"{month(self.earliest)} to {month(self.latest)}"


def forecast_completion(history: pd.DataFrame, as_of: dt.date) -> Forecast:
    """Project when a recommendation reaches 100% from its reports (columns as_of_date, percent_complete)."""
    reports = history.assign(as_of_date=pd.to_datetime(history["as_of_date"]).dt.date)
    reports = reports[reports["as_of_date"] <= as_of].sort_values("as_of_date")
    if reports.empty:
        return Forecast(None, None, "No status reports yet.")
    if (reports["percent_complete"] >= 100).any():
        return Forecast(None, None, "Complete: nothing to project.", completed=True)
    recent = reports[reports["as_of_date"] > as_of - FORECAST_WINDOW]
    if len(recent) < 3:
        return Forecast(None, None, "Too few reports in the last 26 weeks to project.")
    days = np.array([(day - as_of).days for day in recent["as_of_date"]], dtype=float)
    percent = recent["percent_complete"].to_numpy(float)
    span = days[-1] - days[0]
    if span <= 0:
        return Forecast(None, None, "All recent reports are on one day: no pace to project.")
    pace = (percent[-1] - percent[0]) / span
    if pace <= 1e-9:
        return Forecast(None, 0.0, "No progress in the last 26 weeks: no projection.")
    return _projected(days, percent, pace, as_of)


def _step_variance(days: np.ndarray, percent: np.ndarray, pace: float) -> float:
    """The variance per day of the steps about the pace, less what the 5-point rounding of each report adds
    (two roundings to each step), never below zero."""
    gaps, steps = np.diff(days), np.diff(percent)
    squares = float(((steps - pace * gaps) ** 2).sum()) - 2 * ROUNDING_VARIANCE * len(gaps)
    return max(squares, 0.0) / float(gaps.sum()) * len(gaps) / max(len(gaps) - 1, 1)


def _projected(days: np.ndarray, percent: np.ndarray, pace: float, as_of: dt.date) -> Forecast:
    """The central date and the 95% prediction interval for reaching 100%, from the last report on: h days after
    it the level is the report plus pace x h, with variance s2 h (the steps to come) + h2 var(pace) + the last
    report's rounding, var(pace) being s2 / span + the first and last reports' rounding over span squared."""
    variance, span = _step_variance(days, percent, pace), days[-1] - days[0]
    pace_variance = variance / span + 2 * ROUNDING_VARIANCE / span**2
    ahead = np.arange(0, HORIZON_DAYS + 1, dtype=float)
    centre = percent[-1] + pace * ahead
    spread = np.sqrt(variance * ahead + pace_variance * ahead**2 + ROUNDING_VARIANCE)
    t = T_975[min(len(days) - 2, len(T_975)) - 1]
    last_report = as_of + dt.timedelta(days=int(days[-1]))

    def first_day(levels: np.ndarray) -> dt.date | None:
        reached = np.nonzero(levels >= 100)[0]
        return max(last_report + dt.timedelta(days=int(reached[0])), as_of) if reached.size else None

    margin = t * pace_variance**0.5
    return Forecast(
        first_day(centre),
        pace * 7,
        f"At {pace * 7:.1f} points a week (the pace itself between "
        f"{max(pace - margin, 0) * 7:.1f} and {(pace + margin) * 7:.1f}; the range also allows for the "
        "steps still to come).",
        earliest=first_day(centre + t * spread),
        latest=first_day(centre - t * spread),
        level_now=float(percent[-1] - pace * days[-1]),
    )


def projection_table(recommendations: pd.DataFrame, history: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per recommendation: its status, percent complete, due date, projected completion and whether
    that comes after the due date (likely, possibly, unlikely), with the reason for the projection (or for there
    being none), led by the disagreement when the status says on track and the pace says late."""
    rows = []
    for rec in recommendations.itertuples(index=False):
        forecast = forecast_completion(history[history["recommendation"] == rec.number], as_of)
        after = "" if rec.status == "Complete" else forecast.after_due(rec.due_date)
        rows.append(
            {
                "No.": rec.number,
                "Recommendation": rec.short_title,
                "Status": rec.status,
                "Complete": f"{rec.percent_complete}%",
                "Due": format_date(rec.due_date),
                "Projected completion": forecast.range_words(),
                "After due date": after,
                "Basis": _disagreement(rec.status, after) + forecast.reason,
            }
        )
    return pd.DataFrame(rows)


def _disagreement(status: str, after: str) -> str:
    if status == "On track" and after == LIKELY:
        return (
            "Reported On track, but at its recent pace it is likely to finish after the due date: the owner's "
            "status and the pace disagree. "
        )
    return ""
