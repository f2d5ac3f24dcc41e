"""AppTest with sign-in configured: each role sees its pages and may do its actions; nobody signed out sees
data; demo mode is open; real data without sign-in is refused unless anonymous access is allowed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-only-secret",
    "client_id": "dashboard",
    "client_secret": "test-only",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
ACCESS = {"analysts": ["@kent.police.uk"], "admins": ["admin@police.example"], "viewers": ["@police.uk"]}
PAGES = ["overview", "briefing", "recommendations", "regional", "force", "trends", "partnership", "returns", "about"]


def _app(path: str, user: dict | None, secrets: dict | None = None, **query) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / path), default_timeout=90)
    at.secrets.update(secrets if secrets is not None else {"auth": AUTH, "taskforce_access": ACCESS})
    at.user = user or {"is_logged_in": False}
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _signed_in(email: str, roles: list[str] | None = None) -> dict:
    return {"is_logged_in": True, "email": email, "email_verified": True, "roles": roles or []}


@pytest.mark.parametrize("page", PAGES)
def test_a_page_shows_no_data_to_someone_signed_out(demo_db_path, page):
    at = _app(f"pages/{page}.py", None)
    assert not at.exception
    assert any("Sign in" in info.value for info in at.info)
    assert not at.metric and not at.dataframe and not at.table and not at.get("plotly_chart")
    assert not any("Demo data" in warning.value for warning in at.warning)


def test_an_account_without_a_role_is_refused(demo_db_path):
    at = _app("pages/overview.py", _signed_in("stranger@gmail.com"))
    assert any("no access" in error.value for error in at.error)
    assert not at.metric


@pytest.mark.parametrize(
    "email, roles, offered_returns",
    [
        ("officer@met.police.uk", [], False),
        ("someone@kent.police.uk", [], True),
        ("admin@police.example", [], True),
        ("x@gmail.com", ["analyst"], True),
    ],
)
def test_navigation_offers_each_role_its_pages(demo_db_path, email, roles, offered_returns):
    at = _app("dashboard.py", _signed_in(email, roles))
    assert not at.exception
    assert at.title[0].value == "Weekly overview"
    returns_page = _app("pages/returns.py", _signed_in(email, roles))
    can_load = not any("This page is for the analyst role" in w.value for w in returns_page.warning)
    assert can_load == offered_returns


def test_a_viewer_cannot_record_a_status_report(demo_db_path):
    at = _app("pages/recommendations.py", _signed_in("officer@met.police.uk"), view="Recommendation", rec="4")
    assert not at.exception
    assert not [button for button in at.button if button.label == "Record the report"]


def test_an_analyst_can_record_a_status_report_but_not_change_the_target(demo_db_path):
    analyst = _signed_in("someone@kent.police.uk")
    recommendation = _app("pages/recommendations.py", analyst, view="Recommendation", rec="4")
    assert [button for button in recommendation.button if button.label == "Record the report"]
    partnership = _app("pages/partnership.py", analyst, section="Migrant debriefing")
    assert not [button for button in partnership.button if button.label == "Set the target"]


def test_an_admin_can_change_the_target(demo_db_path):
    at = _app("pages/partnership.py", _signed_in("admin@police.example"), section="Migrant debriefing")
    assert [button for button in at.button if button.label == "Set the target"]


def test_demo_mode_without_sign_in_is_open_and_says_so(demo_db_path):
    at = _app("pages/overview.py", None, secrets={})
    assert at.metric
    assert any("Sign-in not configured" in caption.value for caption in at.sidebar.caption)


def _with_a_real_return(path) -> None:
    import datetime as dt

    from taskforce.core.db import connect
    from taskforce.returns import intake

    con = connect(path)
    raw = b"week_ending,org_code,measure_code,value\n2026-11-22,gwent,oic_arrests,3\n"
    assert intake.load(con, "real.csv", raw, "analyst", dt.datetime(2026, 11, 28, 9))[0].status == "committed"
    con.close()


def _live_database_with_a_return(tmp_path, monkeypatch):
    from taskforce.store.creating import create_live_database

    path = create_live_database(tmp_path / "live.duckdb")
    monkeypatch.setenv("TASKFORCE_DB", str(path))
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    _with_a_real_return(path)
    return path


def test_a_live_database_without_sign_in_is_refused(tmp_path, monkeypatch):
    """Given a live database holding a real return and no sign-in configured,
    when anyone opens a page, then it says sign-in is needed and shows no figure."""
    _live_database_with_a_return(tmp_path, monkeypatch)
    at = _app("pages/overview.py", None, secrets={})
    assert any("needs sign-in" in error.value for error in at.error)
    assert not at.metric


def test_a_live_database_with_anonymous_access_allowed_says_so(tmp_path, monkeypatch):
    _live_database_with_a_return(tmp_path, monkeypatch)
    at = _app("pages/overview.py", None, secrets={"taskforce_access": {"allow_anonymous": True}})
    assert at.metric
    assert any("Anonymous access is allowed" in warning.value for warning in at.sidebar.warning)
    assert not any("Demo data" in warning.value for warning in at.warning)
    returns_page = _app("pages/returns.py", None, secrets={"taskforce_access": {"allow_anonymous": True}})
    assert any("for the analyst role" in warning.value for warning in returns_page.warning)


def test_anonymous_access_written_as_a_text_is_refused_not_taken_for_true(tmp_path, monkeypatch):
    """Given a live database holding a real return, and `allow_anonymous = "false"` (a text, which Python takes
    for true) in the secrets file, when anyone opens a page, then it names the setting and shows nothing from
    the data. (Before: the live database was open to anonymous users.)"""
    _live_database_with_a_return(tmp_path, monkeypatch)
    at = _app("pages/overview.py", None, secrets={"taskforce_access": {"allow_anonymous": "false"}})
    assert not at.exception
    assert any(
        "[taskforce_access] allow_anonymous" in error.value and "true or false" in error.value for error in at.error
    )
    assert not at.metric and not at.dataframe and not at.sidebar.warning


def test_a_demo_database_stays_a_sandbox_after_a_practice_upload(writable_db_path, tmp_path, monkeypatch):
    """Given a demo database into which an analyst has loaded a file for practice,
    when anyone opens a page, then it is still open as a demo and still says Demo data."""
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    _with_a_real_return(writable_db_path)
    at = _app("pages/overview.py", None, secrets={})
    assert at.metric
    assert any("Demo data" in warning.value for warning in at.warning)


def test_a_signed_out_sign_in_is_refused_even_with_its_cookie(writable_db_path, monkeypatch):
    """Given an analyst who signed out (the sign-out recorded on the server),
    when the same sign-in is presented again (a copied cookie carries the same token),
    then the page offers sign-in and shows nothing from the data."""
    from taskforce.store.sign_outs import record_sign_out

    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    issued = int(time.time()) - 600  # signed in ten minutes ago
    user = {**_signed_in("someone@kent.police.uk"), "sub": "analyst-1", "iat": issued}
    assert _app("pages/overview.py", user).metric
    record_sign_out(writable_db_path, "analyst-1", issued, dt.datetime(2026, 11, 30, 9, 0))  # as another server would
    replayed = _app("pages/overview.py", user)
    assert any("Sign in" in info.value for info in replayed.info)
    assert not replayed.metric and not replayed.dataframe
    signed_in_again = _app("pages/overview.py", {**user, "iat": issued + 300})
    assert signed_in_again.metric


def _signed_in_with_history(store, monkeypatch) -> tuple[dict, dt.date]:
    """An analyst signed in on a store with a snapshot from ten days ago; the analyst and the day after it."""
    from taskforce.store import snapshots, writing

    monkeypatch.setenv("TASKFORCE_DB", str(store))
    with writing.writers_turn(store):
        ten_days_ago = snapshots.publish(store, now=dt.datetime.now(dt.UTC) - dt.timedelta(days=10))
    user = {**_signed_in("someone@kent.police.uk"), "sub": "analyst-2", "iat": int(time.time()) - 600}
    return user, ten_days_ago.published_at.astimezone(snapshots.LONDON).date() + dt.timedelta(days=1)


def test_signing_out_publishes_nothing(writable_db_path, monkeypatch):
    """Given an analyst signed in, when the analyst presses Sign out, then no snapshot is published (no copy of
    the store, no history slot used, no server's caches emptied), and the sign-in is refused from then on."""
    from taskforce.store import snapshots

    user, _ = _signed_in_with_history(writable_db_path, monkeypatch)
    at = _app("pages/overview.py", user)
    published = snapshots.listing(writable_db_path), snapshots.current(writable_db_path)
    at.button(key="sign_out").click().run()
    assert (snapshots.listing(writable_db_path), snapshots.current(writable_db_path)) == published
    assert not _app("pages/overview.py", user).metric


def test_a_sign_out_the_server_could_not_record_says_so_and_keeps_the_user_signed_in(
    writable_db_path, tmp_path, monkeypatch
):
    """Given an analyst signed in and a server that cannot write its list of sign-outs (here a symlink planted in
    its place), when the analyst presses Sign out, then the page says plainly that the sign-out was not recorded
    and what to do, and does not pretend to have signed the analyst out."""
    from taskforce.store.sign_outs import list_path

    user, _ = _signed_in_with_history(writable_db_path, monkeypatch)
    victim = tmp_path / "victim.txt"
    victim.write_text("not the list\n", encoding="utf-8")
    list_path(writable_db_path).symlink_to(victim)
    at = _app("pages/overview.py", user)
    at.button(key="sign_out").click().run()
    said = " ".join(error.value for error in at.error)
    assert "could not be recorded on the server" in said and "may still work" in said and "administrator" in said
    assert at.button(key="sign_out")  # still signed in here, and offered the sign-out again
    assert victim.read_text(encoding="utf-8") == "not the list\n"


def test_a_restore_to_before_a_sign_out_does_not_bring_the_sign_in_back(writable_db_path, monkeypatch):
    """Given an analyst who pressed Sign out, when the data is restored to a day before the sign-out, then a copy
    of the analyst's cookie is still refused."""
    user, day_before = _signed_in_with_history(writable_db_path, monkeypatch)
    _app("pages/overview.py", user).button(key="sign_out").click().run()
    restored = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskforce",
            "snapshots",
            "--db",
            str(writable_db_path),
            "restore",
            "--at",
            day_before.isoformat(),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert restored.returncode == 0, restored.stderr
    replayed = _app("pages/overview.py", user)
    assert any("Sign in" in info.value for info in replayed.info)
    assert not replayed.metric


def test_only_analysts_and_administrators_may_issue_the_briefing_pack(demo_db_path):
    """A viewer sees the slides, the download and the archive, but not the button that issues a pack."""
    viewer = _app("pages/briefing.py", _signed_in("officer@met.police.uk"), slide="1")
    assert not viewer.exception
    assert not any(button.key == "issue_pack" for button in viewer.button)
    assert any("Briefing archive" in header.value for header in viewer.subheader)
    analyst = _app("pages/briefing.py", _signed_in("someone@kent.police.uk"), slide="1")
    assert any(button.key == "issue_pack" for button in analyst.button)


def test_a_secrets_file_that_is_not_toml_refuses_every_page(writable_db_path, tmp_path, monkeypatch):
    """Given a demo store and a secrets file with an unclosed section header, a page names the file and shows
    nothing (before: read as no secrets, the demo opened to anyone as 'sign-in not configured')."""
    from streamlit import config

    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    broken = tmp_path / "secrets.toml"
    broken.write_text("[taskforce_access\nallow_anonymous = false\n")
    files = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(broken)])
    try:
        at = _app("pages/overview.py", None, secrets={})
    finally:
        config.set_option("secrets.files", files)
    assert not at.exception
    assert any(f"the settings file {broken} is not valid TOML" in error.value for error in at.error)
    assert not at.metric and not at.dataframe
