"""Controls whose value is held in the URL, so a copied link opens the same view."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError
from streamlit.runtime.scriptrunner import get_script_run_ctx

from taskforce.core.formats import format_date
from taskforce.ui.presenting import presenting
from taskforce.ui.text import escape_markdown


def linked_choice(
    widget: Callable,
    label: str,
    options: Sequence[str],
    key: str,
    default: str,
    format_func: Callable[[str], str] = str,
    **widget_options,
) -> str:
    """A single choice (selectbox, segmented control, radio) held in the URL as ?key=value.

    A value in the URL wins when the URL changed since the last run (a pasted link); otherwise the widget's
    own value stands and is written back to the URL. A value that is not an option falls back to default."""
    options = list(options)
    _forget_another_controls_state(key, widget)
    requested = st.query_params.get(key)
    synced_key = f"_{key}_in_url"
    if requested in options and requested != st.session_state.get(synced_key):
        st.session_state[key] = requested
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    chosen = widget(label, options, key=key, format_func=format_func, **widget_options)
    if chosen is None:  # a segmented control can be cleared by clicking its selected option
        chosen = st.session_state[key] = default
    if st.query_params.get(key) != chosen:  # each write is a message to the browser, so only a change
        st.query_params[key] = chosen
    st.session_state[synced_key] = chosen
    return chosen


ON, OFF = "on", "off"


def linked_toggle(label: str, key: str, default: bool, **widget_options) -> bool:
    """A switch held in the URL as ?key=on or ?key=off, the same way as a linked choice: a pasted link's value
    wins, otherwise the switch's own value stands and is written back."""
    _forget_another_controls_state(key, st.toggle)
    requested, synced_key = st.query_params.get(key), f"_{key}_in_url"
    if requested in (ON, OFF) and requested != st.session_state.get(synced_key):
        st.session_state[key] = requested == ON
    if not isinstance(st.session_state.get(key), bool):
        st.session_state[key] = default
    chosen = bool(st.toggle(label, key=key, **widget_options))
    word = ON if chosen else OFF
    if st.query_params.get(key) != word:
        st.query_params[key] = word
    st.session_state[synced_key] = word
    return chosen


def _forget_another_controls_state(key: str, widget: Callable) -> None:
    """Pages share URL names for their controls (?period= on the trends and partnership pages, ?measure= on
    the trends and regional pages), and Streamlit keeps a control's state by its key from page to page. A
    control handed the state of another page's control (of another kind, or drawn in a fragment) returned
    nothing, and the page failed: so a key last used by a control on another page starts afresh here, from
    the URL or the default."""
    owner_key, owner = f"_{key}_control", f"{_page_hash()}:{widget.__name__}"
    if st.session_state.get(owner_key) not in (None, owner) and key in st.session_state:
        del st.session_state[key]
        # and what the other page last wrote to the URL, so a link that carries the value (?force=kent from
        # the Regional page to a force's own view) is taken here rather than read as already seen
        st.session_state.pop(f"_{key}_in_url", None)
    st.session_state[owner_key] = owner


def _page_hash() -> str:
    context = get_script_run_ctx()
    return context.page_script_hash if context else ""


def select_in_url(key: str, value: str) -> None:
    """Move a linked choice to a value from code (for example after a click elsewhere on the page)."""
    st.session_state[key] = value
    st.query_params[key] = value
    st.session_state[f"_{key}_in_url"] = value


def week_selector(weeks: list[dt.date], default: dt.date, key: str = "week", label: str = "Week ending") -> dt.date:
    """A week picker shown in UK format and held in the URL as ?week=YYYY-MM-DD."""
    chosen = linked_choice(
        st.selectbox,
        label,
        [week.isoformat() for week in weeks],
        key,
        default.isoformat(),
        format_func=lambda iso: format_date(dt.date.fromisoformat(iso)),
    )
    return dt.date.fromisoformat(chosen)


def linked_multiselect(
    label: str, options: Sequence[str], key: str, format_func: Callable[[str], str] = str, **widget_options
) -> list[str]:
    """A multiple choice held in the URL as ?key=a,b,c (unknown values in a pasted link are dropped)."""
    options = list(options)
    requested = st.query_params.get(key)
    synced_key = f"_{key}_in_url"
    if requested is not None and requested != st.session_state.get(synced_key):
        st.session_state[key] = [value for value in requested.split(",") if value in options]
    chosen = st.multiselect(label, options, key=key, format_func=format_func, **widget_options)
    joined = ",".join(chosen)
    if joined:
        st.query_params[key] = joined
    elif key in st.query_params:
        del st.query_params[key]
    st.session_state[synced_key] = joined
    return chosen


def link_to_view(page: str, label: str, params: dict[str, str], icon: str | None = None) -> None:
    """A link to another page's view with its choices in the URL (pages/`page`.py?key=value). A page run on
    its own (as in AppTest, or before dashboard.py has run on a fresh server) has no pages registered to link
    to: the same address is then written as a plain link."""
    try:
        st.page_link(f"pages/{page}.py", label=label, icon=icon, query_params=params)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{escape_markdown(label)}](/{page}?{urlencode(params)})")


def share_link() -> None:
    """The address of this exact view (every choice is in the URL), with a copy button, to send a colleague.
    In a popover: its code box loads a syntax highlighter and a monospace font, which a new tab need not wait
    for. Not on a slide being presented."""
    if presenting():
        return
    base = st.context.url or ""
    query = urlencode(st.query_params.to_dict())
    with st.container(key="share_link"), st.popover("Link to this view", icon=":material/link:"):
        st.caption("Copy it to share exactly what you see:")
        st.code(f"{base}?{query}" if query else base, language=None, wrap_lines=True)
