"""Every file leaving the dashboard goes through `download_file`, which remembers the role of the page that made
it: with sign-in configured the server hands a file out only to a current sign-in of that role (ui/server.py).
Every CSV carries the protective marking on its first line, and (when the user chooses "for wider
circulation") small counts suppressed with a note saying so."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable

import pandas as pd
import streamlit as st

from taskforce.core import disclosure
from taskforce.core.access import ROLES, at_least
from taskforce.core.config import protective_marking
from taskforce.core.spreadsheet import neutralise, safe_file_name

WIDER_CIRCULATION_KEY = "wider_circulation"
PAGE_ROLE_KEY = "taskforce_page_role"  # the role the page being run needs, set by the frame's guard


class FilesMade:
    """The role each file made for download needs, by the SHA-256 of its bytes (Streamlit names a stored file by
    its contents too). The newest few thousand are kept; a file forgotten is refused until its button is pressed
    again, which remembers it again."""

    KEPT = 4096

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.roles: OrderedDict[bytes, str] = OrderedDict()

    def remember(self, content: bytes, role: str) -> None:
        """Two pages that made the same bytes: the lesser role, which could have the same file from its page."""
        digest = hashlib.sha256(content).digest()
        with self.lock:
            known = self.roles.pop(digest, None)
            self.roles[digest] = role if known is None or at_least(known, role) else known
            while len(self.roles) > self.KEPT:
                self.roles.popitem(last=False)

    def role_needed(self, content: bytes) -> str | None:
        """The role the page that made these bytes needs; None for a file no page made here."""
        with self.lock:
            return self.roles.get(hashlib.sha256(content).digest())


FILES_MADE = FilesMade()


def files_made_here_need(role: str) -> None:
    """Called by the frame's guard: files this page makes are for this role and above."""
    st.session_state[PAGE_ROLE_KEY] = role


def download_file(label: str, content: bytes | Callable[[], bytes], file_name: str, mime: str, **options) -> None:
    """A download button. `content` is the file, or a function that writes it when the button is pressed; either
    way it is remembered with the role of this page (the strictest role if no guard has said)."""
    role = str(st.session_state.get(PAGE_ROLE_KEY, ROLES[-1]))
    if callable(content):
        content = _remembered_when_written(content, role)
    else:
        FILES_MADE.remember(content, role)
    # A press does not rerun the page: a rerun would give the button a new deferred file and revoke the one the
    # press is fetching, so on a busy server the file can be lost ("a click that still holds the old id fails").
    options.setdefault("on_click", "ignore")
    st.download_button(label, content, safe_file_name(file_name), mime=mime, **options)


def _remembered_when_written(write: Callable[[], bytes], role: str) -> Callable[[], bytes]:
    def written() -> bytes:
        content = write()
        FILES_MADE.remember(content, role)
        return content

    return written


def wider_circulation() -> bool:
    return bool(st.session_state.get(WIDER_CIRCULATION_KEY, False))


def wider_circulation_toggle() -> None:
    st.toggle(
        "For wider circulation",
        key=WIDER_CIRCULATION_KEY,
        help=disclosure.note() + " It applies to the regional map and table, trend charts by region or force, "
        "every download and the briefing pack.",
    )


def csv_bytes(
    frame: pd.DataFrame,
    count_columns: list[str] | None = None,
    wider: bool = False,
    derived_columns: list[str] | None = None,
    released: bool = False,
) -> bytes:
    """The marking on the first line; for wider circulation, small counts hidden and a line saying so. Every
    cell and column name a spreadsheet would run as a formula is made inert (values from uploads and reports
    reach these files). `released`: the frame is already protected (read from the release, [c] where hidden),
    so it is written as it is, with the note."""
    lines = [f"# {protective_marking()}"]
    if wider:  # every wider file says how it is protected, whether its figures came from the release or not
        lines.append(f"# {disclosure.note()}")
    if wider and count_columns and not released:
        frame = disclosure.suppress(frame, count_columns, derived_columns=derived_columns)
    safe = frame.map(neutralise).rename(columns=lambda name: neutralise(str(name)))
    return ("\n".join(lines) + "\n").encode() + safe.to_csv(index=False).encode()


def download_csv(
    label: str,
    frame: pd.DataFrame,
    file_name: str,
    key: str | None = None,
    count_columns: list[str] | None = None,
    derived_columns: list[str] | None = None,
    released: bool = False,
) -> None:
    """The file is written when the button is pressed (deferred), not on every rerun of the page."""
    wider = wider_circulation()

    def written() -> bytes:
        return csv_bytes(frame, count_columns, wider, derived_columns, released)

    download_file(label, written, file_name, "text/csv", icon=":material/download:", key=key)
