"""Weekly briefing: the week as slides for the big screen, and the PowerPoint pack to send on."""
import streamlit as st

from taskforce.briefing import SLIDES
from taskforce.overview import default_week
from taskforce.ui import data
from taskforce.ui import briefing_views as views
from taskforce.ui.controls import linked_choice, select_in_url, share_link, week_selector
from taskforce.ui.downloads import wider_circulation
from taskforce.ui.frame import PAGE_TITLE, guard

guard()
st.set_page_config(page_title=PAGE_TITLE, layout="wide", initial_sidebar_state="collapsed")
views.big_type()

reporting = data.query("reporting_weeks")
weeks = [w.date() if hasattr(w, "date") else w for w in reporting["week_ending"]]
numbers = [str(n) for n in range(1, len(SLIDES) + 1)]
controls = st.columns([2, 3, 1, 1, 2], vertical_alignment="bottom")
with controls[0]:
    week = week_selector(weeks, default=default_week(reporting))
with controls[1]:
    slide = int(linked_choice(st.selectbox, "Slide", numbers, key="slide", default="1",
                              format_func=lambda n: f"{n}. {SLIDES[int(n) - 1]}"))
controls[2].button("Previous", disabled=slide == 1, width="stretch", icon=":material/arrow_back:",
                   on_click=select_in_url, args=("slide", str(slide - 1)), key="previous_slide")
controls[3].button("Next", disabled=slide == len(SLIDES), width="stretch", icon=":material/arrow_forward:",
                   on_click=select_in_url, args=("slide", str(slide + 1)), key="next_slide")
with controls[4]:
    st.download_button("Download the pack (PowerPoint)", data.briefing_pack(week, wider_circulation()),
                       f"oic_briefing_week_ending_{week.isoformat()}.pptx", icon=":material/slideshow:",
                       mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")

briefing = data.weekly_briefing(week)
with st.container(border=True):
    views.SLIDE_VIEWS[slide - 1](briefing)
    views.slide_footer(slide, len(SLIDES), briefing)
share_link()
