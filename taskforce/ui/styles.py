"""Table cells and tags in the palette's tints: dark text on a pale background, with the word always in the cell."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from pandas.io.formats.style import Styler

from taskforce.measures.palette import (
    ACTION_TINT,
    FOCUS,
    GRID,
    OVERDUE_TINT,
    RECEIPT_TINT,
    STATUS_TINT,
    TEXT,
    TINTS,
    WHITE,
)

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


# The page's layout on a laptop and on a phone, in one place (the frame adds it to every page with the marking).
PHONE = "@media (max-width: 640px)"  # Streamlit stacks columns below 640 px wide
CONTROLS_ANCHOR = "controls"  # the skip link's target: where each page's own content and controls begin
# The force grid is fitted (maps/layers.grid_zoom) to a deck of MAP_WIDTH by MAP_HEIGHT pixels; on a phone the deck is
# drawn at this scale, so the whole grid fits a screen 360 px wide or more (520 x 0.64 = 333 px, with margins).
MAP_WIDTH, MAP_HEIGHT, PHONE_MAP_ZOOM = 520, 640, 0.64
# A chart drawn on a laptop and a list in its place on a phone: the start of the containers' keys (the CSS below
# swaps them).
WIDE_ONLY, PHONE_ONLY = "wide_only", "phone_only"
LAYOUT_CSS = f"""
.skip-link {{ position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }}
.skip-link:focus {{ position: static; width: auto; height: auto; display: inline-block; padding: 0.25rem 0.5rem;
  background: {FOCUS}; color: {TEXT} !important; font-weight: 700; text-decoration: underline; }}
[data-testid="stSkipToContent"], [data-testid="stHeaderActionElements"] {{ display: none !important; }}
.visually-hidden {{ position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }}
#{CONTROLS_ANCHOR}:focus {{ outline: none; }}
[data-testid="stMain"] code {{ color: {TEXT}; }}
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > #{CONTROLS_ANCHOR}),
[data-testid="stElementContainer"]:has(> [data-testid="stHtml"] > .visually-hidden) {{ margin-bottom: -1rem; }}
[data-testid="stButtonGroup"] [role="radiogroup"] {{ flex-wrap: wrap; overflow: visible; row-gap: 0.25rem; }}
[data-testid="stMain"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stMain"] button [data-testid="stMarkdownContainer"] {{
  white-space: normal; overflow: visible; text-overflow: clip; overflow-wrap: normal; }}
[data-testid="stMain"] [data-testid="stWidgetLabel"] p {{ white-space: normal; }}
[data-testid="stMain"] [data-baseweb="select"] [value], [data-testid="stMain"] [data-baseweb="select"] div {{
  text-overflow: clip; white-space: normal; }}
.st-key-phone_menu {{ display: none; }}
[class*="st-key-{PHONE_ONLY}"] {{ display: none; }}
/* folded away, the sidebar and all in it are out of the Tab order */
[data-testid="stSidebar"][data-collapsed="true"], [data-testid="stSidebar"][data-collapsed="true"] * {{
  visibility: hidden !important; }}
{PHONE} {{
  .marking-banner {{ font-size: 0.75rem; padding: 0 0.25rem; line-height: 1.3; }}
  [data-testid="stMain"] [data-testid="stAlertContainer"] {{ padding: 0.25rem 0.5rem; }}
  [data-testid="stMainBlockContainer"] {{ padding: 3.75rem 0.75rem 2rem 0.75rem; }}
  [data-testid="stMain"] h1 {{ padding: 0.25rem 0; }}
  .st-key-phone_menu {{ display: block; }}
  [data-testid="stExpandSidebarButton"] {{ display: none !important; }}
  .st-key-force_map [data-testid="stDeckGlJsonChart"] {{ zoom: {PHONE_MAP_ZOOM}; }}
  /* the briefing's slide before its controls, the share link last */
  [data-testid="stLayoutWrapper"]:has(> .st-key-current_slide) {{ order: 1; }}
  [data-testid="stLayoutWrapper"]:has(> .st-key-briefing_controls) {{ order: 2; }}
  [data-testid="stLayoutWrapper"]:has(> .st-key-briefing_archive) {{ order: 3; }}
  [data-testid="stLayoutWrapper"]:has(> .st-key-share_link) {{ order: 4; }}
  /* a static table scrolls inside its own box, its key (first) column fixed; words wrap, never mid-word */
  [data-testid="stTable"] {{ overflow-x: auto; max-width: 100%; }}
  [data-testid="stTable"] th, [data-testid="stTable"] td {{ white-space: normal; overflow-wrap: normal;
    min-width: 5.5rem; }}
  [data-testid="stTable"] tr > :first-child {{ position: sticky; left: 0; z-index: 1;
    background: {WHITE}; box-shadow: 1px 0 0 {GRID}; }}
  /* a chart that cannot be read at this width gives way to its phone-sized form (the flows as a list) */
  [class*="st-key-{WIDE_ONLY}"] [data-testid="stPlotlyChart"] {{ display: none; }}
  [class*="st-key-{PHONE_ONLY}"] {{ display: block; }}
  html body [data-testid="stMain"] h2 {{ font-size: 1.35rem; }}
  html body [data-testid="stMain"] h1 {{ font-size: 1.75rem; }}
  html body [data-testid="stMain"] [data-testid="stMarkdownContainer"] p, html body [data-testid="stMain"] li {{
    font-size: 1rem; }}
  html body [data-testid="stMain"] [data-testid="stAlertContainer"] p {{ font-size: 0.8rem; line-height: 1.3; }}
}}
"""
