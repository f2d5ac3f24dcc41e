"""Entry point: the page set-up and the navigation, offering each role its pages. Each page draws the frame
itself and checks access again (taskforce.ui.frame), so a page opened by its URL is guarded too."""

import streamlit as st

from taskforce.ui.frame import FAVICON, PAGE_TITLE, navigation

st.set_page_config(page_title=PAGE_TITLE, page_icon=str(FAVICON), layout="wide")
navigation()
