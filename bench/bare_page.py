"""The baseline page for the cold-start benchmark: Streamlit with nothing of ours, one heading."""

import streamlit as st

st.title("Baseline")
