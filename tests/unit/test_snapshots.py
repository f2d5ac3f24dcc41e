"""Published snapshots: one writer at a time, an immutable copy per write, a pointer moved atomically, a history
kept to a rule, and restore by date."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from taskforce.core.db import transaction
from taskforce.store import snapshots, writing
from tests.conftest import LATEST_WEEK, PROJECT_ROOT

UTC = dt.UTC


def _arrests(path) -> float:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute("select sum(value) from weekly_return where measure_code = 'oic_arrests'").fetchone()[0]
    finally:
        con.close()


def _add_arrests(store, value: int, org: str = "kent") -> None:
    with writing.writing(store) as con, transaction(con) as cursor:
        cursor.execute(
            "update weekly_return set value = value + $v where org_code = $org and week_ending = $week "
            "and measure_code = 'oic_arrests'",
            {"v": value, "org": org, "week": LATEST_WEEK},
        )


def test_each_write_publishes_a_new_snapshot_and_an_open_reader_keeps_its_own(writable_db_path):
    """Given a published snapshot open in a reader, when a writer changes the store, then a new snapshot is
    current with the change, and the reader still sees exactly what it opened (never half a load)."""
    first = writing.publish_if_missing(writable_db_path)
    reader = duckdb.connect(str(first.path), read_only=True)
    before = reader.execute("select sum(value) from weekly_return").fetchone()[0]
    _add_arrests(writable_db_path, 1000)
    newest = snapshots.current(writable_db_path)
    assert newest is not None and newest.sequence == first.sequence + 1
    assert _arrests(newest.path) == _arrests(first.path) + 1000
    assert reader.execute("select sum(value) from weekly_return").fetchone()[0] == before
    reader.close()


def test_a_crash_while_publishing_leaves_the_previous_snapshot_current(writable_db_path, monkeypatch):
    """Given a current snapshot, when the process dies while copying the next one (here: the copy raises
    half way), then the pointer still names the previous snapshot, and the next publish clears the leftover."""
    first = writing.publish_if_missing(writable_db_path)

    def dies(*_args, **_kwargs):
        raise OSError("the machine lost power")

    monkeypatch.setattr(snapshots.os, "replace", dies)
    with pytest.raises(OSError):
        snapshots.publish(writable_db_path)
    monkeypatch.undo()
    assert snapshots.current(writable_db_path) == first
    assert list(first.path.parent.glob("*.partial"))
    second = snapshots.publish(writable_db_path)
    assert snapshots.current(writable_db_path) == second
    assert not list(first.path.parent.glob("*.partial"))


def test_the_history_keeps_the_newest_few_and_one_a_week_for_a_year():
    """Given a snapshot every day for two years, then the rule keeps the newest 5 and the newest of each of
    the last 52 weeks, and nothing older."""
    now = dt.datetime(2026, 11, 30, 12, tzinfo=UTC)
    every_day = [
        snapshots.Snapshot(PROJECT_ROOT / f"{n:06d}.duckdb", n, now - dt.timedelta(days=730 - n)) for n in range(1, 731)
    ]
    kept = snapshots.kept(every_day, now, keep_last=5, keep_weeks=52)
    newest_five = {snapshot.sequence for snapshot in every_day[-5:]}
    assert newest_five <= {snapshot.sequence for snapshot in kept}
    weeks = {snapshot.published_at.isocalendar()[:2] for snapshot in kept}
    assert 52 <= len(weeks) <= 53
    assert min(snapshot.published_at for snapshot in kept) >= now - dt.timedelta(weeks=52)
    assert len(kept) <= 5 + 53


def test_restore_brings_back_the_data_as_it_stood_and_keeps_the_history(writable_db_path):
    """Given snapshots before and after a change, when the data is restored to the earlier one's date, then
    the store and a new current snapshot hold the earlier data, and every snapshot is still listed."""
    with writing.writers_turn(writable_db_path):  # as if published ten days ago
        first = snapshots.publish(writable_db_path, now=dt.datetime.now(UTC) - dt.timedelta(days=10))
    _add_arrests(writable_db_path, 500)
    assert _arrests(writable_db_path) == _arrests(first.path) + 500
    day = first.published_at.astimezone(snapshots.LONDON).date() + dt.timedelta(days=1)
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
            day.isoformat(),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert restored.returncode == 0, restored.stderr
    assert _arrests(writable_db_path) == _arrests(first.path)
    restored_snapshot = snapshots.current(writable_db_path)
    assert restored_snapshot is not None and _arrests(restored_snapshot.path) == _arrests(first.path)
    listed = subprocess.run(
        [sys.executable, "-m", "taskforce", "snapshots", "--db", str(writable_db_path), "list"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.stdout.count("snapshot ") == 3 and "(current)" in listed.stdout
    too_early = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskforce",
            "snapshots",
            "--db",
            str(writable_db_path),
            "restore",
            "--at",
            "2001-01-01",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert too_early.returncode == 1 and "No snapshot was published on or before 2001-01-01" in too_early.stderr


def test_a_waiting_writer_says_who_it_waits_for_then_loads(writable_db_path, tmp_path):
    """Given another writer holding the turn, when a file is ingested, then the command says it is waiting and
    for what, and loads the file as soon as the turn is free."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import time
        from pathlib import Path
        from taskforce.store.writing import writers_turn
        with writers_turn(Path({str(writable_db_path)!r}), doing="a test load"):
            print("holding", flush=True)
            time.sleep(3)
    """),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    file = tmp_path / "gwent.csv"
    file.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},gwent,oic_arrests,3\n")
    loaded = subprocess.run(
        [sys.executable, "-m", "taskforce", "ingest", str(file), "--db", str(writable_db_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    holder.wait(timeout=30)
    assert loaded.returncode == 0, loaded.stderr
    assert "Waiting for another writer to finish (a test load by process" in loaded.stderr
    assert "Loaded 1 values" in loaded.stdout or "Loaded 1 value" in loaded.stdout
    assert snapshots.current(writable_db_path) is not None


def test_the_snapshot_folder_can_be_put_elsewhere(writable_db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("TASKFORCE_SNAPSHOTS", str(tmp_path / "shared-storage"))
    published = writing.publish_if_missing(writable_db_path)
    assert published.path.parent == tmp_path / "shared-storage"
    assert os.path.exists(tmp_path / "shared-storage" / snapshots.POINTER)
