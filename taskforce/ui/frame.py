"""The frame every page sits in: the protective marking, the sign-in guard and the demo-data notice.

Every page calls `guard()` first. It depends on nothing `dashboard.py` sets up, because a page opened
directly by its URL on a freshly started server can run without `dashboard.py`.
"""
from __future__ import annotations

import html
from pathlib import Path

import streamlit as st

from taskforce.config import protective_marking
from taskforce.formatting import format_date
from taskforce.ui import data

PAGE_TITLE = "OIC Taskforce dashboard"
# A local image: a Material icon as page icon would be fetched from Google's font servers.
FAVICON = Path(__file__).with_name("favicon.png")
BANNER_CSS = """
<style>
.marking-banner { background: #3D3D3D; color: #ffffff; text-align: center; font-weight: 700;
  letter-spacing: 0.08em; padding: 0.3rem 0.5rem; border-radius: 0.25rem; font-size: 1rem; }
</style>
"""


def sign_in_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an [auth] section for st.login."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


WRITER_ROLES = {"analyst", "admin"}


def current_user() -> str:
    """Who is making a change, as recorded with it."""
    if sign_in_configured() and st.user.is_logged_in:
        return str(st.user.get("email") or st.user.get("name") or "signed-in user")
    return "demo user (sign-in not configured)"


def may_record_updates() -> bool:
    """Analysts and admins record changes; in demo mode (no sign-in configured) everyone may."""
    if not sign_in_configured():
        return True
    if not st.user.is_logged_in:
        return False
    roles = st.user.get("roles") or []
    return bool(WRITER_ROLES & set([roles] if isinstance(roles, str) else roles))


def may_change_settings() -> bool:
    """Administrators change settings such as targets; in demo mode (no sign-in configured) everyone may."""
    if not sign_in_configured():
        return True
    roles = st.user.get("roles") or [] if st.user.is_logged_in else []
    return "admin" in ([roles] if isinstance(roles, str) else roles)


def marking_banner() -> None:
    # The marking is set by the administrator, never by a user; it is escaped all the same.
    st.html(f'{BANNER_CSS}<div class="marking-banner" role="note">{html.escape(protective_marking())}</div>')


def _sign_in_gate() -> None:
    """Stop the page, with nothing from the data on it, when sign-in is configured and nobody is signed in."""
    if not sign_in_configured() or st.user.is_logged_in:
        return
    st.title(PAGE_TITLE)
    st.info("Sign in with your police account to see the dashboard.")
    st.button("Sign in", on_click=st.login, type="primary")
    st.stop()


def _demo_notice(status) -> None:
    if bool(status["demo_loaded"]):
        st.warning(
            "**Demo data.** Every figure on this page is synthetic, made by the demo generator to look like "
            "real weekly returns. It is not police information and must not be briefed as such.",
            icon=":material/science:",
        )


def _sidebar_status(status) -> None:
    with st.sidebar:
        last_week = status["last_week"]
        st.caption(f"Returns to week ending {format_date(last_week) if last_week is not None else 'none'}")
        if not sign_in_configured():
            st.caption("Sign-in not configured: the dashboard is open to anyone who can reach it.")


def guard() -> None:
    """The first call of every page: marking, sign-in, then (only after both) the demo-data notice."""
    # Again here, for a page opened by its URL before dashboard.py has run on a fresh server.
    st.set_page_config(page_title=PAGE_TITLE, page_icon=str(FAVICON), layout="wide")
    marking_banner()
    _sign_in_gate()
    status = data.query("data_status").iloc[0]
    _demo_notice(status)
    _sidebar_status(status)
