"""The server's decision on a request for a file (taskforce/ui/server.py's middleware, ui/file_guard.py): with
sign-in configured, a file a page made goes only to a current, not signed-out sign-in with that page's role,
whatever the URL; anything else gets a 403 and not a byte. Cookies are made exactly as Streamlit signs them."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import time

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route
from starlette.testclient import TestClient
from streamlit import config
from streamlit.web.server.starlette.starlette_app_utils import create_signed_value
from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

from taskforce.core.access import policy_from
from taskforce.store.sign_outs import record_sign_out
from taskforce.ui import file_guard
from taskforce.ui.downloads import FILES_MADE, FilesMade
from taskforce.ui.middleware import GuardMiddleware, scrub_log_records, scrubbed

SECRET = "a-test-only-cookie-secret"
ORIGIN = "https://dashboard.force.police.uk"
SIGN_IN = file_guard.SignIn(SECRET, ORIGIN, policy_from({"viewers": ["@police.uk"], "analysts": ["@kent.police.uk"]}))
VIEWER = {"sub": "viewer-1", "email": "officer@met.police.uk", "email_verified": True}
ANALYST = {"sub": "analyst-1", "email": "someone@kent.police.uk", "email_verified": True}
CSV = b"# OFFICIAL-SENSITIVE\norg,value\nkent,12\n"  # made on a viewer's page
PROBLEMS = b"# OFFICIAL-SENSITIVE\nrow,problem\n3,not a number\n"  # made on the Weekly returns page (analysts)
NOT_OURS = b"a file no page of ours made"
STORED = {"csvid.csv": CSV, "problemsid.csv": PROBLEMS, "otherid.bin": NOT_OURS}


def _cookie(claims: dict, secret: str = SECRET, origin: str = ORIGIN, issued: float | None = None) -> dict:
    payload = {
        **claims,
        "iat": int(issued or time.time()) - 60,
        "origin": origin,
        "is_logged_in": True,
        "provider": "default",
    }
    return {USER_COOKIE_NAME: create_signed_value(secret, USER_COOKIE_NAME, json.dumps(payload)).decode()}


def _serve_the_file(request) -> Response:
    return Response(STORED[request.path_params["file_id"]])


@pytest.fixture
def client(monkeypatch, tmp_path):
    """The middleware in front of a stand-in for Streamlit's routes, with sign-in configured."""
    monkeypatch.setenv("TASKFORCE_DB", str(tmp_path / "taskforce.duckdb"))
    monkeypatch.setattr(file_guard, "sign_in_settings", lambda: SIGN_IN)
    monkeypatch.setattr(file_guard, "stored_file", STORED.get)
    FILES_MADE.remember(CSV, "viewer")
    FILES_MADE.remember(PROBLEMS, "analyst")
    streamlit = Starlette(
        routes=[
            Route("/media/{file_id:path}", _serve_the_file),
            Route("/_stcore/agent/interact", lambda _: Response(b"a snapshot of the app"), methods=["POST"]),
            Route("/", lambda _: Response(b"the page")),
        ]
    )
    return TestClient(GuardMiddleware(streamlit))


def _fetch(client, path: str, cookies: dict | None = None):
    client.cookies.clear()
    for name, value in (cookies or {}).items():
        client.cookies.set(name, value)
    return client.get(path)


def test_a_current_sign_in_of_the_pages_role_gets_the_file_and_no_cache_keeps_it(client):
    for cookies, path, content in [
        (_cookie(VIEWER), "/media/csvid.csv", CSV),
        (_cookie(ANALYST), "/media/csvid.csv", CSV),
        (_cookie(ANALYST), "/media/problemsid.csv", PROBLEMS),
    ]:
        response = _fetch(client, path, cookies)
        assert (response.status_code, response.content) == (200, content)
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize(
    "case, path, cookies",
    [
        ("no cookie at all", "/media/csvid.csv", None),
        ("a cookie signed with another secret (forged)", "/media/csvid.csv", _cookie(VIEWER, secret="guessed")),
        ("a cookie that is not signed at all", "/media/csvid.csv", {USER_COOKIE_NAME: json.dumps(VIEWER)}),
        ("a cookie made for another site", "/media/csvid.csv", _cookie(VIEWER, origin="https://elsewhere.example")),
        ("a sign-in past its session hours", "/media/csvid.csv", _cookie(VIEWER, issued=time.time() - 13 * 3600)),
        ("an account with no role", "/media/csvid.csv", _cookie({"sub": "x", "email": "x@gmail.com"})),
        ("a viewer, for a file the Weekly returns page made", "/media/problemsid.csv", _cookie(VIEWER)),
        ("anyone, for a file no page of ours made", "/media/otherid.bin", _cookie(ANALYST)),
        ("the agent API, which reads no cookie", "/_stcore/agent/interact", None),
    ],
)
def test_every_other_request_for_a_file_gets_403_and_no_bytes(client, case, path, cookies):
    response = client.post(path) if "agent" in path else _fetch(client, path, cookies)
    assert (response.status_code, response.content) == (403, b""), case


