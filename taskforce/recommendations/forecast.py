"""When a recommendation will be complete at its recent pace, from its status reports."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from taskforce.core.formats import as_date, format_date

FORECAST_WINDOW = dt.timedelta(weeks=26)
FORECAST_METHOD = (
    "Projected completion: a straight line fitted (least squares) to the percent complete in the national status "
    "reports of the last 26 weeks, extended to 100%. The range runs from where the line reaches 100% at the "
    "fastest to the slowest pace its 95% confidence interval allows (the slope plus or minus t standard errors; "
    "reports move in 5-point steps, so each carries at least that rounding's uncertainty). It is given to the "
    "month, needs at least three reports and some progress, and assumes the recent pace continues. A "
    "recommendation already complete is not projected."
)
# 97.5th percentiles of Student's t for 1 to 30 degrees of freedom; 1.96 beyond.
T_975 = (12.71, 4.30, 3.18, 2.78, 2.57, 2.45, 2.36, 2.31, 2.26, 2.23, 2.20, 2.18, 2.16, 2.14, 2.13, 2.12, 2.11,
         2.10, 2.09, 2.09, 2.08, 2.07, 2.07, 2.06, 2.06, 2.06, 2.05, 2.05, 2.05, 2.04)
ROUNDING_VARIANCE = 5 ** 2 / 12  # a percent reported in 5-point steps


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
    slope, level_now = np.polyfit(days, percent, 1)
    if slope <= 1e-9:
        return Forecast(None, 0.0, "No progress in the last 26 weeks: no projection.")
    spread = float(((days - days.mean()) ** 2).sum())
    if spread <= 0:
        return Forecast(None, None, "All recent reports are on one day: no pace to project.")
    residual = percent - (slope * days + level_now)
    variance = max(float((residual ** 2).sum()) / (len(days) - 2), ROUNDING_VARIANCE)
    margin = T_975[min(len(days) - 2, len(T_975)) - 1] * (variance / spread) ** 0.5 if len(days) > 2 else 0.0

    def reaches_100(pace: float) -> dt.date:
        return as_of + dt.timedelta(days=int(np.ceil((100 - level_now) / pace)))

    latest = reaches_100(slope - margin) if slope - margin > 1e-9 else None
    return Forecast(reaches_100(slope), slope * 7, f"At {slope * 7:.1f} points a week (between "
                    f"{max(slope - margin, 0) * 7:.1f} and {(slope + margin) * 7:.1f}).",
                    earliest=reaches_100(slope + margin), latest=latest, level_now=float(level_now))


def projection_table(recommendations: pd.DataFrame, history: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per recommendation: its status, percent complete, due date, projected completion and whether
    that lands after the due date, with the reason for the projection (or for there being none)."""
    rows = []
    for rec in recommendations.itertuples(index=False):
        forecast = forecast_completion(history[history["recommendation"] == rec.number], as_of)
        late = rec.status != "Complete" and forecast.lands_after(rec.due_date)
        rows.append({"No.": rec.number, "Recommendation": rec.short_title, "Status": rec.status,
                     "Complete": f"{rec.percent_complete}%", "Due": format_date(rec.due_date),
                     "Projected completion": forecast.range_words(),
                     "After due date": "After due date" if late else "", "Basis": forecast.reason})
    return pd.DataFrame(rows)
