"""The frame every page sits in: the protective marking, the sign-in guard and the demo-data notice.

Every page calls `guard()` first. It depends on nothing `dashboard.py` sets up, because a page opened
directly by its URL on a freshly started server can run without `dashboard.py`.
"""

from __future__ import annotations

import base64
import html
import logging
import time
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from taskforce.core.access import (
    at_least,
    may_update_action,
    organisation_for,
    page_role,
    role_for,
    session_expired,
    sign_in_key,
)
from taskforce.core.calendar import london_now
from taskforce.core.config import database_path, protective_marking
from taskforce.measures import palette
from taskforce.store.sign_outs import SignOutNotRecorded, is_signed_out, record_sign_out
from taskforce.ui import data
from taskforce.ui.downloads import files_made_here_need, wider_circulation_toggle
from taskforce.ui.presenting import presenting
from taskforce.ui.settings import settings_problem
from taskforce.ui.sign_in import access_policy, sign_in_configured
from taskforce.ui.styles import CONTROLS_ANCHOR, LAYOUT_CSS
from taskforce.ui.text import escape_markdown

LOG = logging.getLogger(__name__)
PAGE_TITLE = "OIC Taskforce dashboard"
SIGN_OUT_NOT_RECORDED = (
    "**Your sign-out could not be recorded on the server**, so a copy of this sign-in's cookie may still work. "
    "You are still signed in here. Press Sign out again in a few minutes; if it fails again, tell the taskforce's "
    "administrator (the server could not write its list of sign-outs) and do not leave this browser unattended "
    "until it is mended."
)
# A local image: a Material icon as page icon would be fetched from Google's font servers. As a data: URL, so it is
# no file on the server: with sign-in configured the server hands out no file to a visitor not signed in.
FAVICON = "data:image/png;base64," + base64.b64encode(Path(__file__).with_name("favicon.png").read_bytes()).decode()
BANNER_CSS = f"""
<style>
.marking-banner {{ background: {palette.MARKING_BANNER}; color: {palette.WHITE}; text-align: center; font-weight: 700;
  letter-spacing: 0.08em; padding: 0.1rem 0.5rem; border-radius: 0.25rem; font-size: 0.9rem; line-height: 1.4; }}
a:focus-visible, button:focus-visible, input:focus-visible, [role="radio"]:focus-visible, [tabindex]:focus-visible {{
  outline: 3px solid {palette.FOCUS} !important; box-shadow: 0 4px 0 0 {palette.TEXT} !important; }}
{LAYOUT_CSS}
</style>
"""


def _demo_only() -> bool:
    loaded = data.query("what_is_loaded").iloc[0]
    return bool(loaded["demo_loaded"])


def current_role() -> str | None:
    """The role of whoever is using this session, worked out afresh (writes call it where they write).
    Without sign-in: everyone is an administrator of a demo database; on a live one, a viewer if the
    administrator allows anonymous access, else nobody."""
    if sign_in_configured():
        return role_for(st.user.to_dict(), access_policy()) if signed_in() else None
    if _demo_only():
        return "admin"
    return "viewer" if access_policy().allow_anonymous else None


def current_user() -> str:
    """Who is making a change, as recorded with it."""
    if sign_in_configured() and signed_in():
        return str(st.user.get("email") or st.user.get("name") or "signed-in user")
    return "demo user (sign-in not configured)"


def current_organisation() -> str | None:
    """The organisation of whoever is signed in ([taskforce_access] organisations); None without sign-in."""
    if sign_in_configured() and signed_in():
        return organisation_for(st.user.to_dict(), access_policy())
    return None


def may_update_action_of(owner_org: str) -> bool:
    """The owner or an analyst updates an action: worked out afresh where it writes."""
    return may_update_action(current_role(), current_organisation(), owner_org)


def may_record_updates() -> bool:
    """Analysts and admins load returns and record status reports."""
    return at_least(current_role(), "analyst")


