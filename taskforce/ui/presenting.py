"""Presentation mode (`?present=1`): the slide fills the screen, sized for a room, moved by the keys a
presentation clicker sends.

Sizes are in units of the window's height (vh), so one slide fits 1920x1080 and 1366x768 alike: every word is at
least 2.05vh (22 px at 1080 high) and nothing is under 16 px at any height."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

PRESENT_KEY = "present"
# The height of a chart or map on a slide, as a share of the window's height.
STAGE_CHART_HEIGHT = "55vh"
SMALLEST_TYPE = "16px"
BODY_TYPE = "2.05vh"  # 22 px at 1080 high; every word on a slide is at least this, or 16 px
STAGE_CSS = f"""<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stExpandSidebarButton"] {{
  display: none !important; }}
[data-testid="stMainBlockContainer"] {{ padding: 1vh 3vw 0 3vw !important; max-width: 100% !important; }}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {{ gap: 0.8vh; }}
[data-testid="stMain"] p, [data-testid="stMain"] li, [data-testid="stMain"] td, [data-testid="stMain"] th,
[data-testid="stMain"] label, [data-testid="stMain"] span, [data-testid="stMain"] button {{
  font-size: max({SMALLEST_TYPE}, {BODY_TYPE}) !important; line-height: 1.3; }}
[data-testid="stMain"] [data-testid="stCaptionContainer"] p {{
  font-size: max({SMALLEST_TYPE}, {BODY_TYPE}) !important; }}
[data-testid="stMain"] .marking-banner {{ font-size: max({SMALLEST_TYPE}, {BODY_TYPE}) !important; padding: 0.2vh; }}
[data-testid="stMain"] h1 {{ font-size: max(26px, 4.6vh) !important; line-height: 1.15; padding: 0 0 0.6vh 0; }}
[data-testid="stMain"] h1 span, [data-testid="stMain"] h2 span, [data-testid="stMain"] h3 span {{
  font-size: inherit !important; }}
[data-testid="stMain"] h2 {{ font-size: max(22px, 3.4vh) !important; padding: 0.4vh 0; }}
[data-testid="stMain"] h3 {{ font-size: max(19px, 2.7vh) !important; padding: 0.3vh 0; }}
[data-testid="stMain"] [data-testid="stMetricValue"], [data-testid="stMain"] [data-testid="stMetricValue"] p {{
  font-size: max(28px, 5.2vh) !important; line-height: 1.1; }}
[data-testid="stMain"] [data-testid="stMetricLabel"] p {{ font-size: max({SMALLEST_TYPE}, {BODY_TYPE}) !important; }}
[data-testid="stMain"] [data-testid="stMetricDelta"] p, [data-testid="stMain"] [data-testid="stMetricDelta"] span
  {{ font-size: max({SMALLEST_TYPE}, {BODY_TYPE}) !important; }}
[class*="st-key-stage_chart"] {{ height: {STAGE_CHART_HEIGHT} !important; flex: 0 0 {STAGE_CHART_HEIGHT} !important; }}
[data-testid="stMain"] kbd, [data-testid="stMain"] [role="img"] {{
  font-size: max({SMALLEST_TYPE}, {BODY_TYPE}) !important; }}
[data-testid="stMainBlockContainer"] {{ padding-bottom: 7vh !important; }}
.st-key-slide_footer {{ position: fixed; bottom: 0; left: 3vw; width: 94vw !important; z-index: 10; background: white;
  padding: 0.6vh 0 0.8vh 0; }}
.st-key-slide_keys_more {{ display: none !important; }}
[data-testid="stMain"] [data-testid="stTooltipIcon"] {{ display: none !important; }}
.st-key-slide_keys button {{ min-height: 0; padding: 0.2vh 1vw; }}
</style>"""


def presenting() -> bool:
    """True when the page is shown as a presentation: `?present=1` in its address."""
    return st.query_params.get(PRESENT_KEY) == "1"


def start_presenting() -> None:
    st.query_params[PRESENT_KEY] = "1"


def stop_presenting() -> None:
    if PRESENT_KEY in st.query_params:
        del st.query_params[PRESENT_KEY]


def stage() -> None:
    """Hide the sidebar and the toolbar, and size the type for the room."""
    st.html(STAGE_CSS)


def slide_keys(slide: int, total: int, go_to: Callable[[int], None]) -> None:
    """Previous, Next and Leave as small buttons, and the keys a clicker sends. Each Streamlit button takes one
    shortcut, so the other keys are buttons kept out of sight: PageDown and Space move on as Right does, PageUp
    back as Left does; Home and End go to the first and last slide; Esc leaves presentation mode."""
    earlier, later = max(1, slide - 1), min(total, slide + 1)
    with st.container(key="slide_keys", horizontal=True, horizontal_alignment="right"):
        st.button(
            "Previous",
            shortcut="Left",
            on_click=go_to,
            args=(earlier,),
            disabled=slide == 1,
            icon=":material/arrow_back:",
            type="tertiary",
        )
        st.button(
            "Next",
            shortcut="Right",
            on_click=go_to,
            args=(later,),
            disabled=slide == total,
            icon=":material/arrow_forward:",
            type="tertiary",
        )
        st.button("Exit", shortcut="Esc", on_click=stop_presenting, icon=":material/close:", type="tertiary")
    with st.container(key="slide_keys_more"):
        for label, key, target in (
            ("Next slide", "PageDown", later),
            ("Next slide ", "Space", later),
            ("Previous slide", "PageUp", earlier),
            ("First slide", "Home", 1),
            ("Last slide", "End", total),
        ):
            st.button(label, shortcut=key, on_click=go_to, args=(target,), key=f"slide_key_{key}")
