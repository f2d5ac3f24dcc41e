"""What every request to the dashboard passes through before Streamlit sees it (taskforce/ui/server.py puts it in
front of `dashboard.py`). No side effects on import, so the tests and the bench use it as it is.

- Framing: `X-Frame-Options: DENY` and `Content-Security-Policy: frame-ancestors 'none'` on every response, so
  no other site can show the dashboard inside its own page (clickjacking).
- Foreign origins: a websocket whose Origin is neither this server's own host nor listed in
  `server.corsAllowedOrigins` is refused here. Streamlit's own check would first compare the origin with the
  machine's external address, which it looks up on the internet; a closed police network must not see that.
- Files: with sign-in configured, a file a page made (`/media/`) goes only to a current, not signed-out sign-in
  of the role that page needs (`ui/file_guard.py`); every other request for one gets a 403 and no bytes.
- Routing: a server started with `TASKFORCE_ROUTE` (deploy/serve.py and the systemd unit give its port) names
  itself in a `tf_route` cookie on every response, the websocket's handshake included; nginx sends a request
  carrying it to that server, so a session's uploads follow its websocket to whichever server now holds it.
- Logs: every log record the process writes is scrubbed of session ids, file addresses and e-mail addresses.
"""

from __future__ import annotations

import logging
import os
import re
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from streamlit import config

from taskforce.core.scrub import scrubbed
from taskforce.ui import file_guard

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
NOT_KEPT = (b"cache-control", b"no-store")
ROUTE_COOKIE = "tf_route"
ROUTE_NAME = re.compile(r"[A-Za-z0-9_-]{1,32}")


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
    """Pure ASGI middleware: headers on every HTTP response, foreign websockets closed before Streamlit, and a
    file handed out only to whoever may have it."""

    def __init__(self, app) -> None:
        self.app = app
        self.route = route_header(os.environ.get("TASKFORCE_ROUTE", ""))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket" and not _websocket_allowed(scope):
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, _with_headers(send, self.route))
            return
        guarded = file_guard.is_file_route(file_guard.app_route(scope["path"]))
        settings = file_guard.sign_in_settings() if guarded else None
        if settings is None:
            await self.app(scope, receive, _with_headers(send, [*SECURITY_HEADERS, *self.route]))
            return
        refused = file_guard.refusal(scope["path"], HTTPConnection(scope).cookies, settings)
        if refused is not None:
            await _refuse(send, refused)
            return
        await self.app(scope, receive, _with_headers(send, [*SECURITY_HEADERS, NOT_KEPT, *self.route]))


def route_header(route: str) -> list[tuple[bytes, bytes]]:
    """The `Set-Cookie` naming this server to nginx, or none for a server not given a route (or a malformed one)."""
    if not ROUTE_NAME.fullmatch(route):
        return []
    return [(b"set-cookie", f"{ROUTE_COOKIE}={route}; Path=/; HttpOnly; SameSite=Strict".encode())]


def _websocket_allowed(scope) -> bool:
    listed = list(config.get_option("server.corsAllowedOrigins") or [])
    return origin_allowed(_header(scope, b"origin"), _header(scope, b"host"), listed)


def _with_headers(send, headers: list[tuple[bytes, bytes]]):
    """`send`, adding `headers` to a response's start or a websocket's acceptance (its handshake's answer)."""

    async def sending(message) -> None:
        if message["type"] in ("http.response.start", "websocket.accept") and headers:
            message = {**message, "headers": [*message.get("headers", []), *headers]}
        await send(message)

    return sending


async def _refuse(send, status: int) -> None:
    """A refusal with no body: not a byte of the file, nor a word saying why."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-length", b"0"), *SECURITY_HEADERS, NOT_KEPT],
        }
    )
    await send({"type": "http.response.body", "body": b""})


def scrub_log_records() -> None:
    """Every log record this process makes, Streamlit's and uvicorn's included, with those taken out (once per
    process, however often it is called)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "scrubs", False):
        return

    def scrubbing(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            record.msg, record.args = scrubbed(record.getMessage()), None
        except (TypeError, ValueError):  # arguments that do not fit the message: logged as they come
            return record
        if record.exc_info:
            record.exc_text = scrubbed(logging.Formatter().formatException(record.exc_info))
        return record

    scrubbing.scrubs = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(scrubbing)
