"""The settings the dashboard reads from .streamlit/secrets.toml, checked before anything uses them: the server
refuses to start on a setting that is not of its kind (taskforce/ui/server.py), and every page's guard refuses
to run (so a page run without that server, as in AppTest, says so too)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
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
    """What is wrong with the settings we read, as a sentence naming the file or the key; None when nothing is."""
    return unreadable_settings_file() or access_settings_problem(secrets_section("taskforce_access"))


def unreadable_settings_file() -> str | None:
    """A secrets file that is there but is not TOML, named with the error. Streamlit reads such a file as no
    secrets at all, which would leave sign-in unconfigured and a demo store open to anyone."""
    for name in st.get_option("secrets.files"):
        path = Path(name)
        if path.suffix != ".toml":
            continue
        try:
            tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            continue
        except (OSError, ValueError) as error:  # tomllib.TOMLDecodeError and UnicodeDecodeError are ValueErrors
            return f"the settings file {path} is not valid TOML ({error})."
    return None


def refuse_to_start_on_wrong_settings() -> None:
    problem = settings_problem()
    if problem:
        raise SystemExit(f"The dashboard does not start: {problem}")
