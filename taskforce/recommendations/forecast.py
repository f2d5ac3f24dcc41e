"""When a recommendation will be complete at its recent pace, from its status reports."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from taskforce.core.formats import as_date, format_date

FORECAST_WINDOW = dt.timedelta(weeks=26)
FORECAST_METHOD = (
    "Projected completion: a straight line fitted (least squares) to the percent complete in the national "
    "status reports of the last 26 weeks, extended to 100%. It needs at least three reports and some progress "
    "in that time; where progress has stalled there is no projection. It assumes the recent pace continues."
)


@dataclass(frozen=True)
class Forecast:
    projected: dt.date | None  # when the recent pace reaches 100%; None if it cannot be projected
    points_per_week: float | None
    reason: str  # in words, why there is or is no projection

    def lands_after(self, due: dt.date) -> bool:
        return self.projected is not None and self.projected > as_date(due)


def forecast_completion(history: pd.DataFrame, as_of: dt.date) -> Forecast:
    """Project when a recommendation reaches 100% from its reports (columns as_of_date, percent_complete)."""
    reports = history.assign(as_of_date=pd.to_datetime(history["as_of_date"]).dt.date)
    reports = reports[reports["as_of_date"] <= as_of].sort_values("as_of_date")
    if reports.empty:
        return Forecast(None, None, "No status reports yet.")
    complete = reports[reports["percent_complete"] >= 100]
    if not complete.empty:
        return Forecast(complete["as_of_date"].iloc[0], None, "Complete.")
    recent = reports[reports["as_of_date"] > as_of - FORECAST_WINDOW]
    if len(recent) < 3:
        return Forecast(None, None, "Too few reports in the last 26 weeks to project.")
    days = np.array([(day - as_of).days for day in recent["as_of_date"]], dtype=float)
    slope, intercept = np.polyfit(days, recent["percent_complete"].to_numpy(float), 1)
    if slope <= 1e-9:
        return Forecast(None, 0.0, "No progress in the last 26 weeks: no projection.")
    days_to_complete = (100 - intercept) / slope
    projected = as_of + dt.timedelta(days=int(np.ceil(days_to_complete)))
    return Forecast(projected, slope * 7, f"At {slope * 7:.1f} points a week.")


def projection_table(recommendations: pd.DataFrame, history: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """One row per recommendation: its status, percent complete, due date, projected completion and whether
    that lands after the due date, with the reason for the projection (or for there being none)."""
    rows = []
    for rec in recommendations.itertuples(index=False):
        forecast = forecast_completion(history[history["recommendation"] == rec.number], as_of)
        late = rec.status != "Complete" and forecast.lands_after(rec.due_date)
        rows.append({"No.": rec.number, "Recommendation": rec.short_title, "Status": rec.status,
                     "Complete": f"{rec.percent_complete}%", "Due": format_date(rec.due_date),
                     "Projected completion": format_date(forecast.projected) if forecast.projected else "none",
                     "After due date": "After due date" if late else "", "Basis": forecast.reason})
    return pd.DataFrame(rows)
