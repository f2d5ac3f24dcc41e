"""The dashboard as an ASGI application (Streamlit's `st.App`), so that every response carries our security
headers and no request from a foreign site reaches Streamlit's own origin check. `make run` and the tests serve
the dashboard through this module: `streamlit run taskforce/ui/server.py`.

- Framing: `X-Frame-Options: DENY` and `Content-Security-Policy: frame-ancestors 'none'` on every response, so
  no other site can show the dashboard inside its own page (clickjacking).
- Foreign origins: a websocket whose Origin is neither this server's own host nor listed in
  `server.corsAllowedOrigins` is refused here. Streamlit's own check would first compare the origin with the
  machine's external address, which it looks up on the internet; a closed police network must not see that.
"""
from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard.py"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


def _header(scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return ""


def _hostname(address: str) -> str:
    return (urlsplit(address if "//" in address else f"//{address}").hostname or "").lower()


def origin_allowed(origin: str, host: str, listed: list[str]) -> bool:
    """A websocket may come from a page of this same server, from this machine, or from a listed origin."""
    if not origin:
        return True  # not a browser (browsers always send Origin on a websocket)
    name = _hostname(origin)
    return name == _hostname(host) or name in LOCAL_HOSTS or name in {_hostname(item) for item in listed}


class GuardMiddleware:
    """Pure ASGI middleware: headers on every HTTP response, and foreign websockets closed before Streamlit."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket":
            listed = list(config.get_option("server.corsAllowedOrigins") or [])
            if not origin_allowed(_header(scope, b"origin"), _header(scope, b"host"), listed):
                await send({"type": "websocket.close", "code": 1008})
                return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def refuse_to_start_on_wrong_settings() -> None:
    """The library's check of .streamlit/secrets.toml, before anything is served. The library sits beside
    dashboard.py, which is on the path only once a page runs."""
    if str(DASHBOARD.parent) not in sys.path:
        sys.path.append(str(DASHBOARD.parent))
    from taskforce.ui.settings import refuse_to_start_on_wrong_settings as check

    check()


refuse_to_start_on_wrong_settings()
app = st.App(DASHBOARD, middleware=[Middleware(GuardMiddleware)])
