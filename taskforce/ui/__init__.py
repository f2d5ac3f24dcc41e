"""Streamlit-only helpers: the frame, cached query wrappers, cards and controls."""
