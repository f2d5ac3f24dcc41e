"""The pointer and the restore check what they read: CURRENT is believed only as the bare name of a snapshot file
in the folder; a restore takes only a snapshot of this project, migrates it, and carries forward the audit of
uploads and refusals and the issued packs made since."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from taskforce.cli import EXIT_OK, EXIT_REJECTED, main
from taskforce.core import private
from taskforce.core.db import connect
from taskforce.core.queries import run_query
from taskforce.store import restoring, snapshots, writing
from taskforce.store.schema import SCHEMA_VERSION
from tests.conftest import LATEST_WEEK, PROJECT_ROOT, count_in

TEN_DAYS_AGO = dt.datetime.now(dt.UTC) - dt.timedelta(days=10)


@pytest.fixture
def published(writable_db_path, tmp_path, monkeypatch) -> tuple[Path, snapshots.Snapshot]:
    """The demo store with one snapshot, published ten days ago."""
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    with writing.writers_turn(writable_db_path):
        return writable_db_path, snapshots.publish(writable_db_path, now=TEN_DAYS_AGO)


def _tiny_file(folder: Path) -> Path:
    tiny = folder / "tiny"
    private.write_bytes(tiny, b"abc")
    return tiny


def _named_like_a_snapshot(first: snapshots.Snapshot, days_later: int = 1) -> Path:
    when = first.published_at + dt.timedelta(days=days_later)
    return first.path.with_name(f"{first.sequence + 90:06d}-{when:{snapshots.STAMP}}.duckdb")


@pytest.mark.parametrize(
    "pointer", ["../taskforce.duckdb", "garbage \u00ff\u0000", "/etc/passwd", "SYMLINK", "NEWER AND 3 BYTES"]
)
def test_a_pointer_that_names_no_snapshot_of_the_folder_is_not_believed(published, pointer, caplog):
    """Given CURRENT holding a path, garbage, an absolute path, the name of a symbolic link or of a 3-byte file,
    then readers read the newest real snapshot, and the log says so."""
    store, first = published
    fake = _named_like_a_snapshot(first)
    if pointer == "SYMLINK":
        fake.symlink_to(_tiny_file(fake.parent))
        pointer = fake.name
    if pointer == "NEWER AND 3 BYTES":
        private.write_bytes(fake, b"abc")
        pointer = fake.name
    (first.path.parent / snapshots.POINTER).write_text(pointer + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert snapshots.current(store) == first
    assert "not a published snapshot in that folder; reading the newest one instead" in caplog.text


def _restore(store: Path, first: snapshots.Snapshot, days_later: int = 0) -> int:
    """Restore the data as it stood at the end of the day `days_later` than `first` was published."""
    day = first.published_at.astimezone(snapshots.LONDON).date() + dt.timedelta(days=days_later)
    return main(["snapshots", "--db", str(store), "restore", "--at", day.isoformat()])


def _returns(store: Path) -> int:
    return count_in(store, "select count(*) from weekly_return")


def test_a_symbolic_link_named_like_a_snapshot_is_never_restored(published, capsys):
    """Given a symbolic link named like a newer snapshot, pointing to a 3-byte file, when the data is restored
    to its day, then the link is passed over: the real snapshot before it is restored and the store is whole."""
    store, first = published
    fake = _named_like_a_snapshot(first)
    fake.symlink_to(_tiny_file(fake.parent))
    returns = _returns(store)
    assert _restore(store, first, 2) == EXIT_OK
    assert f"Restored the data as it stood in {first.label}" in capsys.readouterr().out
    assert _returns(store) == returns


def test_a_file_named_like_a_snapshot_that_is_not_a_database_of_ours_changes_nothing(published, capsys):
    """Given a 3-byte file, and then a DuckDB database that is not this dashboard's, named like the newest
    snapshot, when the data is restored to its day, then nothing is changed (exit 1) and the store is whole."""
    store, first = published
    fake = _named_like_a_snapshot(first)
    private.write_bytes(fake, b"abc")
    returns = _returns(store)
    assert _restore(store, first, 2) == EXIT_REJECTED
    assert "is not a snapshot" in capsys.readouterr().err
    fake.unlink()
    connect(fake).close()
    assert _restore(store, first, 2) == EXIT_REJECTED
    assert "is not a database of this dashboard" in capsys.readouterr().err
    assert _returns(store) == returns and snapshots.current(store) == first


def _as_schema_8(snapshot: snapshots.Snapshot) -> None:
    """Make a snapshot what it would have been before migrations 009 to 012: no seal and no `snapshot` column on
    issued packs, sign-outs still in a table of the store, and no returns contact for an organisation."""
    con = duckdb.connect(str(snapshot.path))
    try:
        con.execute("alter table org drop column returns_contact")
        con.execute("alter table issued_pack drop column hmac_sha256")
        con.execute("alter table issued_pack drop column snapshot")
        con.execute(
            "create table signed_out (subject varchar not null, issued_at bigint not null, "
            "signed_out_at timestamp not null, primary key (subject, issued_at))"
        )
        con.execute("update meta set value = '8' where key = 'schema_version'")
    finally:
        con.close()


def test_an_older_schema_snapshot_is_migrated_before_it_is_published(published):
    """Given a snapshot of an older schema, when it is restored, then the published snapshot is at this code's
    schema, and the briefing archive's query runs on it."""
    store, first = published
    assert SCHEMA_VERSION == 16  # _as_schema_8 undoes 009 to 012; 013 (keys dropped), 014 to 016 run on any
    _as_schema_8(first)
    assert _restore(store, first) == EXIT_OK
    newest = snapshots.current(store)
    assert newest is not None and newest.sequence > first.sequence
    reader = duckdb.connect(str(newest.path), read_only=True)
    try:
        assert reader.execute("select value from meta where key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )
        run_query(reader, "issued_packs")
    finally:
        reader.close()


def test_a_restore_carries_forward_the_audit_and_the_issued_packs(published, tmp_path, capsys):
    """Given, after a snapshot, a committed upload, a refused one and an issued pack, when the data is
    restored to that snapshot, then the values are back as they stood, but both uploads, the refusal's
    problems and the pack are still recorded; the undone upload says so and its file loads again; the next
    pack issued gets an id of its own."""
    store, first = published
    good, bad = tmp_path / "kent.csv", tmp_path / "bad.csv"
    good.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},kent,oic_arrests,999\n")
    bad.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},kentt,oic_arrests,1\n")
    assert main(["ingest", str(good), "--db", str(store), "--confirm-warnings"]) == EXIT_OK
    main(["ingest", str(bad), "--db", str(store)])
    assert main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--issue", "--db", str(store)]) == EXIT_OK
    uploads = count_in(store, "select count(*) from upload")
    capsys.readouterr()
    assert _restore(store, first) == EXIT_OK
    assert "2 upload record(s) and 1 issued pack(s) made since" in capsys.readouterr().out
    assert count_in(store, "select count(*) from upload") == uploads
    assert count_in(store, "select count(*) from upload_error where message like '%kentt%'") == 1
    assert count_in(store, "select count(*) from issued_pack") == 1
    assert count_in(store, "select count(*) from weekly_return where value = 999") == 0
    assert (
        count_in(
            store,
            "select count(*) from upload where message like '%its values were undone by the restore of snapshot%'",
        )
        == 1
    )
    assert main(["ingest", str(good), "--db", str(store), "--confirm-warnings"]) == EXIT_OK
    assert count_in(store, "select count(*) from weekly_return where value = 999") == 1
    assert main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--issue", "--db", str(store)]) == EXIT_OK
    assert count_in(store, "select count(distinct pack_id) from issued_pack") == 2
    assert _data_version(store) > _data_version(first.path) + 1  # never back in time, across a restore too


