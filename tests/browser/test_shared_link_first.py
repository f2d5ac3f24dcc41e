"""A shared link as the very first request to a freshly started server: the menu shows the pages' titles (not
their file names), the page is guarded as usual, and the menu leads on to the other pages."""

from __future__ import annotations

import pytest

from tests.browser.conftest import save_screenshot, start_server, stop_server, wait_until_rendered
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server(demo_db_template, tmp_path):
    server, url = start_server(copy_of_demo(demo_db_template, tmp_path))
    yield url
    stop_server(server)


def test_a_shared_link_opened_first_shows_titles_and_is_guarded(browser, fresh_server):
    """Given a server that has served nothing yet,
    when the first request is the shared link /regional?force=kent,
    then the page draws with the marking and the demo notice, the sidebar lists the pages by title and no file
    name, and its menu opens another page."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{fresh_server}/regional?force=kent")
    wait_until_rendered(page)
    save_screenshot(page, "shared_link_first_regional")
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert page.get_by_role("heading", name="Regional activity").first.is_visible()
    assert page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible()
    assert page.get_by_text("Demo data.").first.is_visible()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0, "Streamlit's own menu of file names"
    links = sidebar.locator('[data-testid="stPageLink"] p').all_inner_texts()
    assert links == [
        "Weekly overview",
        "Weekly briefing",
        "Recommendations",
        "Regional activity",
        "A force's own view",
        "Arrests and charges",
        "Partnership",
        "Weekly returns",
        "About the data",
    ]
    sidebar.get_by_text("Arrests and charges").click()
    page.get_by_role("heading", name="Arrests and charges").first.wait_for(timeout=60_000)
    wait_until_rendered(page)
    assert page.get_by_text("OFFICIAL-SENSITIVE").first.is_visible()
    context.close()
