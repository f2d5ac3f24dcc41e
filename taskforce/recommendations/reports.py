"""Status reports: checked, then appended with who made them and when. History is never rewritten."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlparse

import duckdb
import numpy as np

from taskforce.core.db import bump_data_version, single, transaction
from taskforce.measures.vocabulary import REPORTABLE_STATUSES, RecommendationStatus

STATUSES = REPORTABLE_STATUSES
MAXIMUM_NARRATIVE = 2000


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
    elif report.status == RecommendationStatus.COMPLETE and report.percent_complete != 100:
        problems.append("A recommendation reported Complete must be 100% complete.")
    elif report.percent_complete == 100 and report.status != RecommendationStatus.COMPLETE:
        problems.append("At 100% complete the status must be Complete.")
    if not report.narrative.strip():
        problems.append("The narrative is empty: say what has happened since the last report.")
    if len(report.narrative) > MAXIMUM_NARRATIVE:
        problems.append(
            f"The narrative is {len(report.narrative):,} characters; the most allowed is {MAXIMUM_NARRATIVE:,}."
        )
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
            {
                "recommendation": report.recommendation,
                "org_code": report.org_code,
                "as_of_date": report.as_of_date,
                "status": report.status,
                "percent": int(report.percent_complete),
                "narrative": report.narrative.strip(),
                "evidence": report.evidence_url.strip() or None,
                "recorded_by": recorded_by,
                "recorded_at": recorded_at,
            },
        ).fetchone()
        new_id = single(new_id)[0]
        bump_data_version(cursor)
    return int(new_id)
