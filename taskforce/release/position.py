"""The one "data up to" date: how far the returns have reached, and whether that week is complete, decided once
from the returns themselves (never from the clock) and used by every page, slide, export and message.

- **Data up to** is the newest week for which any return has arrived. It is *provisional* until at least 90% of
  the expected returns for it are complete, and says so: "provisional: 28 of 49 returns".
- **The headline week** is the newest complete week (at least 90% of returns in): findings, verdicts, rankings and
  comparisons are made on it, never on a provisional week. A leader may choose an earlier week.
- **Recommendation status** is as at the data-up-to date, on every page.
- **The week to chase** is the data-up-to week: the returns still missing or partial for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from taskforce.core.formats import format_date

COMPLETE_SHARE = 0.9


@dataclass(frozen=True)
class WeekReceipts:
    week_ending: dt.date
    complete: int  # returns with every measure
    partial: int
    expected: int

    @property
    def is_complete(self) -> bool:
        return self.expected > 0 and self.complete >= COMPLETE_SHARE * self.expected

    def words(self) -> str:
        """'provisional: 28 of 49 returns' or 'complete: 47 of 49 returns'."""
        state = "complete" if self.is_complete else "provisional"
        return f"{state}: {self.complete} of {self.expected} returns"


@dataclass(frozen=True)
class DataPosition:
    reached: WeekReceipts | None  # the newest week any return has reached
    latest_complete: WeekReceipts | None  # the newest week with at least 90% of returns complete
    weeks: tuple[WeekReceipts, ...] = ()  # every week with returns, newest first

    @property
    def data_up_to(self) -> dt.date | None:
        return self.reached.week_ending if self.reached else None

    @property
    def provisional(self) -> bool:
        return self.reached is not None and not self.reached.is_complete

    @property
    def status_date(self) -> dt.date | None:
        """Recommendation status is as at the data-up-to date everywhere."""
        return self.data_up_to

    @property
    def chase_week(self) -> dt.date | None:
        return self.data_up_to

    def status_date_for(self, week: dt.date) -> dt.date:
        """Recommendation status for a week's figures: as at the data-up-to date for the headline week or any
        newer one, and as it stood at the week's end for an earlier week chosen to look back."""
        latest = self.headline_week()
        if self.status_date is None or latest is None or week < latest:
            return week
        return self.status_date

    def headline_week(self, chosen: dt.date | None = None) -> dt.date | None:
        """The week the findings are about: the one chosen (if the returns reach it), else the newest complete
        week, else (no week complete yet) the newest week, which is then provisional."""
        if chosen is not None and self.data_up_to is not None and chosen <= self.data_up_to:
            return chosen
        if self.latest_complete is not None:
            return self.latest_complete.week_ending
        return self.data_up_to

    def receipts(self, week: dt.date) -> WeekReceipts | None:
        return next((item for item in self.weeks if item.week_ending == week), None)

    def is_provisional(self, week: dt.date) -> bool:
        found = self.receipts(week)
        return found is None or not found.is_complete

    def words(self) -> str:
        """The sentence every page, slide, export and message carries."""
        if self.reached is None:
            return "No returns loaded yet"
        sentence = f"Data up to week ending {format_date(self.reached.week_ending)}"
        if self.reached.is_complete:
            return f"{sentence} ({self.reached.words()})"
        sentence += f" ({self.reached.words()})"
        if self.latest_complete is not None:
            sentence += f"; latest complete week ends {format_date(self.latest_complete.week_ending)}"
        return sentence


def position_from(reporting_weeks: pd.DataFrame) -> DataPosition:
    """From the reporting_weeks query (week_ending, returns_complete, returns_partial,
    returns_expected; newest first)."""
    weeks = tuple(
        WeekReceipts(
            pd.Timestamp(row.week_ending).date(),
            int(row.returns_complete),
            int(row.returns_partial),
            int(row.returns_expected),
        )
        for row in reporting_weeks.sort_values("week_ending", ascending=False).itertuples()
    )
    complete = next((week for week in weeks if week.is_complete), None)
    return DataPosition(reached=weeks[0] if weeks else None, latest_complete=complete, weeks=weeks)
