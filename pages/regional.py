"""Regional activity: where in the country OIC activity is, and where it is not."""
import streamlit as st

from taskforce.maps import describe_map
from taskforce.ui.controls import share_link
from taskforce.ui.frame import guard
from taskforce.ui import regional_views as views
from taskforce.map_layers import force_rows

guard()

st.title("Regional activity")
code, basis, level, view, period = views.controls()
item, forces, table, classes = views.map_data(code, basis, level, period)
map_column, table_column = st.columns([3, 2])
with map_column:
    clicked = views.draw_map(view, force_rows(table, forces, level))
    views.legend(classes, basis, item)
    st.caption(describe_map(table, item, basis, level, *period))
with table_column:
    views.area_table(table, item, basis, level, period)
    st.caption(f"About this measure: {item.definition}")
chosen = views.profile_picker(forces, clicked)
if chosen:
    views.force_profile(chosen, period)

share_link()
