"""The periods a release offers for wider circulation: the week, the latest fixed 4-week period, and the latest
three of them (12 weeks), each with the period of the same kind just before. Nothing else: no custom ranges, no
months, no rolling windows, so no two periods on offer differ by weeks the release has not protected."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from taskforce.core.formats import format_date
from taskforce.release.universe import FOUR_WEEKS, PERIOD_WEEKS, WEEK, period_of

WEEK_NAME, FOUR_WEEKS_NAME, TWELVE_WEEKS_NAME = "The week", "4 weeks", "12 weeks"
OFFERED = (WEEK_NAME, FOUR_WEEKS_NAME, TWELVE_WEEKS_NAME)


@dataclass(frozen=True)
class ReleasePeriod:
    name: str
    parts: tuple[tuple, ...]  # the universe's periods it adds up, oldest first: ("week", d) or ("4 weeks", end)
    first: dt.date  # first week ending
    last: dt.date  # last week ending

    @property
    def weeks(self) -> int:
        return (self.last - self.first).days // 7 + 1

    def previous(self) -> ReleasePeriod:
        """The period of the same kind just before."""
        return _ending(self.name, self.first - dt.timedelta(weeks=1))

    def words(self) -> str:
        if self.name == WEEK_NAME:
            return f"the week ending {format_date(self.last)}"
        monday = self.first - dt.timedelta(days=6)
        return f"the {self.weeks} weeks from {format_date(monday)} to {format_date(self.last)}"


def latest_complete_period_end(week: dt.date) -> dt.date:
    """The last week of the newest fixed 4-week period that has ended by `week`."""
    first, last = period_of(week)
    return last if last == week else first - dt.timedelta(weeks=1)


def _ending(name: str, last: dt.date) -> ReleasePeriod:
    if name == WEEK_NAME:
        return ReleasePeriod(name, ((WEEK, last),), last, last)
    end = latest_complete_period_end(last)
    count = 1 if name == FOUR_WEEKS_NAME else 3
    ends = [end - dt.timedelta(weeks=PERIOD_WEEKS * n) for n in reversed(range(count))]
    first = ends[0] - dt.timedelta(weeks=PERIOD_WEEKS - 1)
    return ReleasePeriod(name, tuple((FOUR_WEEKS, end) for end in ends), first, end)


def offered(week: dt.date) -> list[ReleasePeriod]:
    """The periods a release for `week` offers."""
    return [_ending(name, week) for name in OFFERED]


def weeks_needed(week: dt.date) -> list[dt.date]:
    """Every week the release for `week` must protect: its periods and their previous ones, and the 52 weeks of
    the weekly series and the 13 fixed periods of the period series."""
    earliest = min(period.previous().first for period in offered(week))
    thirteen_periods = latest_complete_period_end(week) - dt.timedelta(weeks=13 * PERIOD_WEEKS - 1)
    earliest = min(earliest, week - dt.timedelta(weeks=51), thirteen_periods)
    return [earliest + dt.timedelta(weeks=n) for n in range((week - earliest).days // 7 + 1)]
