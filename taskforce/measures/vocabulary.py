"""One word for each thing: the states a recommendation, a return or a change can be in.

Each is a `StrEnum`, so a member equals the word the database, the pages and the pack show ("On track" ==
Status.ON_TRACK). The order of the members is the one order every table, legend and chart uses.
"""
from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a recommendation stands, from a status report; best first."""

    COMPLETE = "Complete"
    ON_TRACK = "On track"
    AT_RISK = "At risk"
    OFF_TRACK = "Off track"
    NOT_STARTED = "Not started"
    NO_RETURN = "No return"  # a force that owes a report and has not sent one


# What an analyst may report (a report cannot say "No return").
REPORTABLE_STATUSES: tuple[Status, ...] = tuple(status for status in Status if status is not Status.NO_RETURN)


class Receipt(StrEnum):
    """Whether an organisation's weekly return arrived by the end of the Tuesday after the week ended."""

    ON_TIME = "On time"
    LATE = "Late"
    RESUBMITTED = "Resubmitted"  # in the completeness grid: received, then corrected by a later upload
    MISSING = "Missing"


class Direction(StrEnum):
    """Which way a figure moved against what it is compared with."""

    UP = "up"
    DOWN = "down"
    LEVEL = "level"
    UNKNOWN = "unknown"  # one side of the comparison has no data


class Judgement(StrEnum):
    """Whether a movement is good or bad news, given whether the measure is better higher or lower."""

    GOOD = "good"
    BAD = "bad"
    NEUTRAL = "neutral"
    UNKNOWN = "unknown"

    def words(self) -> str:
        return {"good": "good", "bad": "not good", "neutral": "neither good nor bad", "unknown": "unknown"}[self]
