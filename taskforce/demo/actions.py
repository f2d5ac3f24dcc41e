"""The actions a weekly briefing would have agreed by the demo's date, for demonstration: a handful, dated from
the demo's newest week so the Actions slide shows each of its groups (overdue, due this week, agreed this week,
done since last week, open for later). Deterministic: the same date gives the same actions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from taskforce.briefing.actions import ActionChange, NewAction, current_action, record_action, update_action
from taskforce.core.queries import run_query
from taskforce.measures.vocabulary import ActionSource, ActionStatus

RECORDED_BY = "demo data (synthetic)"


@dataclass(frozen=True)
class DemoAction:
    what: str
    owner_org: str
    owner_role: str
    agreed_weeks_ago: int  # before the demo's newest week
    due_days: int  # after the newest week's end (negative: already past)
    follows: tuple[str, str] = (ActionSource.NOTHING, "")
    done_days: int | None = None  # done this many days after the newest week's end (negative: before it)


ACTIONS = (
    DemoAction(
        "Send the refreshed tasking completion plan to the taskforce",
        "kent",
        "Head of Crime",
        4,
        -10,
        (ActionSource.FORCE, "kent"),
    ),
    DemoAction(
        "Agree the data-sharing schedule for debrief reports with Immigration Enforcement",
        "nca",
        "Deputy Director, OIC threat",
        6,
        -24,
        (ActionSource.RECOMMENDATION, "4"),
    ),
    DemoAction(
        "Brief every ROCU on the revised disruption counting rules",
        "serocu",
        "ROCU Head of Intelligence",
        2,
        4,
        (ActionSource.MEASURE, "disruptions_total"),
    ),
    DemoAction(
        "Explain the fall in arrests in the north-west to the next briefing",
        "nwrocu",
        "Regional co-ordinator",
        0,
        14,
        (ActionSource.MEASURE, "oic_arrests"),
    ),
    DemoAction(
        "Publish the joint ports tasking calendar for the winter",
        "border-force",
        "Director, Border Operations",
        0,
        21,
    ),
    DemoAction(
        "Nominate a single point of contact for the weekly return",
        "devon-and-cornwall",
        "Performance lead",
        5,
        -20,
        done_days=-3,
    ),
    DemoAction(
        "Close recommendation 1's evidence pack and send it to HMICFRS",
        "metropolitan",
        "Commander, Organised Crime",
        3,
        35,
        (ActionSource.RECOMMENDATION, "1"),
    ),
)


def record_demo_actions(con: duckdb.DuckDBPyConnection, newest_week: dt.date) -> int:
    """Record ACTIONS as agreed at past briefings (with a done one's dated change). Returns how many."""
    recorded_at = dt.datetime.combine(newest_week, dt.time(9, 0))
    for action in ACTIONS:
        agreed = newest_week - dt.timedelta(weeks=action.agreed_weeks_ago)
        due = newest_week + dt.timedelta(days=action.due_days)
        kind, ref = action.follows
        new = NewAction(action.what, action.owner_org, action.owner_role, due, agreed, kind, ref)
        action_id = record_action(con, new, RECORDED_BY, recorded_at, agreed)
        if action.done_days is not None:
            done = newest_week + dt.timedelta(days=action.done_days)
            current = current_action(run_query(con, "briefing_actions"), action_id)
            if current is not None:
                change = ActionChange(action_id, ActionStatus.DONE, due, done, "Done: confirmed at the briefing.")
                update_action(con, change, current, RECORDED_BY, recorded_at)
    return len(ACTIONS)
