"""Every CSV leaving the dashboard: the protective marking on its first line, and (when the user chooses
"for wider circulation") small counts suppressed with a note saying so."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from taskforce.core import disclosure
from taskforce.core.config import protective_marking
from taskforce.core.spreadsheet import neutralise, safe_file_name

WIDER_CIRCULATION_KEY = "wider_circulation"


def wider_circulation() -> bool:
    return bool(st.session_state.get(WIDER_CIRCULATION_KEY, False))


def wider_circulation_toggle() -> None:
    st.toggle("For wider circulation", key=WIDER_CIRCULATION_KEY,
              help=disclosure.note() + " It applies to the regional map and table, trend charts by region or force, "
                   "every download and the briefing pack.")


def csv_bytes(frame: pd.DataFrame, count_columns: list[str] | None = None, wider: bool = False,
              derived_columns: list[str] | None = None) -> bytes:
    """The marking on the first line; for wider circulation, small counts hidden and a line saying so. Every
    cell and column name a spreadsheet would run as a formula is made inert (values from uploads and reports
    reach these files)."""
    lines = [f"# {protective_marking()}"]
    if wider and count_columns:
        frame = disclosure.suppress(frame, count_columns, derived_columns=derived_columns)
        lines.append(f"# {disclosure.note()}")
    safe = frame.map(neutralise).rename(columns=lambda name: neutralise(str(name)))
    return ("\n".join(lines) + "\n").encode() + safe.to_csv(index=False).encode()


def download_csv(label: str, frame: pd.DataFrame, file_name: str, key: str | None = None,
                 count_columns: list[str] | None = None, derived_columns: list[str] | None = None) -> None:
    """The file is written when the button is pressed (deferred), not on every rerun of the page."""
    wider = wider_circulation()
    def written() -> bytes:
        return csv_bytes(frame, count_columns, wider, derived_columns)

    st.download_button(label, written, safe_file_name(file_name), mime="text/csv", icon=":material/download:",
                       key=key)
