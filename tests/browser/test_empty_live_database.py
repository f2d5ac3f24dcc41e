"""The first day live: every page opened in Chromium on a live database that has no returns yet shows a plain
state and the marking, never an exception and never the demo notice."""

from __future__ import annotations

import shutil

import pytest

from taskforce.store.creating import create_live_database
from tests.browser.conftest import save_screenshot, start_server, stop_server, wait_until_rendered
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser
NO_RETURNS = "No weekly returns have been loaded yet"
PAGES = {
    "overview": NO_RETURNS,
    "briefing": NO_RETURNS,
    "regional": NO_RETURNS,
    "force": NO_RETURNS,
    "trends": NO_RETURNS,
    "partnership": NO_RETURNS,
    "recommendations": "Recommendations",
    "about": "No weekly returns are loaded yet",
    "returns": "This page is for the analyst role",
}


@pytest.fixture
def empty_live_dashboard(tmp_path):
    """A live database made by init-db, served with anonymous viewing allowed (secrets in the server's own
    working folder), so the pages can be seen without a sign-in provider."""
    database = create_live_database(tmp_path / "live.duckdb")
    settings = tmp_path / ".streamlit"
    settings.mkdir()
    shutil.copyfile(PROJECT_ROOT / ".streamlit" / "config.toml", settings / "config.toml")
    (settings / "secrets.toml").write_text("[taskforce_access]\nallow_anonymous = true\n")
    server, url = start_server(database, cwd=tmp_path)
    yield url
    stop_server(server)


def test_every_page_on_an_empty_live_database_shows_a_plain_state(browser, empty_live_dashboard):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    for name, expected in PAGES.items():
        page = context.new_page()
        page.goto(f"{empty_live_dashboard}/{name}")
        wait_until_rendered(page)
        save_screenshot(page, f"empty_live_{name}")
        assert page.query_selector_all('[data-testid="stException"]') == [], name
        assert page.get_by_text(expected).first.is_visible(), name
        assert page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible(), name
        assert page.get_by_text("Demo data.", exact=True).count() == 0, name
        page.close()
    context.close()
