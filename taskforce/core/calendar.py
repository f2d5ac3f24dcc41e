"""Weeks as the taskforce counts them: Monday to Sunday, named by the Sunday they end on."""
from __future__ import annotations

import datetime as dt

# The first week the returns series holds (the week ending Sunday 8 January 2023). A database may record an
# earlier start in meta (`series_start`), for example a benchmark database with a longer history.
SERIES_START = dt.date(2023, 1, 8)


def last_complete_week_ending(as_of: dt.date) -> dt.date:
    """The latest Sunday strictly before the as-of date: the last week that has fully ended."""
    days_since_sunday = (as_of.weekday() + 1) % 7
    return as_of - dt.timedelta(days=days_since_sunday or 7)


def is_week_ending(day: dt.date) -> bool:
    return day.weekday() == 6
