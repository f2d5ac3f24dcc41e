"""Which requests for a file the server answers, decided at the request (ui/server.py's middleware calls it).

Streamlit serves every file a page makes (a download, an image) at `/media/<id>`, where the id is a digest of the
file's bytes, to anyone who asks: its media route reads no cookie. With sign-in configured, a request for a file
is answered only when it carries Streamlit's sign-in cookie, signed with this installation's `cookie_secret`
and made for this dashboard's address, for a sign-in that is current (within the session hours of the ID
token's issue), not signed out (store/sign_outs.py) and of the role the page that made the file needs
(ui/downloads.py remembers it). A file no page of ours made is refused. The agent API, which drives the app
without the cookie, is refused outright. Without sign-in (the demo), every file is served as before.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from streamlit import config, runtime
from streamlit.auth_util import get_cookie_with_chunks, get_origin_from_redirect_uri
from streamlit.web.server.server_util import get_cookie_secret
from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value
from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

from taskforce.core.access import ROLES, AccessPolicy, may_fetch_file
from taskforce.core.config import database_path
from taskforce.store.sign_outs import is_signed_out
from taskforce.ui.downloads import FILES_MADE
from taskforce.ui.sign_in import access_policy, sign_in_configured

FILES = "media"  # Streamlit's route for the files pages make
AGENT_API = ("_stcore", "agent")  # Streamlit's API for programs, which reads no sign-in cookie
REFUSED = 403


@dataclass(frozen=True)
class SignIn:
    """How this installation signs its sign-in cookies and whom it lets in."""

    cookie_secret: str
    origin: str | None
    policy: AccessPolicy


def sign_in_settings() -> SignIn | None:
    """None when sign-in is not configured (the demo): then every file is served as before."""
    if not sign_in_configured():
        return None
    return SignIn(get_cookie_secret(), get_origin_from_redirect_uri(), access_policy())


def refusal(path: str, cookies: Mapping[str, str], settings: SignIn | None) -> int | None:
    """The status to refuse this request with, or None to let it through to Streamlit."""
    route = app_route(path)
    if settings is None or not is_file_route(route):
        return None
    if tuple(route[:2]) == AGENT_API:
        return REFUSED
    stored = stored_file("/".join(route[1:]))
    # A file that is not there needs a viewer, so that only a signed-in user learns which files exist.
    required = ROLES[0] if stored is None else FILES_MADE.role_needed(stored)
    claims = sign_in_claims(cookies, settings)
    allowed = may_fetch_file(claims, settings.policy, time.time(), _signed_out, required)
    return None if allowed else REFUSED


def app_route(path: str) -> list[str]:
    """The path's segments after `server.baseUrlPath`, empty ones dropped."""
    segments = [segment for segment in path.split("/") if segment]
    base = [segment for segment in str(config.get_option("server.baseUrlPath") or "").split("/") if segment]
    return segments[len(base) :] if segments[: len(base)] == base else segments


def is_file_route(route: list[str]) -> bool:
    """A route that hands out a file a page made: the files themselves, and the agent API."""
    return route[:1] == [FILES] or tuple(route[:2]) == AGENT_API


def stored_file(file_id: str) -> bytes | None:
    """The bytes Streamlit holds under this id, if any."""
    manager = runtime.get_instance().media_file_mgr
    stored = manager.read_file(file_id) if manager.can_read_files else None
    return None if stored is None else stored.content


def sign_in_claims(cookies: Mapping[str, str], settings: SignIn) -> dict[str, Any] | None:
    """The claims in Streamlit's sign-in cookie (split over several cookies when it is long), or None when
    there is none, its signature does not verify with this installation's secret (forged, or older than the
    31 days Streamlit allows), or it was made for another address."""

    def one_cookie(name: str) -> bytes | None:
        value = cookies.get(name)
        return None if value is None else decode_signed_value(settings.cookie_secret, name, value.encode("latin-1"))

    decoded = get_cookie_with_chunks(one_cookie, USER_COOKIE_NAME)
    try:
        claims = json.loads(decoded) if decoded else None
    except ValueError:
        return None
    if not isinstance(claims, dict) or not settings.origin or claims.get("origin") != settings.origin:
        return None
    return claims


def _signed_out(subject: str, issued_at: int) -> bool:
    return is_signed_out(database_path(), subject, issued_at)
