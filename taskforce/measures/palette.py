"""Every colour the dashboard and the pack use: the Government Analysis Function palette, and dark text on pale
tints for the status words. Charts, maps, tags, tables and the pack read their colours from here, and a test
holds `.streamlit/config.toml` to the same values."""
from __future__ import annotations

from dataclasses import dataclass

from taskforce.measures.vocabulary import Judgement, Receipt, Status

# Analysis Function categorical colours, in the order they are used; two series use the first and fourth.
NAVY, TEAL, PLUM, ORANGE, DARK_GREY, LILAC = "#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"
CATEGORICAL = (NAVY, TEAL, PLUM, ORANGE, DARK_GREY, LILAC)
TWO_SERIES = (NAVY, ORANGE)

# Analysis Function sequential blues, light to dark (a map's lowest class is the lightest).
SEQUENTIAL = ("#ADD1F1", "#6BACE6", "#2073BC", "#12436D", "#092135")
DARK_FILLS = frozenset(SEQUENTIAL[2:])  # white text on these, dark text on the others
# A change: falls in orange, no change grey, rises in blue.
DIVERGING = ("#A63D00", "#F4A582", "#E6E6E6", "#6BACE6", "#12436D")
LIGHT_BLUE = SEQUENTIAL[1]

TEXT = "#0b0c0c"
WHITE = "#ffffff"
LINK = "#1d70b8"
PAGE_BACKGROUND = WHITE
SECONDARY_BACKGROUND = "#f3f2f1"
GRID = "#e5e5e5"
AXIS_LINE = "#b1b4b6"
NO_RETURN = "#BFBFBF"
# Map keys for areas outside the colour classes, each distinct from the blues and from one another.
ZERO = "#F2F7FC"  # the lightest step: none this period
PARTIAL_RETURN = "#F4C9A8"
UNRELIABLE = "#D9CCE8"
NOT_APPLICABLE = "#EDEDED"
MARKING_BANNER = DARK_GREY


@dataclass(frozen=True)
class Tint:
    """Dark text on a pale background: readable on a projector, and never the only sign of a state."""

    text: str
    background: str

    def css(self) -> str:
        return f"background-color: {self.background}; color: {self.text}"


# Named as Streamlit's theme names them (st.badge colours), so the tags and the table cells agree.
TINTS = {
    "red": Tint("#651b1b", "#f4d7d7"),
    "orange": Tint("#7a3c1c", "#fde4d7"),
    "green": Tint("#083d29", "#cfe4dc"),
    "blue": Tint("#0b2a45", "#d6e6f4"),
    "gray": Tint("#2e2e2e", "#e6e6e6"),
}
STATUS_TINT = {
    Status.COMPLETE: "blue", Status.ON_TRACK: "green", Status.AT_RISK: "orange", Status.OFF_TRACK: "red",
    Status.NOT_STARTED: "gray", Status.NO_RETURN: "gray",
}
RECEIPT_TINT = {Receipt.ON_TIME: "green", Receipt.LATE: "orange", Receipt.RESUBMITTED: "blue",
                Receipt.PARTIAL: "orange", Receipt.MISSING: "red"}
OVERDUE_TINT = "red"

# Status in charts, where a pale tint would not show: always with the word in the legend, axis or hover text.
STATUS_CHART = {
    Status.COMPLETE: NAVY, Status.ON_TRACK: TEAL, Status.AT_RISK: ORANGE, Status.OFF_TRACK: PLUM,
    Status.NOT_STARTED: NO_RETURN, Status.NO_RETURN: DARK_GREY,
}


def rgb(colour: str) -> tuple[int, int, int]:
    """'#12436D' as (18, 67, 109)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)

# Making Data Count's colours for a verdict: improving blue, concerning orange, the rest grey (st.badge names).
JUDGEMENT_TINT = {Judgement.GOOD: "blue", Judgement.BAD: "orange"}
