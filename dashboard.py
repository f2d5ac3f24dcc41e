"""Entry point: the page set-up and the navigation, offering each role its pages. Each page draws the frame
itself and checks access again (see taskforce.ui.frame), so a page opened by its URL is guarded too."""
import streamlit as st

from taskforce.access import at_least, page_role
from taskforce.ui.frame import FAVICON, PAGE_TITLE, current_role

st.set_page_config(page_title=PAGE_TITLE, page_icon=str(FAVICON), layout="wide")

PAGES = [
    ("overview", "Weekly overview", ":material/dashboard:"),
    ("briefing", "Weekly briefing", ":material/slideshow:"),
    ("recommendations", "Recommendations", ":material/checklist:"),
    ("regional", "Regional activity", ":material/map:"),
    ("trends", "Arrests and charges", ":material/trending_up:"),
    ("partnership", "Partnership", ":material/handshake:"),
    ("returns", "Weekly returns", ":material/upload_file:"),
    ("about", "About the data", ":material/info:"),
]
role = current_role()
offered = [st.Page(f"pages/{name}.py", title=title, icon=icon, default=name == "overview")
           for name, title, icon in PAGES if at_least(role or "viewer", page_role(name))]
st.navigation(offered).run()
