"""Controls whose value is held in the URL, so a copied link opens the same view."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from taskforce.formatting import format_date


def week_selector(weeks: list[dt.date], default: dt.date, key: str = "week", label: str = "Week ending") -> dt.date:
    """A week picker shown in UK format and held in the URL as ?week=YYYY-MM-DD.

    A week in the URL wins when the URL changed since the last run (a pasted link); otherwise the
    widget's own value stands and is written back to the URL."""
    options = [week.isoformat() for week in weeks]
    requested = st.query_params.get(key)
    synced_key = f"_{key}_in_url"
    if requested in options and requested != st.session_state.get(synced_key):
        st.session_state[key] = requested
    if st.session_state.get(key) not in options:
        st.session_state[key] = default.isoformat()
    chosen = st.selectbox(label, options, key=key, format_func=lambda iso: format_date(dt.date.fromisoformat(iso)))
    st.query_params[key] = chosen
    st.session_state[synced_key] = chosen
    return dt.date.fromisoformat(chosen)
