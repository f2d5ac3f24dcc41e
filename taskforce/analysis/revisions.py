"""How much late returns add to a week: revisions statistics from the store's history.

A week is first shown as provisional. Returns due by the end of the Tuesday after it keep arriving, and returns
are resubmitted, for weeks after. For every settled week (at least SETTLED_WEEKS before the newest) and each
counted measure, the national sum as it stood at the week's due time is set against the sum now: the share late
returns and resubmissions added. Said beside a provisional week (the overview) and in About the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from taskforce.core.formats import format_date
from taskforce.measures.registry import measure

DUE_DAYS = 3  # the week ends on Sunday; its returns are due by the end of Tuesday: before Sunday + 3 days
SETTLED_WEEKS = 4  # a week this far behind the newest has had its late returns
HISTORY_WEEKS = 52  # the settled weeks the statistics are made from
MINIMUM_WEEKS = 8  # fewer settled weeks with a base than this: no statistics
MINIMUM_BASE = 10  # a week whose sum at the due time is below this is left out (a share of 2 says nothing)
REVISED_MEASURES = ("oic_arrests", "oic_charges")
QueryRunner = Callable[[str, Mapping[str, Any]], pd.DataFrame]

REVISIONS_METHOD = (
    "Revisions: a week is first shown as provisional, and returns for it keep arriving after they are due (the "
    "end of the Tuesday after the week) and are resubmitted. For each of the last "
    f"{HISTORY_WEEKS} weeks that are at least {SETTLED_WEEKS} weeks old, the national total as it stood when "
    "the returns were due is set against the total now, from the store's record of every upload and every "
    "superseded value. The average share added, its 90th percentile and its largest are said beside a "
    f"provisional week. Weeks whose total at the due time is under {MINIMUM_BASE} are left out. Limits: the "
    "share describes the past; a week with an unusual number of late returns can be revised by more."
)


@dataclass(frozen=True)
class Revisions:
    """How much late returns added to the settled weeks of one measure."""

    code: str
    weeks: int  # settled weeks the statistics are made from
    mean: float  # the average share added (0.059: 5.9%)
    p90: float
    largest: float
    first: dt.date
    last: dt.date

    def words(self) -> str:
        """'late returns have added 5.9% to a week's OIC arrests on average (90% of weeks: up to 12%; at most
        28%; 40 weeks to 8 Nov 2026)'."""
        return (
            f"late returns have added {_share(self.mean)} to a week's {measure(self.code).label} on average "
            f"(90% of weeks: up to {_share(self.p90)}; at most {_share(self.largest)}; {self.weeks} weeks "
            f"to {format_date(self.last)})"
        )


def _share(value: float) -> str:
    return f"{value * 100:.1f}%" if abs(value) < 0.1 else f"{value * 100:.0f}%"


def revision_statistics(table: pd.DataFrame) -> dict[str, Revisions]:
    """From week_revisions rows (week_ending, measure_code, value_at_due, value_now): each measure's average,
    90th percentile and largest share added, over the weeks with a base of at least MINIMUM_BASE."""
    found: dict[str, Revisions] = {}
    based = table[table["value_at_due"] >= MINIMUM_BASE]
    for code, rows in based.groupby("measure_code", sort=True):
        if len(rows) < MINIMUM_WEEKS:
            continue
        shares = (rows["value_now"] - rows["value_at_due"]) / rows["value_at_due"]
        weeks = pd.to_datetime(rows["week_ending"])
        found[str(code)] = Revisions(
            str(code),
            len(rows),
            float(shares.mean()),
            float(shares.quantile(0.9)),
            float(shares.max()),
            weeks.min().date(),
            weeks.max().date(),
        )
    return found


def settled_weeks(data_up_to: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last week the statistics are made from, for data up to that week."""
    last = data_up_to - dt.timedelta(weeks=SETTLED_WEEKS)
    return last - dt.timedelta(weeks=HISTORY_WEEKS - 1), last


def revisions(
    run_query: QueryRunner, data_up_to: dt.date | None, codes: Sequence[str] = REVISED_MEASURES
) -> dict[str, Revisions]:
    """The revisions statistics of the settled weeks before `data_up_to` (none without data)."""
    if data_up_to is None:
        return {}
    first, last = settled_weeks(data_up_to)
    return revision_statistics(
        run_query("week_revisions", {"measures": list(codes), "from": first, "to": last, "due_days": DUE_DAYS})
    )
