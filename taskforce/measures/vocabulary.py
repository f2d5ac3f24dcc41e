"""One word for each thing: the states a recommendation, a return or a change can be in.

Each is a `StrEnum`, so a member equals the word the database, the pages and the pack show ("On track" ==
RecommendationStatus.ON_TRACK). The order of the members is the one order every table, legend and chart uses.
"""

from __future__ import annotations

from enum import StrEnum

# Defined in core (the formats compare them too) and named here with the other words.
from taskforce.core.kinds import Aggregation as Aggregation
from taskforce.core.kinds import MeasureKind as MeasureKind


class Severity(StrEnum):
    """What a problem in an uploaded return does to it."""

    ERROR = "error"  # the file is refused
    WARNING = "warning"  # the analyst must confirm before it is loaded


class UploadOutcome(StrEnum):
    """What became of an upload (the first two are the words the upload table records)."""

    COMMITTED = "committed"
    REJECTED = "rejected"
    ALREADY_LOADED = "already loaded"
    NEEDS_CONFIRMATION = "needs confirmation"


RECORDED_OUTCOMES = (UploadOutcome.COMMITTED, UploadOutcome.REJECTED)


class RecommendationStatus(StrEnum):
    """Where a recommendation stands, from a status report; best first."""

    COMPLETE = "Complete"
    ON_TRACK = "On track"
    AT_RISK = "At risk"
    OFF_TRACK = "Off track"
    NOT_STARTED = "Not started"
    NO_RETURN = "No return"  # a force that owes a report and has not sent one


# What an analyst may report (a report cannot say "No return").
REPORTABLE_STATUSES: tuple[RecommendationStatus, ...] = tuple(
    status for status in RecommendationStatus if status is not RecommendationStatus.NO_RETURN
)


class Receipt(StrEnum):
    """Whether an organisation's weekly return arrived by the end of the Tuesday after the week ended."""

    ON_TIME = "On time"
    LATE = "Late"
    RESUBMITTED = "Resubmitted"  # in the completeness grid: received, then corrected by a later upload
    PARTIAL = "Partial"  # received, but not every measure the organisation reports
    MISSING = "Missing"


class Direction(StrEnum):
    """Which way a figure moved against what it is compared with."""

    UP = "up"
    DOWN = "down"
    LEVEL = "level"
    UNKNOWN = "unknown"  # one side of the comparison has no data


class Judgement(StrEnum):
    """What a figure means for the taskforce, said only when a stated test supports it (analysis/variation.py):
    good or bad beyond normal variation; within it, no verdict."""

    GOOD = "good"  # special cause variation, improving (Making Data Count's words)
    BAD = "bad"  # special cause variation, concerning
    WITHIN = "within"  # common cause variation: no evidence of change
    NEUTRAL = "neutral"  # a measure that is neither better higher nor lower
    PROVISIONAL = "provisional"  # the week is not complete enough to judge
    UNKNOWN = "unknown"  # too little history for control limits

    def short(self) -> str:
        """For a table cell."""
        return {
            "good": "special cause, improving",
            "bad": "special cause, concerning",
            "within": "common cause",
            "neutral": "special cause",
            "provisional": "not judged (provisional)",
            "unknown": "too little history",
        }[self]

    def words(self) -> str:
        return {
            "good": "special cause variation, improving",
            "bad": "special cause variation, concerning",
            "within": "common cause variation, no evidence of change",
            "neutral": "special cause variation, neither improving nor concerning",
            "provisional": "not judged, the week is provisional",
            "unknown": "too little history to judge",
        }[self]

    def icon(self) -> str:
        """Making Data Count's variation icons as plain Material shapes, always beside the words: improving and
        concerning each a direction of their own, common cause a level line, no judgement a question or a clock."""
        return {
            "good": ":material/check_circle:",
            "bad": ":material/warning:",
            "within": ":material/trending_flat:",
            "neutral": ":material/change_history:",
            "provisional": ":material/hourglass_top:",
            "unknown": ":material/help:",
        }[self]


# What a table says for a figure per 100,000 residents of an organisation with no resident population (British
# Transport Police polices the railways): never a bare "None".
NOT_APPLICABLE = "not applicable"


class ActionStatus(StrEnum):
    """Where an action agreed at the briefing stands. Overdue is not a status of its own: an open action past its
    due date as at the data-up-to date (briefing/actions.py), shown in the overdue red everywhere."""

    OPEN = "Open"
    DONE = "Done"
    DROPPED = "Dropped"


class ActionSource(StrEnum):
    """What an action follows from."""

    NOTHING = "nothing"
    RECOMMENDATION = "recommendation"
    MEASURE = "measure"
    FORCE = "force"


# The legend words of a control chart drawn over a trend (charts.with_control) and of a provisional point.
MEAN_WORD = "Mean"
LIMITS_WORD = "Limits"
POISSON_LIMITS_WORD = "Limits (exact Poisson: a small count)"
PROVISIONAL_WORD = "provisional"  # the legend says 'provisional: 28 of 49 returns'
