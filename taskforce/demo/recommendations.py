"""A believable, deterministic history of status reports on the 10 recommendations, for demonstration.

Each recommendation follows a path of percent complete over time (the knots below). Its status on any
date follows the rule a programme office applies: how far its progress is behind a straight line from
the start to the due date. Forces' reports on the recommendations addressed to every chief constable
follow the national path, each shifted by its own delay; a few forces stall and two never report.
"""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import pandas as pd

from taskforce.store import reference

D = dt.date
# Percent complete at dates; straight lines between them.
PROGRESS_KNOTS: dict[int, list[tuple[dt.date, int]]] = {
    1: [(D(2025, 6, 1), 0), (D(2025, 8, 31), 35), (D(2025, 10, 31), 75), (D(2025, 11, 20), 100)],
    2: [(D(2025, 6, 1), 0), (D(2025, 9, 30), 40), (D(2025, 12, 31), 80), (D(2026, 2, 20), 100)],
    3: [(D(2025, 6, 15), 0), (D(2025, 9, 30), 30), (D(2025, 12, 31), 55), (D(2026, 4, 15), 100)],
    4: [
        (D(2025, 7, 1), 0),
        (D(2025, 10, 31), 25),
        (D(2026, 3, 31), 45),
        (D(2026, 6, 30), 60),
        (D(2026, 11, 30), 72),
        (D(2027, 3, 31), 100),
    ],
    5: [(D(2025, 6, 1), 0), (D(2025, 9, 30), 40), (D(2025, 12, 31), 80), (D(2026, 1, 28), 100)],
    6: [
        (D(2025, 8, 1), 0),
        (D(2025, 12, 31), 25),
        (D(2026, 4, 30), 40),
        (D(2026, 9, 30), 50),
        (D(2026, 12, 31), 60),
        (D(2027, 6, 30), 100),
    ],
    7: [(D(2025, 7, 1), 0), (D(2025, 11, 30), 40), (D(2026, 3, 31), 65), (D(2026, 11, 30), 84), (D(2027, 2, 28), 100)],
    8: [(D(2025, 7, 1), 0), (D(2025, 12, 31), 40), (D(2026, 3, 31), 70), (D(2026, 6, 20), 100)],
    9: [(D(2025, 10, 1), 0), (D(2026, 3, 31), 35), (D(2026, 7, 31), 65), (D(2026, 11, 30), 88), (D(2026, 12, 20), 100)],
    10: [(D(2025, 6, 1), 0), (D(2025, 7, 31), 30), (D(2025, 9, 30), 65), (D(2025, 12, 10), 100)],
}
NATIONAL_UPDATE_EVERY = dt.timedelta(weeks=2)
FORCE_UPDATE_EVERY = dt.timedelta(weeks=4)
FORCES_THAT_STALL = ("cleveland", "dyfed-powys", "warwickshire")
FORCES_THAT_NEVER_REPORT = ("northern-ireland", "city-of-london")
PROGRAMME_OFFICE = "Taskforce programme office (demo)"
EVIDENCE_ROOT = "https://knowledgehub.example/oic-taskforce"

STATUS_SENTENCES = {
    "Not started": ["Work has not started yet."],
    "On track": ["Work is on plan.", "On plan; no issues to escalate.", "Progressing to plan."],
    "At risk": [
        "Behind plan; the owner has a recovery plan for the next milestone.",
        "Slipping: partner sign-off is taking longer than planned.",
    ],
    "Off track": [
        "Well behind plan and the due date will be missed; escalated to the taskforce board.",
        "Off track: funding and resourcing are not yet agreed; escalated to the taskforce board.",
    ],
    "Complete": ["All actions complete; closure evidence submitted for review."],
}