def may_record(problems: list[str], what: str) -> bool:
    """Whether a form's entry may be written: every problem with it listed (escaped), and the role checked again
    where it writes, not only when the form was drawn. `what`: "action", "status report"."""
    if problems:
        st.error(f"The {what} was not recorded:\n\n" + "\n".join(f"- {escape_markdown(p)}" for p in problems))
        return False
    if not may_record_updates():
        st.error(f"Only analysts and administrators can record {what}s.")
        return False
    return True


def may_change_settings() -> bool:
    """Administrators change settings such as targets."""
    return at_least(current_role(), "admin")


def marking_banner() -> None:
    # The marking is set by the administrator, never by a user; it is escaped all the same.
    st.html(f'{BANNER_CSS}<div class="marking-banner" role="note">{html.escape(protective_marking())}</div>')


def _signed_out_here() -> bool:
    """True when this sign-in was signed out: its cookie may still be presented, but it is refused."""
    key = sign_in_key(st.user.to_dict())
    return key is not None and is_signed_out(database_path(), *key)


def signed_in() -> bool:
    return bool(st.user.is_logged_in) and not _signed_out_here()


def sign_out() -> None:
    """Record the sign-out on the server, in the list beside the store (so a copy of the cookie is refused from
    now on, by every server, and no snapshot is published), then sign out. A sign-out the server could not
    record is not made in the browser alone: the page says so (`_sign_out_failure`) and the user stays in."""
    key = sign_in_key(st.user.to_dict())
    if key is not None:
        try:
            record_sign_out(database_path(), *key, london_now())
        except SignOutNotRecorded as failed:
            LOG.error("%s", failed)
            st.session_state["sign_out_not_recorded"] = True
            return
    st.logout()


def _sign_out_failure() -> None:
    """Once, on the page after a sign-out the server could not record."""
    if st.session_state.pop("sign_out_not_recorded", False):
        st.error(SIGN_OUT_NOT_RECORDED, icon=":material/error:")


def _sign_in_gate() -> str | None:
    """Stop the page, with nothing from the data on it, unless whoever is here may see it; return the role."""
    if sign_in_configured():
        if not signed_in():
            st.title(PAGE_TITLE)
            st.info("Sign in with your police account to see the dashboard.")
            st.button("Sign in", on_click=st.login, type="primary")
            st.stop()
        if _session_expired():
            st.info("Your session has ended. Sign in again to carry on.")
            st.button("Sign in again", on_click=sign_out, type="primary")
            st.stop()
    role = current_role()
    if role is None and sign_in_configured():
        st.error("Your account has no access to this dashboard. Ask the taskforce's administrator for a role.")
        st.button("Sign out", on_click=sign_out)
        st.stop()
    if role is None:
        st.error(
            "This is a live database, so the dashboard needs sign-in, which is not configured. The "
            "administrator configures sign-in in .streamlit/secrets.toml (or, knowingly, allows anonymous "
            "access there)."
        )
        st.stop()
    return role


def _refuse_wrong_settings() -> None:
    """Stop the page, with nothing from the data on it, while a setting is not of its kind (the server refuses
    to start then; this covers a page run any other way)."""
    problem = settings_problem()
    if problem:
        st.error(f"The dashboard cannot run: {problem} The administrator corrects .streamlit/secrets.toml.")
        st.stop()


def _session_expired() -> bool:
    """Sessions end after the policy's hours (default 12), counted from the token's issue time."""
    issued = st.user.get("iat") or st.session_state.setdefault("signed_in_at", time.time())
    return session_expired(issued, time.time(), access_policy())


def _demo_notice(status) -> None:
    if bool(status["demo_loaded"]) and presenting():  # one line on a slide, which also says so in its footer
        st.caption(":material/science: **Demo data**: every figure is synthetic, not police information.")
    elif bool(status["demo_loaded"]):  # one thin line: the page's message comes first
        st.warning(
            "**Demo data.** Every figure is synthetic (a file loaded into it is practice): not police "
            "information, never to be briefed as such.",
            icon=":material/science:",
        )


def _skip_link() -> None:
    """The first thing a keyboard reaches: a link past the menu to where the page's controls begin (Streamlit's
    own "Skip to main content" is hidden, as it lands before the marking and the notice)."""
    st.html(f'<a class="skip-link" href="#{CONTROLS_ANCHOR}">Skip to the controls</a>')