def test_a_signed_out_sign_in_gets_no_file_though_its_cookie_is_valid(client, tmp_path):
    signed_in_at = time.time()
    cookie = _cookie(ANALYST, issued=signed_in_at)
    assert _fetch(client, "/media/problemsid.csv", cookie).status_code == 200
    record_sign_out(tmp_path / "taskforce.duckdb", "analyst-1", int(signed_in_at) - 60, dt.datetime.now(dt.UTC))
    response = _fetch(client, "/media/problemsid.csv", cookie)
    assert (response.status_code, response.content) == (403, b"")


def test_a_cookie_older_than_streamlit_allows_is_refused(client, monkeypatch):
    """itsdangerous dates its signature: one made 40 days ago does not verify, whatever the claims say."""
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 40 * 86400)
    old = _cookie(VIEWER, issued=real_time() - 60)
    monkeypatch.setattr(time, "time", real_time)
    assert _fetch(client, "/media/csvid.csv", old).status_code == 403


def test_a_missing_file_is_a_404_only_for_a_signed_in_user(client):
    assert _fetch(client, "/media/nosuchid.csv").status_code == 403
    with pytest.raises(KeyError):  # the stand-in has no such file: the request reached "Streamlit"
        _fetch(client, "/media/nosuchid.csv", _cookie(VIEWER))


def test_pages_and_everything_but_files_pass_as_before(client):
    response = _fetch(client, "/")
    assert (response.status_code, response.content) == (200, b"the page")


def test_the_files_are_guarded_under_a_base_path_and_at_any_spelling_of_their_address(client, monkeypatch):
    assert file_guard.refusal("//media//problemsid.csv", {}, SIGN_IN) == 403
    monkeypatch.setattr(config, "get_option", lambda name: "dashboard" if name == "server.baseUrlPath" else None)
    assert file_guard.app_route("/dashboard/media/csvid.csv") == ["media", "csvid.csv"]
    assert file_guard.refusal("/dashboard/media/csvid.csv", {}, SIGN_IN) == 403
    assert file_guard.refusal("/dashboard/media/csvid.csv", _cookie(VIEWER), SIGN_IN) is None


def test_without_sign_in_configured_every_file_is_served_as_before(client, monkeypatch):
    monkeypatch.setattr(file_guard, "sign_in_settings", lambda: None)
    response = _fetch(client, "/media/problemsid.csv")
    assert (response.status_code, response.content) == (200, PROBLEMS)


def test_two_pages_that_made_the_same_file_let_the_lesser_role_have_it():
    made = FilesMade()
    made.remember(b"same bytes", "analyst")
    made.remember(b"same bytes", "viewer")
    made.remember(b"same bytes", "admin")
    assert made.role_needed(b"same bytes") == "viewer"
    assert made.role_needed(b"other bytes") is None


def test_no_log_line_carries_a_session_id_a_files_address_or_an_email_address():
    line = (
        "Session with id 0b5c2f1e-1234-4abc-9def-0123456789ab is already connected; GET "
        "/media/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.pptx by someone@kent.police.uk"
    )
    assert scrubbed(line) == "Session with id [not logged] is already connected; GET [not logged] by [not logged]"
    written = io.StringIO()
    scrub_log_records()  # as the server does at start
    logger = logging.getLogger("streamlit.runtime.websocket_session_manager")  # as Streamlit logs it
    handler = logging.StreamHandler(written)
    logger.addHandler(handler)
    try:
        logger.warning("Session with id %s is already connected!", "0b5c2f1e-1234-4abc-9def-0123456789ab")
    finally:
        logger.removeHandler(handler)
    assert written.getvalue() == "Session with id [not logged] is already connected!\n"
