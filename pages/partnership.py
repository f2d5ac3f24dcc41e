"""Partnership and intelligence: are the agencies working together?"""
import streamlit as st

from taskforce.ui import partnership_views as views
from taskforce.ui.controls import linked_choice, share_link
from taskforce.ui.frame import guard
from taskforce.ui.trend_views import period_and_range

guard()

st.title("Partnership and intelligence")
period, first, last, span = period_and_range()
sections = {
    "Intelligence sharing": views.intelligence,
    "Co-ordinated tasking": views.tasking,
    "Migrant debriefing": views.debriefing,
    "Crime groups": views.crime_groups,
}
section = linked_choice(st.segmented_control, "Section", list(sections), key="section",
                        default="Intelligence sharing")
sections[section](period, first, last)

share_link()