def test_a_restore_of_a_snapshot_with_a_pack_swapped_keeps_the_real_pack(published):
    """Given an issued pack, and its snapshot edited so the pack is gone and an unsealed 'EVIL' row numbered -1
    takes its week and issue, when the data is restored to that snapshot, then the store still holds the real
    pack, which verifies, and not the forged one (before: the forged one was served, the real one was gone)."""
    import hashlib

    from taskforce.briefing import issued_packs
    from taskforce.store.pack_key import read_pack_key

    store, _ = published
    assert main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--issue", "--db", str(store)]) == EXIT_OK
    edited = snapshots.current(store)
    con = duckdb.connect(str(edited.path))
    try:
        con.execute(
            "create temp table real as select * from issued_pack where pack_id = 1; "
            "delete from issued_figure; delete from issued_pack; insert into issued_pack select * replace "
            "(-1 as pack_id, 'EVIL'::blob as content, $sha as sha256, null as hmac_sha256) from real",
            {"sha": hashlib.sha256(b"EVIL").hexdigest()},
        )
    finally:
        con.close()
    day = edited.published_at.astimezone(snapshots.LONDON).date()
    assert main(["snapshots", "--db", str(store), "restore", "--at", day.isoformat()]) == EXIT_OK
    assert [row[0] for row in _rows(store, "select pack_id from issued_pack")] == [1]
    reader = connect(store)
    try:
        assert issued_packs.issued_file(reader, 1, read_pack_key(store)).sealed
    finally:
        reader.close()


def _rows(path: Path, sql: str) -> list:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _data_version(path: Path) -> int:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return int(con.execute("select value from meta where key = 'data_version'").fetchone()[0])
    finally:
        con.close()


