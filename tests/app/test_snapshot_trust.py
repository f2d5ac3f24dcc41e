"""Pages read what the pointer names only when it is a snapshot of the folder, and go on serving the current
snapshot when a publish fails: a pointer to the store itself, a garbage pointer, a server starting on a commit
it cannot publish, and a web upload whose publish fails."""

from __future__ import annotations

import subprocess
import sys

import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core.db import transaction
from taskforce.store import reading, snapshots, writing
from tests.conftest import LATEST_WEEK, PROJECT_ROOT, count_in, run_page
from tests.small_disk import small_disk

WEEK = LATEST_WEEK.isoformat()


@pytest.fixture
def page_db(writable_db_path, tmp_path, monkeypatch):
    """The demo store as the pages' own, with uploads kept in the test's folder."""
    for name, value in {"TASKFORCE_DB": writable_db_path, "TASKFORCE_UPLOADS": tmp_path / "uploads"}.items():
        monkeypatch.setenv(name, str(value))
    return writable_db_path


@pytest.fixture
def running_server(page_db, monkeypatch):
    """A server that has shown a page already (so its first-page check is done), and reads the pointer
    again on every rerun."""
    monkeypatch.setattr(reading, "POINTER_CHECK_SECONDS", 0.0)
    assert _shows_the_overview(run_page("overview"))
    return page_db


def _point_at(store, text: str) -> None:
    newest = snapshots.current(store)
    assert newest is not None
    (newest.path.parent / snapshots.POINTER).write_text(text + "\n", encoding="utf-8")


def _shows_the_overview(at: AppTest) -> bool:
    return not at.exception and not at.error and bool(at.metric)


def test_a_pointer_to_the_store_itself_is_not_followed_and_loads_go_on(running_server, tmp_path):
    """Given a running server, when CURRENT is set to ../taskforce.duckdb and a page opens, then it shows the
    newest snapshot (never the store), so a command-line load is not refused as 'held open by another
    program'."""
    page_db = running_server
    _point_at(page_db, f"../{page_db.name}")
    assert _shows_the_overview(run_page("overview"))
    file = tmp_path / "gwent.csv"
    file.write_text(f"week_ending,org_code,measure_code,value\n{WEEK},gwent,oic_arrests,3\n")
    loaded = subprocess.run(
        [sys.executable, "-m", "taskforce", "ingest", str(file), "--db", str(page_db)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert loaded.returncode == 0, loaded.stderr


def test_a_garbage_pointer_does_not_break_the_pages(running_server):
    _point_at(running_server, "\u00ff\u00fe not a snapshot")
    assert _shows_the_overview(run_page("overview"))


def test_a_fresh_server_with_a_commit_it_cannot_publish_serves_the_current_snapshot(page_db, tmp_path, monkeypatch):
    """Given a commit that could not be published (the snapshot disk is full), when a fresh server's first page
    opens, then it shows the current snapshot, not an error."""
    with small_disk(tmp_path / "snapshots", page_db.stat().st_size + (8 << 20)) as disk:
        monkeypatch.setenv("TASKFORCE_SNAPSHOTS", str(disk.folder))
        writing.publish_if_missing(page_db)
        disk.fill()
        with pytest.raises(writing.NotPublished), writing.writing(page_db) as con, transaction(con) as cursor:
            cursor.execute("update weekly_return set value = value + 1 where org_code = 'kent'")
        assert _shows_the_overview(run_page("overview"))


def test_a_web_upload_whose_publish_fails_says_so_and_the_page_goes_on(page_db, tmp_path, monkeypatch):
    """Given a full snapshot disk, when an analyst loads a return, then the page says it is committed and not
    yet published, and why, and the page goes on working on the current snapshot."""
    with small_disk(tmp_path / "snapshots", page_db.stat().st_size + (8 << 20)) as disk:
        monkeypatch.setenv("TASKFORCE_SNAPSHOTS", str(disk.folder))
        writing.publish_if_missing(page_db)
        disk.fill()
        at = run_page("returns", section="Load a return")
        raw = f"week_ending,org_code,measure_code,value\n{WEEK},gwent,oic_arrests,3\n".encode()
        at.file_uploader(key="return_file").set_value(("gwent.csv", raw, "text/csv")).run()
        at.button(key="commit_return").click().run()
        assert not at.exception
        assert any(
            warning.value.startswith("Committed (loading gwent.csv), not yet published: No space left on device")
            for warning in at.warning
        )
        assert count_in(page_db, "select count(*) from upload where file_name = 'gwent.csv'") == 1
        assert not at.run().exception
