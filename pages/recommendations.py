"""Recommendations tracker: the 10 HMICFRS recommendations, their history, milestones and forces."""
import datetime as dt

import streamlit as st

from taskforce.ui import data
from taskforce.ui import recommendations as views
from taskforce.ui.controls import linked_choice, share_link
from taskforce.ui.frame import guard

guard()

st.title("Recommendations")
today = dt.date.today()  # status reports are dated by their authors, not by the weekly returns
recommendations = data.query("recommendation_status", {"as_of": today})
if recommendations["illustrative"].any():
    st.info("These recommendations are **illustrative**, written from the inspection's published themes, until an "
            "administrator loads the official wording.", icon=":material/edit_note:")
view = linked_choice(st.segmented_control, "View", ["List", "Recommendation", "Force matrix", "Progress and forecast"],
                     key="view", default="List", label_visibility="collapsed")
if view == "List":
    views.render_list(recommendations)
elif view == "Recommendation":
    numbers = [str(n) for n in recommendations["number"]]
    titles = dict(zip(numbers, recommendations["short_title"]))
    chosen = linked_choice(st.selectbox, "Recommendation", numbers, key="rec", default=numbers[0],
                           format_func=lambda n: f"{n}. {titles[n]}")
    views.render_detail(recommendations.set_index(recommendations["number"].astype(str)).loc[chosen], today)
elif view == "Force matrix":
    views.render_matrix(today)
else:
    views.render_progress(recommendations, today)

share_link()
