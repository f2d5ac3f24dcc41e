"""A dashboard server names itself to nginx (taskforce/ui/middleware.py): started with TASKFORCE_ROUTE, it sets a
`tf_route` cookie on every response, its websocket's handshake included, so nginx sends the session's next
requests (an upload) to the server its websocket is on."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient

from taskforce.ui.middleware import GuardMiddleware


async def _stream(websocket) -> None:
    await websocket.accept()
    await websocket.send_text("hello")
    await websocket.close()


def _client() -> TestClient:
    streamlit = Starlette(
        routes=[Route("/", lambda _: Response(b"the page")), WebSocketRoute("/_stcore/stream", _stream)]
    )
    return TestClient(GuardMiddleware(streamlit))


def test_a_server_names_itself_on_its_pages_and_its_websocket_handshake(monkeypatch):
    """Given a server started as the one on port 8602, when a browser fetches a page and opens its websocket,
    then both answers set tf_route=8602 (the handshake's too: after a failover the websocket reconnects to
    another server first, and the cookie must follow it there)."""
    monkeypatch.setenv("TASKFORCE_ROUTE", "8602")
    client = _client()
    page = client.get("/")
    assert page.headers["set-cookie"] == "tf_route=8602; Path=/; HttpOnly; SameSite=Strict"
    with client.websocket_connect("/_stcore/stream", headers={"origin": "http://testserver"}) as websocket:
        assert websocket.receive_text() == "hello"
        assert ("set-cookie", "tf_route=8602; Path=/; HttpOnly; SameSite=Strict") in [
            (name.decode(), value.decode()) for name, value in websocket.extra_headers
        ]


@pytest.mark.parametrize("route", ["", "86 02", "8602; Domain=evil"])
def test_a_server_without_a_proper_route_sets_no_cookie(monkeypatch, route):
    monkeypatch.setenv("TASKFORCE_ROUTE", route)
    assert "set-cookie" not in _client().get("/").headers
