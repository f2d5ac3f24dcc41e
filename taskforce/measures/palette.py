"""Every colour the dashboard and the pack use: the Government Analysis Function palette, and dark text on pale
tints for the status words. Charts, maps, tags, tables and the pack read their colours from here, and a test
holds `.streamlit/config.toml` to the same values."""

from __future__ import annotations

from dataclasses import dataclass

from taskforce.measures.vocabulary import ActionStatus, Judgement, Receipt, RecommendationStatus

# One meaning per colour. Three families that never share a colour: the SERIES of a chart (the measures, and
# the reference lines and bands drawn with them), the STATUS of a recommendation or a return (the GOV.UK Tag
# colours: green on track, yellow at risk, red off track or overdue, blue complete, grey not started), and the
# STATES that are not data (no return, a small base, not applicable, hidden for wider circulation), each its
# own grey or pale key, named in every legend. A test holds every chart, badge and map to these.

# Series: the Analysis Function's navy and turquoise for the measures themselves.
NAVY, TURQUOISE, PLUM, DARK_GREY, LILAC = "#12436D", "#28A197", "#801650", "#3D3D3D", "#A285D1"
TEAL = TURQUOISE
# Lines and bands drawn beside a measure: each role one colour, never a status colour.
ROLLING_AVERAGE = PLUM
LAST_YEAR = DARK_GREY  # dashed
TARGET = "#0b0c0c"  # dashed, the text colour: a line to reach, not a state
NATIONAL = TARGET  # the national figure a funnel plot is centred on: a reference line, not a state
FORECAST = LILAC  # dashed, with its range as a pale band of the same colour
FORECAST_RANGE = "rgba(162, 133, 209, 0.22)"
EVENT_LINE = DARK_GREY
EVENT_BAND = "#E8E1D5"  # a stone band behind the lines for a dated period (Operation Lockstream)
FLOW_LINK = "rgba(18, 67, 109, 0.25)"  # a Sankey link: the sender's navy, pale
# A control chart drawn over a measure: its mean (solid) and limits (dashed), and the special-cause points, marked
# by shape as well as colour (Making Data Count's blue improving, orange concerning; purple for neither).
CONTROL_MEAN = "#6F777B"
CONTROL_LIMIT = "#4B5257"
SPECIAL_IMPROVING = "#489FDF"
SPECIAL_CONCERNING = "#ED8B00"
SPECIAL_NEUTRAL = "#7F3F98"
SPECIAL_CAUSE = {
    Judgement.GOOD: SPECIAL_IMPROVING,
    Judgement.BAD: SPECIAL_CONCERNING,
    Judgement.NEUTRAL: SPECIAL_NEUTRAL,
}
SPECIAL_CAUSE_SYMBOL = {Judgement.GOOD: "triangle-up", Judgement.BAD: "diamond", Judgement.NEUTRAL: "square"}
# Groups (agencies, regions) on one chart, in order; no status colour among them.
CATEGORICAL = (NAVY, TURQUOISE, PLUM, DARK_GREY, LILAC, "#6B4E00")
TWO_SERIES = (NAVY, TURQUOISE)
SERIES_COLOURS = frozenset(
    {
        *CATEGORICAL,
        ROLLING_AVERAGE,
        LAST_YEAR,
        TARGET,
        FORECAST,
        FORECAST_RANGE,
        EVENT_LINE,
        EVENT_BAND,
        FLOW_LINK,
        CONTROL_MEAN,
        CONTROL_LIMIT,
        *SPECIAL_CAUSE.values(),
    }
)

# Analysis Function sequential blues, light to dark (a map's lowest class is the lightest).
SEQUENTIAL = ("#ADD1F1", "#6BACE6", "#2073BC", "#12436D", "#092135")
DARK_FILLS = frozenset(SEQUENTIAL[2:])  # white text on these, dark text on the others
# A change: falls in brown, no change pale, rises in blue (a value on a scale, not a state).
DIVERGING = ("#8C510A", "#DFC27D", "#F5F5F5", "#6BACE6", "#12436D")
LIGHT_BLUE = SEQUENTIAL[1]

