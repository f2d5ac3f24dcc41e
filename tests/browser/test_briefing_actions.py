"""In Chromium: an action recorded, updated and closed from the command line shows on the Weekly briefing's
Actions slide, in its table with the history, literally (no HTML), on a server of its own."""

from __future__ import annotations

import pytest

from taskforce.cli import main
from tests.browser.conftest import save_screenshot, start_server, stop_server, wait_until_rendered
from tests.conftest import copy_of_demo

pytestmark = pytest.mark.browser
HOSTILE = "Brief <b>the ports</b> team"


def test_an_action_recorded_updated_and_closed_shows_on_the_slide_with_its_history(
    browser, demo_db_template_without_actions, tmp_path
):
    store = copy_of_demo(demo_db_template_without_actions, tmp_path)
    db = ["actions", "--db", str(store)]
    assert (
        main(
            [
                *db,
                "add",
                "--what",
                HOSTILE,
                "--owner",
                "kent",
                "--role",
                "DCI Ports",
                "--due",
                "2026-11-20",
                "--week",
                "2026-11-15",
            ]
        )
        == 0
    )
    assert main([*db, "update", "1", "--due", "2026-12-06", "--note", "Moved: the ports meeting moved"]) == 0
    assert main([*db, "update", "1", "--status", "Done", "--note", "Briefed", "--dated", "2026-11-21"]) == 0
    server, url = start_server(store)
    context = browser.new_context(viewport={"width": 1600, "height": 1400})
    try:
        page = context.new_page()
        page.goto(url + "/briefing?slide=8")
        wait_until_rendered(page)
        page.get_by_text("Done since last week").first.wait_for()
        assert page.get_by_text(HOSTILE, exact=False).count() >= 1  # shown as typed, not as bold HTML
        assert page.locator("b", has_text="the ports").count() == 0
        page.get_by_text("Every change to the actions").click()
        page.get_by_text("Moved: the ports meeting moved").first.wait_for(state="attached")  # a grid cell
        save_screenshot(page, "briefing_actions_history")
    finally:
        context.close()
        stop_server(server)
