"""Plain states for pages that need data the database does not hold yet."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from taskforce.analysis.headlines import default_week
from taskforce.ui import data

NO_RETURNS = (
    "No weekly returns have been loaded yet. An analyst loads them on *Weekly returns*, or with "
    "`python -m taskforce ingest`."
)


# A line through fewer weeks than this says nothing about a trend (and the rolling average needs four).
TREND_MINIMUM_WEEKS = 4


def latest_week_or_stop(minimum_weeks: int = 1) -> dt.date:
    """The week the page opens on. With no returns at all, or fewer weeks than the page needs, a plain note
    and nothing more of the page."""
    reporting = data.query("reporting_weeks")
    week = default_week(reporting)
    if week is None:
        st.info(NO_RETURNS, icon=":material/hourglass_empty:")
        st.stop()
    if len(reporting) < minimum_weeks:
        weeks = len(reporting)
        st.info(
            f"Only {weeks} week{'' if weeks == 1 else 's'} of returns so far: trends need at least "
            f"{minimum_weeks} weeks. The weekly overview and the regional maps show the weeks there are.",
            icon=":material/hourglass_empty:",
        )
        st.stop()
    return week