def _controls_anchor() -> None:
    st.html(f'<div id="{CONTROLS_ANCHOR}" tabindex="-1"></div>')


def _phone_menu(role: str) -> None:
    """On a phone the sidebar is folded away behind an unlabelled arrow: the pages are offered instead by a
    button that says "Menu" (styles.LAYOUT_CSS shows it below 640 px wide only)."""
    with st.container(key="phone_menu"), st.popover("Menu", icon=":material/menu:"):
        page_menu(role)


def _sidebar_status(status, role: str) -> None:
    with st.sidebar:
        _skip_link()
        page_menu(role)
        st.divider()
        wider_circulation_toggle()
        st.caption(f"{data.release().position.words()}  \nData: {data.current_snapshot().label}")
        if sign_in_configured():
            st.caption(escape_markdown(f"Signed in as {current_user()} ({role})."))
            st.button("Sign out", on_click=sign_out, key="sign_out")
        elif not bool(status["demo_loaded"]):
            st.warning(
                "Anonymous access is allowed by the administrator: anyone who can reach this dashboard sees it.",
                icon=":material/lock_open:",
            )
        else:
            st.caption("Sign-in not configured: the dashboard is open to anyone who can reach it, with demo data.")


def guard(page: str) -> str:
    """The first call of every page (`page` is its file name in pages/): marking, sign-in and role, then (only
    after both) the demo-data notice. Returns the role of whoever is using the page."""
    required = page_role(page)
    files_made_here_need(required)
    # Again here, for a page opened by its URL before dashboard.py has run on a fresh server.
    st.set_page_config(page_title=PAGE_TITLE, page_icon=FAVICON, layout="wide")
    marking_banner()
    _refuse_wrong_settings()
    _sign_out_failure()
    role = _sign_in_gate()
    if not at_least(role, required):
        st.title(next((title for name, title, _ in PAGES if name == page), PAGE_TITLE))
        st.warning(f"This page is for the {required} role and above; yours is {role}.")
        st.stop()
    loaded = data.query("what_is_loaded").iloc[0]
    _demo_notice(loaded)
    _sidebar_status(loaded, role)
    _phone_menu(role)
    _controls_anchor()
    return role


# Every page: its file in pages/, its title and its icon, in the order the navigation offers them.
PAGES = [
    ("overview", "Weekly overview", ":material/dashboard:"),
    ("briefing", "Weekly briefing", ":material/slideshow:"),
    ("recommendations", "Recommendations", ":material/checklist:"),
    ("regional", "Regional activity", ":material/map:"),
    ("force", "A force's own view", ":material/local_police:"),
    ("trends", "Arrests and charges", ":material/trending_up:"),
    ("partnership", "Partnership", ":material/handshake:"),
    ("returns", "Weekly returns", ":material/upload_file:"),
    ("about", "About the data", ":material/info:"),
]


def _offered(role: str | None) -> list[tuple[str, str, str]]:
    return [(name, title, icon) for name, title, icon in PAGES if at_least(role or "viewer", page_role(name))]


def navigation() -> None:
    """Register the pages whoever is here may open and run the one they chose. Streamlit's own menu is hidden:
    the frame draws the menu (`page_menu`), so it is the same whether or not this has run yet."""
    offered = [
        st.Page(f"pages/{name}.py", title=title, icon=icon, default=name == "overview")
        for name, title, icon in _offered(current_role())
    ]
    st.navigation(offered, position="hidden").run()


def page_menu(role: str) -> None:
    """The menu of pages, by title, for this role. On a freshly started server a shared link can open a page
    before dashboard.py has ever run (Streamlit then serves pages/ itself, and its own menu would list file
    names), so the frame draws the menu in both cases. A page run on its own (as in AppTest) has no other
    pages to link to, and no menu."""
    try:
        for name, title, icon in _offered(role):
            st.page_link(f"pages/{name}.py", label=title, icon=icon)
    except StreamlitPageNotFoundError:
        return
