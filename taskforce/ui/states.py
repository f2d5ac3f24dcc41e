"""Plain states for pages that need data the database does not hold yet."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from taskforce.analysis.headlines import default_week
from taskforce.ui import data

NO_RETURNS = ("No weekly returns have been loaded yet. An analyst loads them on *Weekly returns*, or with "
              "`python -m taskforce ingest`.")


def latest_week_or_stop() -> dt.date:
    """The week the page opens on; with no returns at all, a plain note and nothing more of the page."""
    week = default_week(data.query("reporting_weeks"))
    if week is None:
        st.info(NO_RETURNS, icon=":material/hourglass_empty:")
        st.stop()
    return week
