"""The server as it runs for real (taskforce/ui/server.py): no other site may frame the dashboard, and a
websocket from a foreign origin is refused before Streamlit would look up the machine's address outside."""

from __future__ import annotations

import urllib.request

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from taskforce.ui.middleware import origin_allowed

pytestmark = pytest.mark.browser


def test_every_response_forbids_framing_by_another_site(dashboard_url):
    for path in ("/", "/regional", "/_stcore/health"):
        with urllib.request.urlopen(dashboard_url + path, timeout=30) as response:
            assert response.headers["X-Frame-Options"] == "DENY"
            assert response.headers["Content-Security-Policy"] == "frame-ancestors 'none'"


def _websocket_from(url: str, origin: str) -> str:
    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        with connect(stream, origin=origin, open_timeout=30):  # type: ignore[arg-type]
            return "accepted"
    except InvalidStatus as refused:
        return f"refused {refused.response.status_code}"


def test_a_websocket_from_a_foreign_origin_is_refused_and_one_from_the_dashboard_is_not(dashboard_url):
    assert _websocket_from(dashboard_url, "https://attacker.example") == "refused 403"
    assert _websocket_from(dashboard_url, dashboard_url) == "accepted"


@pytest.mark.parametrize(
    "origin, host, listed, allowed",
    [
        ("http://127.0.0.1:8501", "127.0.0.1:8501", [], True),
        ("https://dashboard.force.police.uk", "dashboard.force.police.uk", [], True),
        ("https://attacker.example", "dashboard.force.police.uk", [], False),
        ("https://intranet.police.uk", "dashboard.force.police.uk", ["https://intranet.police.uk"], True),
        ("", "dashboard.force.police.uk", [], True),  # not a browser
    ],
)
def test_which_origins_may_open_a_websocket(origin, host, listed, allowed):
    assert origin_allowed(origin, host, listed) is allowed