def test_a_restore_never_puts_demo_data_in_a_live_store(published, capsys):
    """Given a demo snapshot and, since, a live store in its place, when the data is restored to the demo
    snapshot's day, then nothing is changed."""
    store, first = published
    assert main(["init-db", "--db", str(store), "--force"]) == EXIT_OK
    assert _restore(store, first) == EXIT_REJECTED
    assert "never mixes demo and live data" in capsys.readouterr().err
    assert _returns(store) == 0


def test_a_restore_mends_a_store_that_no_longer_opens(published, tmp_path, capsys):
    """Given a store damaged beyond opening, a load says so (not that another program holds it) and points to
    the restore; when a good snapshot is restored, the store opens again (and the command says nothing could
    be carried forward)."""
    store, first = published
    os.truncate(store, 3)
    Path(f"{store}.wal").unlink(missing_ok=True)
    file = tmp_path / "kent.csv"
    file.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},kent,oic_arrests,5\n")
    assert main(["ingest", str(file), "--db", str(store)]) == EXIT_REJECTED
    said = capsys.readouterr().err
    assert "cannot be opened" in said and "snapshots restore" in said and "held open" not in said
    assert _restore(store, first) == EXIT_OK
    assert "so nothing was carried forward" in capsys.readouterr().out
    con = connect(store)
    con.close()
    assert _returns(store) > 0


def test_a_pointer_to_a_hard_link_of_the_store_is_not_believed(published, caplog):
    """Given CURRENT naming a hard link to the store (a server would hold the store's file open and every writer
    fail as 'held open'), then readers read the newest real snapshot, and the log says so."""
    store, first = published
    fake = _named_like_a_snapshot(first)
    os.link(store, fake)
    (first.path.parent / snapshots.POINTER).write_text(fake.name + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert snapshots.current(store) == first
    assert "not a published snapshot in that folder; reading the newest one instead" in caplog.text
    assert not snapshots.is_a_snapshot(store, fake)


def test_a_fifo_as_the_pointer_or_as_the_snapshot_it_names_hangs_no_reader(published, tmp_path):
    """Given CURRENT a FIFO, and then CURRENT naming a FIFO named like a snapshot, a reader (in a process of its
    own, so a hang fails the test rather than the run) reads the real snapshot at once."""
    store, first = published
    pointer = first.path.parent / snapshots.POINTER
    pointer.unlink()
    os.mkfifo(pointer)
    assert _current_in_a_process(store) == first.name
    pointer.unlink()
    fifo = _named_like_a_snapshot(first)
    os.mkfifo(fifo)
    pointer.write_text(fifo.name + "\n", encoding="utf-8")
    assert _current_in_a_process(store) == first.name


def _current_in_a_process(store: Path) -> str:
    code = (
        "import sys; from pathlib import Path; from taskforce.store import snapshots; "
        "print(snapshots.current(Path(sys.argv[1])).name)"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, str(store)],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
            cwd=PROJECT_ROOT,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("a reader hung on a FIFO")
    return done.stdout.strip()


def test_a_snapshot_that_lacks_a_table_of_its_schema_is_not_restored(published, capsys):
    """Given a snapshot whose meta says schema 10 and demo, but with no upload_error table, when it is restored,
    then nothing is changed (exit 1, a plain sentence naming the table), and a refused ingest is still recorded."""
    store, first = published
    con = duckdb.connect(str(first.path))
    try:
        con.execute("drop table upload_error")
        con.execute("update meta set value = '10' where key = 'schema_version'")
    finally:
        con.close()
    returns = _returns(store)
    assert _restore(store, first) == EXIT_REJECTED
    said = capsys.readouterr().err
    assert "is not a whole database of this dashboard: it lacks upload_error" in said and "Traceback" not in said
    assert _returns(store) == returns and snapshots.current(store) == first
    assert not restoring.restoring_path(store).exists()


def test_a_restore_keeps_the_briefings_actions_and_their_history(published, capsys):
    """Given an action agreed and updated after a snapshot, when the data is restored to that snapshot, then the
    action, its state now and every change to it are still there (decisions are not data a restore takes back),
    and the next action recorded gets an id of its own."""
    store, first = published

    def actions(*words: str) -> int:
        return main(["actions", "--db", str(store), *words])

    agreed = ["add", "--what", "Chase the missing returns", "--owner", "kent", "--role", "ACC", "--by", "chair"]
    demo_actions = count_in(store, "select count(*) from briefing_action")  # the demo's agreed actions
    assert actions(*agreed, "--due", "2026-12-20", "--week", LATEST_WEEK.isoformat()) == EXIT_OK
    changes = count_in(store, "select count(*) from briefing_action_change")
    assert _restore(store, first) == EXIT_OK
    assert count_in(store, "select count(*) from briefing_action") == demo_actions + 1
    assert count_in(store, "select count(*) from briefing_action_change") == changes
    assert actions(*agreed, "--due", "2026-12-27", "--week", LATEST_WEEK.isoformat()) == EXIT_OK
    assert count_in(store, "select count(distinct action_id) from briefing_action") == demo_actions + 2
