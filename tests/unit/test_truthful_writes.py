"""Writes tell the truth: a write commits and publishes, or says exactly what happened ("committed as upload N,
not yet published: why"), with its own exit code and no traceback; the same pack issued twice after a failed
publish is one issue; a server starting on an unpublished commit it cannot publish reads the current snapshot;
a write-ahead log left by a writer killed before its checkpoint counts as a change."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from taskforce.cli import EXIT_NOT_PUBLISHED, EXIT_OK, main
from taskforce.core.db import transaction
from taskforce.store import snapshots, writing
from tests.conftest import LATEST_WEEK, PROJECT_ROOT, count_in
from tests.small_disk import SmallDisk, small_disk

MEGABYTE = 1 << 20


def _in_current_snapshot(store: Path, sql: str) -> int:
    newest = snapshots.current(store)
    assert newest is not None
    con = duckdb.connect(str(newest.path), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def live_store(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    return tmp_path / "taskforce.duckdb"


@pytest.fixture
def full_disk(tmp_path, monkeypatch):
    """A snapshot folder on a small disk of its own, filled (by the test) after the first publish."""
    with small_disk(tmp_path / "snapshots", 64 * MEGABYTE) as disk:
        monkeypatch.setenv("TASKFORCE_SNAPSHOTS", str(disk.folder))
        yield disk


def _return_file(tmp_path: Path) -> Path:
    file = tmp_path / "kent.csv"
    file.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},kent,oic_arrests,5\n")
    return file


def _unpublished_ingest(store: Path, disk: SmallDisk, tmp_path: Path, capsys) -> pytest.CaptureResult:
    assert main(["init-db", "--db", str(store)]) == EXIT_OK
    disk.fill()
    capsys.readouterr()
    assert main(["ingest", str(_return_file(tmp_path)), "--db", str(store)]) == EXIT_NOT_PUBLISHED
    return capsys.readouterr()


def test_an_ingest_whose_publish_fails_says_it_is_committed_and_not_yet_published(
    live_store, full_disk, tmp_path, capsys
):
    """Given a snapshot disk that is full, when a return is ingested, then the command says the upload is
    committed and not yet published, and why, and exits 3 with no traceback; the store holds the upload, the
    dashboards' snapshot does not; once there is room, `snapshots publish` shows it."""
    said = _unpublished_ingest(live_store, full_disk, tmp_path, capsys)
    assert "Loaded" not in said.out
    assert "kent.csv: Committed as upload 1, not yet published: No space left on device" in said.err
    assert said.err.rstrip().endswith("the dashboards will show it after the next publish.")
    assert count_in(live_store, "select count(*) from upload where status = 'committed'") == 1
    assert _in_current_snapshot(live_store, "select count(*) from upload") == 0
    full_disk.make_room()
    assert main(["snapshots", "--db", str(live_store), "publish"]) == EXIT_OK
    assert _in_current_snapshot(live_store, "select count(*) from upload") == 1


def test_a_server_starting_on_a_commit_it_cannot_publish_reads_the_current_snapshot(
    live_store, full_disk, tmp_path, capsys, caplog
):
    """Given a commit not yet published and a full snapshot disk, when a server's first page brings the store
    up to date, then it goes on with the current snapshot (the log says why), instead of failing."""
    _unpublished_ingest(live_store, full_disk, tmp_path, capsys)
    current = snapshots.current(live_store)
    with caplog.at_level(logging.WARNING):
        assert writing.publish_if_missing(live_store) == current
    assert "could not be published (No space left on device" in caplog.text


def test_the_same_pack_issued_twice_after_a_failed_publish_is_one_issue(
    writable_db_path, tmp_path, monkeypatch, capsys
):
    """Given a full snapshot disk, when the week's pack is issued twice, then each run says the issue is
    committed and not yet published (exit 3), and the store holds one issue, not two."""
    store = writable_db_path
    with small_disk(tmp_path / "snapshots", store.stat().st_size + 8 * MEGABYTE) as disk:
        monkeypatch.setenv("TASKFORCE_SNAPSHOTS", str(disk.folder))
        writing.publish_if_missing(store)
        disk.fill()
        for _ in range(2):
            assert (
                main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--issue", "--db", str(store)])
                == EXIT_NOT_PUBLISHED
            )
            assert (
                "Committed as Week ending 22 Nov 2026, issue 1, not yet published: No space left on device"
                in capsys.readouterr().err
            )
        assert count_in(store, "select count(*) from issued_pack") == 1


def test_a_log_left_by_a_writer_killed_before_its_checkpoint_counts_as_a_change(live_store):
    """Given a published store, when a writer commits and is killed before its checkpoint (the change is only
    in the .wal), then the next server's first page publishes a snapshot with the change."""
    assert main(["init-db", "--db", str(live_store)]) == EXIT_OK
    first = snapshots.current(live_store)
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import os, signal
        from taskforce.core.db import connect, transaction
        con = connect({str(live_store)!r})
        with transaction(con) as cursor:
            cursor.execute("insert or replace into meta values ('probe', 'committed, never checkpointed')")
        os.kill(os.getpid(), signal.SIGKILL)
    """),
        ],
        cwd=PROJECT_ROOT,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL
    assert os.path.getsize(f"{live_store}.wal") > 0
    published = writing.publish_if_missing(live_store)
    assert first is not None and published.sequence == first.sequence + 1
    assert _in_current_snapshot(live_store, "select count(*) from meta where key = 'probe'") == 1


def test_a_failed_publish_inside_a_write_is_not_published_and_the_commit_stands(live_store, full_disk):
    """The library's word for it: the block's commit stands, and NotPublished says why."""
    assert main(["init-db", "--db", str(live_store)]) == EXIT_OK
    full_disk.fill()
    with pytest.raises(writing.NotPublished) as failure, writing.writing(live_store) as con, transaction(con) as cursor:
        cursor.execute("insert or replace into meta values ('probe', 'committed')")
    assert failure.value.why.startswith("No space left on device")
    assert count_in(live_store, "select count(*) from meta where key = 'probe'") == 1