def percent_on(knots: list[tuple[dt.date, int]], day: dt.date) -> int:
    """Percent complete on a day, rounded down to a multiple of 5 as owners report it."""
    days = [(k - knots[0][0]).days for k, _ in knots]
    value = float(np.interp((day - knots[0][0]).days, days, [p for _, p in knots]))
    return 100 if value >= 100 else int(value // 5 * 5)


def status_for(percent: int, day: dt.date, start: dt.date, due: dt.date) -> str:
    """Complete at 100; otherwise how far behind a straight line from start to due date."""
    if percent >= 100:
        return "Complete"
    if percent <= 0:
        return "Not started"
    planned = 100 * min(max((day - start).days / max((due - start).days, 1), 0.0), 1.0)
    gap = planned - percent
    return "On track" if gap <= 10 else ("At risk" if gap <= 25 else "Off track")


def _report_days(start: dt.date, as_of: dt.date, every: dt.timedelta) -> list[dt.date]:
    days, day = [], start + every
    while day <= as_of:
        days.append(day)
        day += every
    return days


def milestone_completion(as_of: dt.date) -> pd.DataFrame:
    """Milestones with the date the national path reached their share of the work (None if not yet)."""
    table = reference.milestones().copy()
    completed = []
    for row in table.itertuples(index=False):
        knots = PROGRESS_KNOTS[row.recommendation]
        count = int((table["recommendation"] == row.recommendation).sum())
        threshold = 100 * row.seq / count
        day = next(
            (
                knots[0][0] + dt.timedelta(days=d)
                for d in range((as_of - knots[0][0]).days + 1)
                if percent_on(knots, knots[0][0] + dt.timedelta(days=d)) >= threshold
            ),
            None,
        )
        completed.append(day)
    table["completed_date"] = completed
    return table


def _progress_sentence(number: int, day: dt.date, milestones: pd.DataFrame) -> str:
    own = milestones[milestones["recommendation"] == number].sort_values("seq")
    done = own[own["completed_date"].map(lambda d: d is not None and d <= day)]
    pending = own.drop(done.index)
    if pending.empty:
        return f"All {len(own)} milestones met."
    upcoming = pending.iloc[0]
    due = f"{upcoming.due_date.day} {upcoming.due_date:%b %Y}"
    if done.empty:
        return f"First milestone: {upcoming.title}, due {due}."
    return f"Milestone {len(done)} of {len(own)} met ({done.iloc[-1].title}). Next: {upcoming.title}, due {due}."


UPDATE_COLUMNS = [
    "recommendation",
    "org_code",
    "as_of_date",
    "status",
    "percent_complete",
    "narrative",
    "evidence_url",
    "updated_by",
    "recorded_at",
]


def _update_row(number, org_code, day, status, percent, narrative, evidence, rng) -> dict:
    return {
        "recommendation": number,
        "org_code": org_code,
        "as_of_date": day,
        "status": status,
        "percent_complete": percent,
        "narrative": narrative,
        "evidence_url": evidence,
        "updated_by": PROGRAMME_OFFICE if org_code is None else f"{org_code} OIC single point of contact (demo)",
        "recorded_at": dt.datetime.combine(day + dt.timedelta(days=1), dt.time(9, int(rng.integers(0, 60)))),
    }


def generate_updates(as_of: dt.date, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rec_update rows, milestones with completion dates) as of a date."""
    recs = reference.recommendations().set_index("number")
    milestones = milestone_completion(as_of)
    rows = []
    for number, knots in PROGRESS_KNOTS.items():
        rng = np.random.default_rng([seed, number])
        start, due = knots[0][0], recs.loc[number, "due_date"]
        for day in _report_days(start, as_of, NATIONAL_UPDATE_EVERY):
            percent = percent_on(knots, day)
            status = status_for(percent, day, start, due)
            narrative = f"{_progress_sentence(number, day, milestones)} {rng.choice(STATUS_SENTENCES[status])}"
            evidence = f"{EVIDENCE_ROOT}/rec-{number:02d}/{day.isoformat()}" if rng.random() < 0.4 else None
            rows.append(_update_row(number, None, day, status, percent, narrative, evidence, rng))
            if status == "Complete":
                break
        if recs.loc[number, "scope"] == "each_force":
            rows += _force_updates(number, knots, due, as_of, seed)
    updates = pd.DataFrame(rows, columns=UPDATE_COLUMNS).sort_values(
        ["as_of_date", "recommendation", "org_code"], na_position="first"
    )
    return updates.reset_index(drop=True), milestones


def _force_updates(number, knots, due, as_of, seed) -> list[dict]:
    forces = reference.organisations()
    forces = forces[forces["type"].eq("force") & ~forces["code"].isin(FORCES_THAT_NEVER_REPORT)]
    rows = []
    for code in forces["code"]:
        rng = np.random.default_rng([seed, number, zlib.crc32(code.encode())])
        delay = dt.timedelta(days=int(np.clip(rng.normal(0, 35), -30, 90)))
        cap = int(rng.integers(55, 75)) if code in FORCES_THAT_STALL else 100
        pace = float(np.clip(rng.lognormal(0.0, 0.25), 0.6, 1.6))  # some forces move faster than the nation
        start = knots[0][0]
        for day in _report_days(start, as_of, FORCE_UPDATE_EVERY):
            own_clock = start + (day - delay - start) * pace  # a faster force is further along the same path
            percent = min(percent_on(knots, own_clock), cap)
            status = status_for(percent, day, start, due)
            narrative = f"{percent}% of the actions in the force plan complete. {rng.choice(STATUS_SENTENCES[status])}"
            rows.append(_update_row(number, code, day, status, percent, narrative, None, rng))
            if status == "Complete":
                break
    return rows
