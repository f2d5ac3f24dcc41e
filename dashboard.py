"""Entry point: the page set-up and the navigation. Each page draws the frame itself (see taskforce.ui.frame)."""
import streamlit as st

from taskforce.ui.frame import FAVICON, PAGE_TITLE

st.set_page_config(page_title=PAGE_TITLE, page_icon=str(FAVICON), layout="wide")

pages = [
    st.Page("pages/overview.py", title="Weekly overview", icon=":material/dashboard:", default=True),
    st.Page("pages/briefing.py", title="Weekly briefing", icon=":material/slideshow:"),
    st.Page("pages/recommendations.py", title="Recommendations", icon=":material/checklist:"),
    st.Page("pages/regional.py", title="Regional activity", icon=":material/map:"),
    st.Page("pages/trends.py", title="Arrests and charges", icon=":material/trending_up:"),
    st.Page("pages/partnership.py", title="Partnership", icon=":material/handshake:"),
    st.Page("pages/returns.py", title="Weekly returns", icon=":material/upload_file:"),
    st.Page("pages/about.py", title="About the data", icon=":material/info:"),
]
st.navigation(pages).run()
