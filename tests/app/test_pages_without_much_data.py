"""Every page on a live database as it goes live: with no returns at all, with one week of returns, and with
returns from one organisation only. Each shows a plain state, never an exception."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core.calendar import last_complete_week_ending
from taskforce.core.db import connect
from taskforce.measures.registry import reported_codes
from taskforce.returns import intake
from taskforce.store.creating import create_live_database
from tests.conftest import PROJECT_ROOT

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-secret",
    "client_id": "dashboard",
    "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ADMIN = {"is_logged_in": True, "email": "admin@police.example", "roles": ["admin"]}
VIEWS = [
    ("overview", {}),
    ("briefing", {}),
    *[("briefing", {"slide": str(n)}) for n in range(2, 8)],
    ("recommendations", {}),
    ("recommendations", {"view": "Recommendation", "rec": "1"}),
    ("recommendations", {"view": "Force matrix"}),
    ("recommendations", {"view": "Progress and forecast"}),
    ("regional", {}),
    ("regional", {"force": "kent"}),
    ("force", {}),
    ("force", {"force": "kent"}),
    ("force", {"force": "btp"}),
    ("force", {"rocu": "ersou"}),
    ("trends", {}),
    ("trends", {"split": "By ROCU region"}),
    ("partnership", {}),
    ("partnership", {"section": "Co-ordinated tasking"}),
    ("partnership", {"section": "Migrant debriefing"}),
    ("partnership", {"section": "Crime groups"}),
    ("returns", {}),
    ("returns", {"section": "Audit log"}),
    ("returns", {"section": "Templates"}),
    ("returns", {"section": "Load a return"}),
    ("about", {}),
]
LATEST = last_complete_week_ending(dt.date.today())


def _return_file(weeks: list[dt.date], organisations: list[str]) -> bytes:
    lines = ["week_ending,org_code,measure_code,value"]
    for week in weeks:
        for org in organisations:
            lines += [f"{week.isoformat()},{org},{code},{3}" for code in reported_codes()]
    return ("\n".join(lines) + "\n").encode()


def _live(tmp_path, monkeypatch, weeks: list[dt.date], organisations: list[str]):
    path = create_live_database(tmp_path / "live.duckdb")
    monkeypatch.setenv("TASKFORCE_DB", str(path))
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    if weeks:
        con = connect(path)
        outcome, checked = intake.load(
            con, "first.csv", _return_file(weeks, organisations), "analyst", dt.datetime.now(), confirm_warnings=True
        )
        con.close()
        assert outcome.status == "committed", [p.message for p in checked.problems][:5]
    return path


def _all_organisations() -> list[str]:
    from taskforce.store.reference import organisations

    table = organisations()
    return table.loc[table["expected_to_return"], "code"].tolist()


STATES = {
    "no returns": lambda: ([], []),
    "one week": lambda: ([LATEST], _all_organisations()),
    "one organisation": lambda: ([LATEST - dt.timedelta(weeks=n) for n in range(30)], ["kent"]),
}


@pytest.fixture(params=list(STATES))
def state(request, tmp_path, monkeypatch) -> str:
    weeks, organisations = STATES[request.param]()
    _live(tmp_path, monkeypatch, weeks, organisations)
    return request.param


def _run(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=90)
    at.secrets.update({"auth": AUTH, "taskforce_access": {"admins": ["admin@police.example"]}})
    at.user = ADMIN
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def test_every_view_shows_a_plain_state_and_no_exception(state):
    """Given a live database with no returns, one week, or one organisation's returns,
    when every view of every page runs, then none raises and none says Demo data."""
    failures = []
    for page, query in VIEWS:
        at = _run(page, query)
        if at.exception:
            failures.append((page, query, at.exception[0].value))
        if any("Demo data" in warning.value for warning in at.warning):
            failures.append((page, query, "says Demo data on a live database"))
    assert failures == []


@pytest.mark.parametrize("page", ["overview", "briefing", "regional", "force", "trends", "partnership"])
def test_with_no_returns_a_page_says_so(tmp_path, monkeypatch, page):
    _live(tmp_path, monkeypatch, [], [])
    at = _run(page, {})
    assert any("No weekly returns have been loaded yet" in info.value for info in at.info)


@pytest.mark.parametrize("page", ["trends", "partnership"])
def test_with_one_week_a_trend_page_says_it_needs_more(tmp_path, monkeypatch, page):
    _live(tmp_path, monkeypatch, [LATEST], _all_organisations())
    at = _run(page, {})
    assert any("Only 1 week of returns so far" in info.value for info in at.info)


def test_before_any_return_the_completeness_section_says_there_is_nothing_to_chase(tmp_path, monkeypatch):
    """No return has reached any week, so there is no week due to chase (the clock's week is never taken)."""
    _live(tmp_path, monkeypatch, [], [])
    at = _run("returns", {})
    assert not at.exception
    assert any("nothing to chase" in info.value for info in at.info)


def test_on_an_empty_live_database_the_briefing_says_there_are_no_actions_yet(tmp_path, monkeypatch):
    _live(tmp_path, monkeypatch, [], [])
    at = _run("briefing", {})
    assert not at.exception
    assert any("No actions have been recorded yet" in info.value for info in at.info)
