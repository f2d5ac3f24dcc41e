"""What every request to the dashboard passes through before Streamlit sees it (taskforce/ui/server.py puts it in
front of `dashboard.py`). No side effects on import, so the tests and the bench use it as it is.

- Framing: `X-Frame-Options: DENY` and `Content-Security-Policy: frame-ancestors 'none'` on every response, so
  no other site can show the dashboard inside its own page (clickjacking).
- Foreign origins: a websocket whose Origin is neither this server's own host nor listed in
  `server.corsAllowedOrigins` is refused here. Streamlit's own check would first compare the origin with the
  machine's external address, which it looks up on the internet; a closed police network must not see that.
- Files: with sign-in configured, a file a page made (`/media/`) goes only to a current, not signed-out sign-in
  of the role that page needs (`ui/file_guard.py`); every other request for one gets a 403 and no bytes.
- Logs: every log record the process writes is scrubbed of session ids, file addresses and e-mail addresses.
"""
from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

from starlette.requests import HTTPConnection
from streamlit import config

from taskforce.ui import file_guard

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}
SECURITY_HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
NOT_KEPT = (b"cache-control", b"no-store")


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

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket" and not _websocket_allowed(scope):
            await send({"type": "websocket.close", "code": 1008})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guarded = file_guard.is_file_route(file_guard.app_route(scope["path"]))
        settings = file_guard.sign_in_settings() if guarded else None
        if settings is None:
            await self.app(scope, receive, _with_headers(send, SECURITY_HEADERS))
            return
        refused = file_guard.refusal(scope["path"], HTTPConnection(scope).cookies, settings)
        if refused is not None:
            await _refuse(send, refused)
            return
        await self.app(scope, receive, _with_headers(send, [*SECURITY_HEADERS, NOT_KEPT]))


def _websocket_allowed(scope) -> bool:
    listed = list(config.get_option("server.corsAllowedOrigins") or [])
    return origin_allowed(_header(scope, b"origin"), _header(scope, b"host"), listed)


def _with_headers(send, headers: list[tuple[bytes, bytes]]):
    async def sending(message) -> None:
        if message["type"] == "http.response.start":
            message = {**message, "headers": [*message.get("headers", []), *headers]}
        await send(message)

    return sending


async def _refuse(send, status: int) -> None:
    """A refusal with no body: not a byte of the file, nor a word saying why."""
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-length", b"0"), *SECURITY_HEADERS, NOT_KEPT]})
    await send({"type": "http.response.body", "body": b""})


# What a log line must not carry: a session id (a UUID), a file's address or id (a long hex digest), an e-mail
# address. Streamlit names sessions in some of its warnings.
NOT_LOGGED = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|/media/\S*|\b[0-9a-f]{32,}\b"
                        r"|[\w.+-]+@[\w-]+(\.[\w-]+)+", re.IGNORECASE)


def scrubbed(message: str) -> str:
    return NOT_LOGGED.sub("[not logged]", message)


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


