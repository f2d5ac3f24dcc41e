"""The real sign-in flow in Chromium, against a local OpenID Connect test provider on loopback: sign in, see
the pages of your role and download their files (which nobody without the sign-in gets), sign out."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import free_port, save_screenshot, start_server, wait_until_rendered
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser
ANALYST = {"sub": "analyst1", "email": "someone@kent.police.uk", "email_verified": True, "roles": ["analyst"]}


@pytest.fixture
def provider():
    port = free_port()
    mock = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("oidc-provider-mock")),
            "-H",
            "127.0.0.1",
            "-p",
            str(port),
            "--user-claims",
            json.dumps(ANALYST),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    yield url
    mock.terminate()
    mock.wait(timeout=20)


@pytest.fixture
def signed_in_dashboard(provider, writable_db_path, tmp_path):
    """The dashboard with sign-in configured against the test provider (secrets in its working folder), on its
    own copy of the database: DuckDB lets one process at a time open a file."""
    port = free_port()
    settings = tmp_path / ".streamlit"
    settings.mkdir()
    shutil.copyfile(PROJECT_ROOT / ".streamlit" / "config.toml", settings / "config.toml")
    (settings / "secrets.toml").write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "a-test-only-cookie-secret"
client_id = "oic-dashboard"
client_secret = "a-test-only-client-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[taskforce_access]
role_claim = "roles"
viewers = ["@police.uk"]
""")
    server, url = start_server(writable_db_path, cwd=tmp_path, port=port)
    yield url, provider
    server.terminate()
    server.wait(timeout=20)


def test_sign_in_see_your_pages_and_sign_out(browser, signed_in_dashboard):
    url, provider = signed_in_dashboard
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    requests: list[tuple[str, str]] = []  # (what was asked for, the page that asked)
    page.on("request", lambda request: requests.append((request.url, request.frame.url)))
    page.goto(url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*", timeout=60_000)
    page.fill("input[name=sub]", ANALYST["sub"])
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/*", timeout=60_000)
    wait_until_rendered(page)
    save_screenshot(page, "signed_in_analyst")
    assert page.get_by_text("Signed in as someone@kent.police.uk (analyst).").first.is_visible()
    assert page.get_by_role("link", name="Weekly returns").count() == 1  # analysts load returns
    downloads = [_downloaded(page, context, "Download the numbers behind the cards (CSV)")]  # written when pressed
    page.goto(f"{url}/briefing")
    wait_until_rendered(page)
    downloads.append(_downloaded(page, context, "Download the pack"))  # made with the page
    page.goto(url)  # the briefing page opens with the sidebar folded away
    wait_until_rendered(page)
    signed_in_cookies = context.cookies()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider}/oauth2/end_session*", timeout=60_000)  # the provider ends its session too
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{url}/*", timeout=60_000)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    assert page.get_by_text("Sign in with your police account").first.is_visible()
    _a_copied_cookie_is_refused_after_sign_out(browser, url, signed_in_cookies, downloads)
    # The test provider's own pages load a stylesheet from a CDN; the dashboard's pages must ask nothing outside.
    ours = [asked for asked, asker in requests if asker.startswith(url)]
    assert [asked for asked in ours if not asked.startswith((url, provider, "data:", "blob:", "about:"))] == []
    context.close()


def _a_copied_cookie_is_refused_after_sign_out(browser, url: str, cookies: list, downloads: list[str]) -> None:
    """Someone who copied the signed-in cookie presents it after the analyst signed out: the server refuses the
    pages, and every file the analyst downloaded."""
    replay = browser.new_context(viewport={"width": 1600, "height": 1000})
    replay.add_cookies(cookies)
    assert [_fetched(address, replay) for address in downloads] == [403] * len(downloads)
    page = replay.new_page()
    page.goto(url)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
    assert page.locator('[data-testid="stMetric"]').count() == 0
    replay.close()


def _downloaded(page, context, button: str) -> str:
    """Press a download button; the address the file came from (/media/<id>.<ext>), which the signed-in browser
    may fetch again and a request with no cookie may not."""
    with page.expect_download(timeout=120_000) as downloading:
        page.get_by_role("button", name=button).first.click()
    address = downloading.value.url
    assert "/media/" in address
    assert _fetched(address, context) == 200
    assert _fetched(address) == 403
    return address


def _fetched(address: str, context=None) -> int:
    """The status of a plain GET of the address: with a browser context's cookies, or with none at all."""
    if context is not None:
        return context.request.get(address, timeout=60_000).status
    try:
        with urllib.request.urlopen(address, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as refused:
        return refused.code


PAGES = ["overview", "briefing", "recommendations", "regional", "force", "trends", "partnership", "returns", "about"]


def test_every_page_opened_by_its_url_on_a_fresh_server_shows_no_data(browser, signed_in_dashboard):
    """Given a server that has never run dashboard.py (so Streamlit serves pages/ on its own), when each page
    is opened directly by its URL without signing in, then it offers sign-in and shows nothing from the data."""
    url, _ = signed_in_dashboard
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    for name in PAGES:
        page = context.new_page()
        page.goto(f"{url}/{name}?week=2026-11-22&force=kent&rec=4")
        page.get_by_role("button", name="Sign in").wait_for(timeout=60_000)
        wait_until_rendered(page)
        for element in ("stMetric", "stDataFrame", "stTable", "stPlotlyChart", "stDeckGlJsonChart"):
            assert page.locator(f'[data-testid="{element}"]').count() == 0, f"{name} shows {element}"
        assert page.get_by_text("Demo data.").count() == 0
        page.close()
    context.close()
