"""The settings the dashboard reads from .streamlit/secrets.toml, checked before anything uses them: the server
refuses to start on a setting that is not of its kind (taskforce/ui/server.py), and every page's guard refuses
to run (so a page run without that server, as in AppTest, says so too)."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import streamlit as st

from taskforce.core.access import access_settings_problem


def secrets_section(name: str) -> Mapping[str, Any] | None:
    """One section of the secrets file; None when the section or the whole file is missing."""
    try:
        return st.secrets.get(name)
    except FileNotFoundError:  # no secrets file at all
        return None


def settings_problem() -> str | None:
    """What is wrong with the settings we read, as a sentence naming the key; None when nothing is."""
    return access_settings_problem(secrets_section("taskforce_access"))


def refuse_to_start_on_wrong_settings() -> None:
    problem = settings_problem()
    if problem:
        raise SystemExit(f"The dashboard does not start: {problem}")