TEXT = "#0b0c0c"
WHITE = "#ffffff"
LINK = "#1d70b8"
FOCUS = "#ffdd00"  # GOV.UK's focus yellow, with a black line under it
PAGE_BACKGROUND = WHITE
SECONDARY_BACKGROUND = "#f3f2f1"
GRID = "#e5e5e5"
AXIS_LINE = "#b1b4b6"
LEGEND_EDGE = "#505a5f"
# States that are not data: distinct from the blues, from the statuses and from one another.
NO_RETURN = "#8E9296"  # a mid grey: nothing arrived
SMALL_BASE = "#D8D8D8"  # a light grey: a change on a base under 10 is not given
NOT_APPLICABLE = "#F3F2F1"  # the page's pale grey, outlined: no resident population, no comparison
HIDDEN = "#5B6166"  # a dark grey with white words: [c], hidden for wider circulation
ZERO = "#F2F7FC"  # the lightest step: none this period
PARTIAL_RETURN = "#F4C9A8"
UNRELIABLE = "#D9CCE8"
STATE_COLOURS = frozenset({NO_RETURN, SMALL_BASE, NOT_APPLICABLE, HIDDEN, PARTIAL_RETURN, UNRELIABLE})
MARKING_BANNER = DARK_GREY


@dataclass(frozen=True)
class Tint:
    """Dark text on a pale background: readable on a projector, and never the only sign of a state."""

    text: str
    background: str

    def css(self) -> str:
        return f"background-color: {self.background}; color: {self.text}"


# Named as Streamlit's theme names them (st.badge colours), so the tags and the table cells agree: the GOV.UK
# Tag colours, dark text on a pale tint.
TINTS = {
    "red": Tint("#2a0b06", "#f4cdc6"),
    "orange": Tint("#6e3619", "#fcd6c3"),
    "yellow": Tint("#594d00", "#fff7bf"),
    "green": Tint("#005a30", "#cce2d8"),
    "blue": Tint("#0c2d4a", "#bbd4ea"),
    "gray": Tint("#282d30", "#eeefef"),
}
STATUS_TINT = {
    RecommendationStatus.COMPLETE: "blue",
    RecommendationStatus.ON_TRACK: "green",
    RecommendationStatus.AT_RISK: "yellow",
    RecommendationStatus.OFF_TRACK: "red",
    RecommendationStatus.NOT_STARTED: "gray",
    RecommendationStatus.NO_RETURN: "gray",
}
RECEIPT_TINT = {
    Receipt.ON_TIME: "green",
    Receipt.LATE: "yellow",
    Receipt.RESUBMITTED: "blue",
    Receipt.PARTIAL: "orange",
    Receipt.MISSING: "red",
}
OVERDUE_TINT = "red"
# An action: open green (under way), done blue (as Complete), dropped grey; an open one past due takes OVERDUE_TINT.
ACTION_TINT = {ActionStatus.OPEN: "green", ActionStatus.DONE: "blue", ActionStatus.DROPPED: "gray"}

# Status in charts and on the pack, where a pale tint would not show: the Tag colours at full strength, always
# with the word in the legend, axis or hover text.
STATUS_CHART = {
    RecommendationStatus.COMPLETE: "#1d70b8",
    RecommendationStatus.ON_TRACK: "#00703c",
    RecommendationStatus.AT_RISK: "#E0B400",
    RecommendationStatus.OFF_TRACK: "#d4351c",
    RecommendationStatus.NOT_STARTED: "#b1b4b6",
    RecommendationStatus.NO_RETURN: NO_RETURN,
}
OVERDUE = STATUS_CHART[RecommendationStatus.OFF_TRACK]
STATUS_COLOURS = frozenset(STATUS_CHART.values())


def reference_colour(name: str) -> str:
    """The colour of a reference line by what it is: a target, last year's line, else a rolling average."""
    lowered = name.lower()
    if "target" in lowered:
        return TARGET
    return LAST_YEAR if "last year" in lowered else ROLLING_AVERAGE


def rgb(colour: str) -> tuple[int, int, int]:
    """'#12436D' as (18, 67, 109)."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


# Making Data Count's colours for a verdict: improving blue, concerning orange, the rest grey (st.badge names).
JUDGEMENT_TINT = {Judgement.GOOD: "blue", Judgement.BAD: "orange"}
