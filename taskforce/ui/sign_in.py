"""This installation's sign-in settings, from .streamlit/secrets.toml: whether sign-in is configured, and who may
do what. The frame (every page) and the server's file guard (every download) read them here."""

from __future__ import annotations

import streamlit as st

from taskforce.core.access import AccessPolicy, policy_from
from taskforce.ui.settings import secrets_section


def sign_in_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def access_policy() -> AccessPolicy:
    """The [taskforce_access] settings from .streamlit/secrets.toml (defaults when there are none; a setting of
    the wrong kind raises, and the server and the guard have refused to run before that)."""
    return policy_from(secrets_section("taskforce_access"))
