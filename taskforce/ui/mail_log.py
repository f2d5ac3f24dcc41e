"""What the digest and the reminders sent or were refused, for administrators (a section of Weekly returns)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from taskforce.core.formats import format_datetime
from taskforce.ui import data
from taskforce.ui.frame import may_change_settings


def mail_section() -> None:
    """Every message sent or refused (to whom, what, when, the server's answer), newest first; plain text."""
    if not may_change_settings():
        st.info("Only administrators see what the digest and the reminders sent.")
        return
    log = data.query("mail_log")
    if log.empty:
        st.info(
            "No digest or reminder has been sent yet (`python -m taskforce digest`, `python -m taskforce "
            "remind`; the timers in deploy/ run them on Monday at 07:00 and Tuesday at 12:00)."
        )
        return
    st.dataframe(
        pd.DataFrame(
            {
                "When": [format_datetime(moment) for moment in log["attempted_at"]],
                "What": log["kind"],
                "To": log["recipient"],
                "Subject": log["subject"],
                "Outcome": log["outcome"],
                "Server's answer": log["answer"],
                "Attempts": log["attempts"],
                "Attached": log["attachment"].fillna(""),
            }
        ),
        hide_index=True,
        width="stretch",
        key="mail_log",
    )
