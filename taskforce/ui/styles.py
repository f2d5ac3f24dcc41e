"""Table cells and tags in the palette's tints: dark text on a pale background, with the word always in the cell."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from taskforce.measures.palette import ACTION_TINT, OVERDUE_TINT, RECEIPT_TINT, STATUS_TINT, TINTS

STATUS_CELLS = {str(status): TINTS[tint].css() for status, tint in STATUS_TINT.items()}
RECEIPT_CELLS = {str(receipt): TINTS[tint].css() for receipt, tint in RECEIPT_TINT.items()}
OVERDUE_CELL = TINTS[OVERDUE_TINT].css()
FLAG_CELLS = {"Overdue": OVERDUE_CELL, "Likely after due date": OVERDUE_CELL}
ACTION_CELLS = {str(status): TINTS[tint].css() for status, tint in ACTION_TINT.items()} | {"Overdue": OVERDUE_CELL}
STATUS_CELLS["Overdue"] = OVERDUE_CELL  # overdue comes before any reported status (recommendations/overdue.py)


def badge_colour(status: str) -> str:
    """The st.badge colour of a recommendation status (the theme maps it to the same tint); Overdue is always
    the overdue colour, never the amber of the "At risk" its last report may have said."""
    if status == "Overdue":
        return OVERDUE_TINT
    return STATUS_TINT.get(status, "gray")  # type: ignore[call-overload]


def styled(frame: pd.DataFrame, columns: Sequence[str], cells: Mapping[str, str] = STATUS_CELLS) -> Styler:
    """The frame with the named columns' words tinted (a word with no tint stays plain)."""
    return frame.style.map(lambda value: cells.get(value, ""), subset=list(columns))
