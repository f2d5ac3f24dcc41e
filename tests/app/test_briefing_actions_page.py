"""AppTest of the briefing's actions on the Weekly briefing page: an action recorded, updated and closed shows in
the table, its history, the Actions slide and the pack; typed text is never Markdown; none yet says so."""

from __future__ import annotations

import datetime as dt
import io

from pptx import Presentation
from streamlit.testing.v1 import AppTest

from tests.app.test_access_pages import AUTH
from tests.conftest import LATEST_WEEK, PROJECT_ROOT, run_page

HOSTILE = "Brief <script>alert(1)</script> **ports** [x](https://evil.example)"


def _page(**query) -> AppTest:
    return run_page("briefing", slide="8", **query)


def _record(at: AppTest, what: str) -> AppTest:
    at.text_input(key="action_what").input(what)
    at.selectbox(key="action_owner").set_value("kent")
    at.text_input(key="action_role").input("DCI Ports")
    at.date_input(key="action_due").set_value(LATEST_WEEK)  # due the week it was agreed: overdue once data moves on
    next(button for button in at.button if button.label == "Record the action").click()
    return at.run()


def _update(at: AppTest, status: str, note: str) -> AppTest:
    at.selectbox(key="update_action_status").set_value(status)
    at.text_area(key="update_action_note").input(note)
    next(button for button in at.button if button.label == "Record the change").click()
    return at.run()


def _slide_text(at: AppTest) -> str:
    return " ".join(item.value for item in at.markdown) + " ".join(item.value for item in at.subheader)


def test_an_action_recorded_updated_and_closed_shows_with_its_history(store_without_actions, monkeypatch):
    monkeypatch.setenv("TASKFORCE_DB", str(store_without_actions))
    at = _record(_page(), HOSTILE)
    assert not at.exception
    assert any("Recorded action 1" in success.value for success in at.success)
    at = _page()
    listing = at.dataframe[0].value
    assert listing["Action"].tolist() == [HOSTILE]  # plain text in a table
    assert listing["Status"].tolist() == ["Open"]
    assert "Due or overdue" in _slide_text(at)
    assert not any("<script>" in item.value for item in at.markdown)  # escaped on the slide
    at = _update(at, "Open", "Moved on a week")  # nothing changed: refused
    assert any("Nothing changes" in error.value for error in at.error)
    at = _update(_page(), "Done", "Briefed at the ports meeting")
    assert any("is now done" in success.value for success in at.success)
    at = _page()
    assert at.dataframe[0].value["Status"].tolist() == ["Done"]
    history = at.dataframe[1].value
    assert history["Before"].tolist()[0].startswith("Open, due") and history["After"].tolist()[0].startswith("Done")
    assert history["Note"].tolist()[0] == "Briefed at the ports meeting"
    assert "Done since last week" in _slide_text(at)
    from taskforce.ui import data

    pack = Presentation(io.BytesIO(data.briefing_pack(LATEST_WEEK, False)))
    last = pack.slides[len(pack.slides) - 1]
    cells = [cell.text for shape in last.shapes if shape.has_table for row in shape.table.rows for cell in row.cells]
    assert HOSTILE in cells and "Done" in cells


def test_without_actions_the_page_says_there_are_none_yet(store_without_actions, monkeypatch):
    monkeypatch.setenv("TASKFORCE_DB", str(store_without_actions))
    at = _page()
    assert not at.exception
    assert any("No actions have been recorded yet" in info.value for info in at.info)
    assert at.title[0].value == "No actions recorded yet"


# Viewers at every force; Kent's accounts belong to Kent, Essex's to Essex.
ACCESS = {
    "viewers": ["@police.uk"],
    "organisations": {"kent": ["@kent.police.uk"], "essex": ["@essex.police.uk"]},
}


def _as_viewer(email: str) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "briefing.py"), default_timeout=90)
    at.secrets.update({"auth": AUTH, "taskforce_access": ACCESS})
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "roles": []}
    at.query_params["slide"] = "8"
    return at.run()


def _owned_by(store, owner: str, what: str) -> int:
    from taskforce.briefing import actions
    from taskforce.core.db import connect

    con = connect(store)
    try:
        action = actions.NewAction(what, owner, "DCI Ports", LATEST_WEEK, LATEST_WEEK)
        return actions.record_action(con, action, "analyst@police.uk", dt.datetime(2026, 11, 30, 9), LATEST_WEEK)
    finally:
        con.close()


def test_a_viewer_whose_organisation_owns_an_action_updates_it_and_no_other(store_without_actions, monkeypatch):
    """The owner or an analyst updates the status (issue 28): a Kent viewer updates Kent's action, is offered
    none of Essex's, and an Essex viewer is offered no form for Kent's."""
    monkeypatch.setenv("TASKFORCE_DB", str(store_without_actions))
    kents = _owned_by(store_without_actions, "kent", "Brief the port teams")
    _owned_by(store_without_actions, "essex", "Review the Tilbury tasking")
    at = _as_viewer("dci.ports@kent.police.uk")
    assert not at.exception
    assert not any(button.label == "Record the action" for button in at.button)  # recording stays an analyst's
    assert at.selectbox(key="update_action_id").options == [f"{kents}. Brief the port teams"]
    at = _update(at, "Done", "Briefed at the ports meeting")
    assert any("is now done" in success.value for success in at.success), [e.value for e in at.error]
    history = _as_viewer("dci.ports@kent.police.uk").dataframe[1].value
    done = history[(history["No."] == kents) & history["After"].str.startswith("Done")]
    assert done["By"].tolist() == ["dci.ports@kent.police.uk"]
    essex = _as_viewer("inspector@essex.police.uk")
    assert not essex.exception
    assert essex.selectbox(key="update_action_id").options == ["2. Review the Tilbury tasking"]
    nobody = _as_viewer("someone@police.uk")  # a viewer of no listed organisation
    assert not any(button.label == "Record the change" for button in nobody.button)


def test_the_demo_has_a_briefings_handful_of_actions_so_the_slide_does_not_read_nought(demo_db_path):
    """The demo records the actions a real briefing would have agreed (demo/actions.py): the Actions slide names
    the overdue ones in its title and lists each group, never "No actions recorded yet" or all noughts."""
    at = _page()
    assert not at.exception
    title = at.title[0].value
    assert "overdue" in title and title != "No actions recorded yet", title
    said = _slide_text(at)
    for group in ("Due or overdue", "New this week", "Done since last week"):
        assert group in said, group
    tiles = [int(metric.value) for metric in at.metric if metric.value.isdigit()]
    assert tiles and all(tiles), tiles  # overdue, due, agreed this week, done since last week: none nought
