"""Weekly returns: load files, see who has returned, and the audit log."""
import streamlit as st

from taskforce.access import page_role
from taskforce.ui import returns_views as views
from taskforce.ui.controls import linked_choice, share_link
from taskforce.ui.frame import guard

guard(page_role("returns"))

st.title("Weekly returns")
sections = {
    "Load a return": views.load_section,
    "Completeness": views.completeness_section,
    "Audit log": views.audit_section,
    "Templates": views.templates_section,
}
section = linked_choice(st.segmented_control, "Section", list(sections), key="section", default="Completeness")
sections[section]()

share_link()
