"""Weeks as the taskforce counts them: Monday to Sunday, named by the Sunday they end on."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

# The first week the returns series holds (the week ending Sunday 8 January 2023). A database may record an
# earlier start in meta (`series_start`), for example a benchmark database with a longer history.
SERIES_START = dt.date(2023, 1, 8)


def last_complete_week_ending(as_of: dt.date) -> dt.date:
    """The latest Sunday strictly before the as-of date: the last week that has fully ended."""
    days_since_sunday = (as_of.weekday() + 1) % 7
    return as_of - dt.timedelta(days=days_since_sunday or 7)


def is_week_ending(day: dt.date) -> bool:
    return day.weekday() == 6


# The taskforce works on UK time, whatever the server's clock is set to: a return is due by the end of the
# Tuesday in London, and every audit time is London wall-clock time (BST in summer, GMT in winter).
LONDON = ZoneInfo("Europe/London")


def london_wall_clock(instant: dt.datetime) -> dt.datetime:
    """An instant (with its time zone) as the time on a clock in London, without a zone, as stored."""
    return instant.astimezone(LONDON).replace(tzinfo=None)


def london_now() -> dt.datetime:
    """Now, on a clock in London: what every upload, status report and setting change records."""
    return london_wall_clock(dt.datetime.now(dt.UTC))


def london_today() -> dt.date:
    return london_now().date()


def return_deadline_passed(week_ending: dt.date, now: dt.datetime) -> bool:
    """Whether the end of the Tuesday after the week (London time, as `now` is) has passed: a return still
    missing then is late, and its organisation is reminded."""
    return now >= dt.datetime.combine(week_ending + dt.timedelta(days=3), dt.time())
