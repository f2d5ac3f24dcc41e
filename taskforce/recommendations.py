"""The recommendations tracker's logic: the completion forecast, validating and recording status
reports (append-only), and loading the official wording of the recommendations."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from urllib.parse import urlparse

import duckdb
import numpy as np
import pandas as pd

from taskforce.db import bump_data_version, transaction
from taskforce.formatting import as_date

STATUSES = ("Not started", "On track", "At risk", "Off track", "Complete")
MAXIMUM_NARRATIVE = 2000
FORECAST_WINDOW = dt.timedelta(weeks=26)
FORECAST_METHOD = (
    "Projected completion: a straight line fitted (least squares) to the percent complete in the national "
    "status reports of the last 26 weeks, extended to 100%. It needs at least three reports and some progress "
    "in that time; where progress has stalled there is no projection. It assumes the recent pace continues."
)


# --------------------------------------------------------------------------------------------- forecast


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


# ------------------------------------------------------------------------------------ status reports


@dataclass(frozen=True)
class StatusReport:
    recommendation: int
    org_code: str | None  # None for the national report
    as_of_date: dt.date
    status: str
    percent_complete: int
    narrative: str
    evidence_url: str


def report_problems(report: StatusReport, today: dt.date, known_orgs: set[str] | None = None) -> list[str]:
    """Everything wrong with a status report, in words an analyst can act on (empty when it is fine)."""
    problems = []
    if report.status not in STATUSES:
        problems.append(f"Status must be one of: {', '.join(STATUSES)}.")
    if not isinstance(report.percent_complete, (int, np.integer)) or not 0 <= report.percent_complete <= 100:
        problems.append("Percent complete must be a whole number from 0 to 100.")
    elif report.status == "Complete" and report.percent_complete != 100:
        problems.append("A recommendation reported Complete must be 100% complete.")
    elif report.percent_complete == 100 and report.status != "Complete":
        problems.append("At 100% complete the status must be Complete.")
    if not report.narrative.strip():
        problems.append("The narrative is empty: say what has happened since the last report.")
    if len(report.narrative) > MAXIMUM_NARRATIVE:
        problems.append(f"The narrative is {len(report.narrative):,} characters; the most allowed is "
                        f"{MAXIMUM_NARRATIVE:,}.")
    if report.evidence_url.strip():
        link = urlparse(report.evidence_url.strip())
        if link.scheme not in ("http", "https") or not link.netloc:
            problems.append("The evidence link must be a web address starting http:// or https://.")
    if report.as_of_date > today:
        problems.append(f"The as-of date {report.as_of_date:%d/%m/%Y} is in the future.")
    if known_orgs is not None and report.org_code is not None and report.org_code not in known_orgs:
        problems.append(f"Unknown force {report.org_code!r}.")
    return problems


def record_report(
    con: duckdb.DuckDBPyConnection, report: StatusReport, recorded_by: str, recorded_at: dt.datetime
) -> int:
    """Append one status report (history is never rewritten) and bump the data version, atomically.
    Returns the new report's id. The caller has checked `report_problems` and the user's role."""
    with transaction(con) as cursor:
        new_id = cursor.execute(
            """insert into rec_update (recommendation, org_code, as_of_date, status, percent_complete, narrative,
                                       evidence_url, updated_by, recorded_at)
               values ($recommendation, $org_code, $as_of_date, $status, $percent, $narrative, $evidence,
                       $recorded_by, $recorded_at)
               returning id""",
            {"recommendation": report.recommendation, "org_code": report.org_code,
             "as_of_date": report.as_of_date, "status": report.status, "percent": int(report.percent_complete),
             "narrative": report.narrative.strip(), "evidence": report.evidence_url.strip() or None,
             "recorded_by": recorded_by, "recorded_at": recorded_at},
        ).fetchone()[0]
        bump_data_version(cursor)
    return int(new_id)


# -------------------------------------------------------------------------------- official wording


OFFICIAL_COLUMNS = ["number", "title", "text", "addressed_to", "owner", "due_date"]
MAXIMUM_TITLE = 120


def wording_problems(content: str) -> tuple[list[str], list[dict]]:
    """Check a CSV of the 10 recommendations' official wording; (problems, rows) with row numbers as a
    spreadsheet shows them (the header is row 1)."""
    reader = csv.DictReader(io.StringIO(content))
    if reader.fieldnames is None:
        return ["The file is empty."], []
    header = [name.strip() for name in reader.fieldnames]
    if header != OFFICIAL_COLUMNS:
        return [f"Row 1: the header must be {','.join(OFFICIAL_COLUMNS)}; it is {','.join(header)}."], []
    problems, rows, seen = [], [], set()
    for row_number, raw in enumerate(reader, start=2):
        row = {key.strip(): (value or "").strip() for key, value in raw.items() if key is not None}
        problems += _wording_row_problems(row_number, row, seen)
        rows.append(row)
    missing = sorted(set(range(1, 11)) - seen)
    if missing:
        problems.append(f"Recommendations missing from the file: {', '.join(map(str, missing))}.")
    return problems, rows


def _wording_row_problems(row_number: int, row: dict, seen: set[int]) -> list[str]:
    problems = []
    number = row.get("number", "")
    if not number.isdigit() or not 1 <= int(number) <= 10:
        problems.append(f"Row {row_number}, number: {number!r} is not a recommendation number from 1 to 10.")
    elif int(number) in seen:
        problems.append(f"Row {row_number}, number: recommendation {number} appears twice.")
    else:
        seen.add(int(number))
    for column in ("title", "text", "addressed_to", "owner"):
        if not row.get(column):
            problems.append(f"Row {row_number}, {column}: empty.")
    if len(row.get("title", "")) > MAXIMUM_TITLE:
        problems.append(f"Row {row_number}, title: longer than {MAXIMUM_TITLE} characters.")
    try:
        dt.date.fromisoformat(row.get("due_date", ""))
    except ValueError:
        problems.append(f"Row {row_number}, due_date: {row.get('due_date')!r} is not a date as YYYY-MM-DD.")
    return problems


def load_official_wording(con: duckdb.DuckDBPyConnection, content: str) -> list[str]:
    """Replace the recommendations' wording and metadata in one transaction, keeping every status report.
    Returns the problems; nothing is written unless there are none."""
    problems, rows = wording_problems(content)
    if problems:
        return problems
    with transaction(con) as cursor:
        for row in rows:
            cursor.execute(
                """update recommendation set short_title = $title, text = $text, addressed_to = $addressed_to,
                          owner = $owner, due_date = $due_date, illustrative = false
                   where number = $number""",
                {"title": row["title"], "text": row["text"], "addressed_to": row["addressed_to"],
                 "owner": row["owner"], "due_date": dt.date.fromisoformat(row["due_date"]),
                 "number": int(row["number"])},
            )
        bump_data_version(cursor)
    return []
