"""The list of sign-outs beside the store: outside every snapshot, private, seen by every reader at once, safe with
several writers and a crashed one, kept small, and filled from the table the store held before."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time

import pytest

from taskforce.core.db import connect
from taskforce.store import schema, sign_outs
from taskforce.store.sign_outs import is_signed_out, list_path, record_sign_out
from tests.conftest import PROJECT_ROOT
from tests.small_disk import small_disk

NOW = dt.datetime.now(dt.UTC)
ISSUED = int(time.time()) - 600  # signed in ten minutes ago (a sign-in older than any cookie is dropped)


@pytest.fixture
def store(tmp_path):
    return tmp_path / "taskforce.duckdb"  # the list needs only the store's name and folder


def test_a_sign_out_goes_in_a_list_beside_the_store_outside_its_snapshots(store):
    record_sign_out(store, "analyst-1", ISSUED, NOW)
    assert list_path(store) == store.with_name("taskforce.duckdb.sign-outs")
    assert list_path(store).is_file() and not store.exists()
    assert is_signed_out(store, "analyst-1", ISSUED)
    assert not is_signed_out(store, "analyst-1", ISSUED + 300)  # a later sign-in of the same person
    assert not is_signed_out(store, "analyst-2", ISSUED)


def test_another_server_sees_a_sign_out_at_once(store):
    """Given a reader that has already read the list, when another process records a sign-out, then the reader's
    very next check refuses that sign-in (nothing held for a while)."""
    record_sign_out(store, "viewer-1", ISSUED, NOW)
    assert not is_signed_out(store, "analyst-1", ISSUED)
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import datetime as dt, sys; from pathlib import Path; "
            "from taskforce.store.sign_outs import record_sign_out; "
            "record_sign_out(Path(sys.argv[1]), 'analyst-1', int(sys.argv[2]), dt.datetime.now(dt.UTC))",
            str(store),
            str(ISSUED),
        ],
        cwd=PROJECT_ROOT,
        check=True,
        timeout=120,
    )
    assert is_signed_out(store, "analyst-1", ISSUED)


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_the_list_is_created_readable_by_its_group_only(store, umask):
    previous = os.umask(umask)
    try:
        record_sign_out(store, "analyst-1", ISSUED, NOW)
    finally:
        os.umask(previous)
    assert list_path(store).stat().st_mode & 0o777 == 0o640


def test_writers_at_once_lose_no_sign_out(store):
    def sign_outs_of(writer: int) -> None:
        for number in range(25):
            record_sign_out(store, f"user-{writer}-{number}", ISSUED, NOW)

    writers = [threading.Thread(target=sign_outs_of, args=(writer,)) for writer in range(4)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=300)
    assert all(is_signed_out(store, f"user-{w}-{n}", ISSUED) for w in range(4) for n in range(25))
    assert len(list_path(store).read_text(encoding="utf-8").splitlines()) == 100


def test_a_line_a_crashed_writer_left_unfinished_hides_no_later_sign_out(store):
    record_sign_out(store, "analyst-1", ISSUED, NOW)
    with list_path(store).open("a", encoding="utf-8") as unfinished:
        unfinished.write('{"sub": "analyst-2", "ia')
    assert is_signed_out(store, "analyst-1", ISSUED)
    record_sign_out(store, "analyst-3", ISSUED, NOW)
    assert is_signed_out(store, "analyst-3", ISSUED)
    assert not is_signed_out(store, "analyst-2", ISSUED)


def test_sign_ins_older_than_any_cookie_are_dropped_from_the_list(store):
    """Given a sign-out of a sign-in issued 40 days ago (no cookie lives that long), when a sign-out is recorded
    now, then the list is rewritten without the old line, still private, and a reader that read the old list
    reads the new one."""
    forty_days_ago, a_minute_ago = int(time.time()) - 40 * 86400, int(time.time()) - 60
    record_sign_out(store, "old", forty_days_ago, NOW - dt.timedelta(days=39))
    assert is_signed_out(store, "old", forty_days_ago)
    record_sign_out(store, "new", a_minute_ago, NOW)
    assert list_path(store).read_text(encoding="utf-8").count("\n") == 1
    assert list_path(store).stat().st_mode & 0o777 == 0o640
    assert is_signed_out(store, "new", a_minute_ago)
    assert not is_signed_out(store, "old", forty_days_ago)
    assert not list(store.parent.glob("*.rewriting"))


def test_the_sign_outs_a_store_held_move_to_the_list(writable_db_path):
    """Given a store of schema 9, which kept sign-outs in a table of its own, when it is brought to this code's
    schema (in the writer's turn), then every sign-out it held is in the list and the table is gone."""
    con = connect(writable_db_path)
    try:
        con.execute("update meta set value = '9' where key = 'schema_version'")
        con.execute(
            "create table signed_out (subject varchar not null, issued_at bigint not null, "
            "signed_out_at timestamp not null, primary key (subject, issued_at))"
        )
        con.execute("insert into signed_out values ('analyst-1', $issued, now())", {"issued": ISSUED})
        schema.ensure_schema(con)
        tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert "signed_out" not in tables
    assert sign_outs.is_signed_out(writable_db_path, "analyst-1", ISSUED)


def _padded_list(store, size: int) -> bytes:
    """The list as one sign-out padded (with spaces inside its JSON) to `size` bytes, its newline included."""
    line = b'{"sub": "analyst-0", "iat": %d, "at": "%s"}' % (ISSUED, NOW.isoformat().encode())
    padded = line[:-1] + b" " * (size - len(line) - 1) + b"}\n"
    list_path(store).write_bytes(padded)
    return padded


def test_a_sign_out_on_a_full_disk_says_so_and_leaves_no_half_line(tmp_path):
    """Given a list that ends 7 bytes short of a page on a full disk (so a sign-out's line would be cut short),
    when a sign-out is recorded, then it fails plainly, the list is as it was, and once there is room the next
    sign-out is read by every reader."""
    with small_disk(tmp_path / "disk", 2 << 20) as disk:
        store = disk.folder / "taskforce.duckdb"
        before = _padded_list(store, 4089)
        disk.fill()
        with pytest.raises(sign_outs.SignOutNotRecorded, match="could not be recorded"):
            record_sign_out(store, "analyst-1", ISSUED, NOW)
        assert list_path(store).read_bytes() == before
        disk.make_room()
        record_sign_out(store, "analyst-2", ISSUED, NOW)
        assert is_signed_out(store, "analyst-2", ISSUED) and is_signed_out(store, "analyst-0", ISSUED)
        assert not is_signed_out(store, "analyst-1", ISSUED)


def _victim(tmp_path):
    victim = tmp_path / "elsewhere" / "victim.txt"
    victim.parent.mkdir()
    victim.write_bytes(b"not the list\n")
    victim.chmod(0o600)
    return victim


def _untouched(victim) -> bool:
    return victim.read_bytes() == b"not the list\n" and victim.stat().st_mode & 0o777 == 0o600


def test_a_list_that_is_a_symlink_is_refused_not_followed(store, tmp_path):
    victim = _victim(tmp_path)
    list_path(store).symlink_to(victim)
    with pytest.raises(sign_outs.SignOutNotRecorded, match="symbolic link"):
        record_sign_out(store, "analyst-1", ISSUED, NOW)
    assert _untouched(victim) and list_path(store).is_symlink()


def test_a_symlink_planted_as_the_rewritten_list_is_refused_not_followed(store, tmp_path, caplog):
    """Given a list due for its rewrite and a symlink to another file planted where the rewrite is written, when
    a sign-out is recorded, then the sign-out stands, the other file is untouched, the list is still the list,
    and the log says why it was not rewritten."""
    victim = _victim(tmp_path)
    forty_days_ago = int(time.time()) - 40 * 86400
    record_sign_out(store, "old", forty_days_ago, NOW - dt.timedelta(days=39))
    rewriting = store.with_name(list_path(store).name + ".rewriting")
    rewriting.symlink_to(victim)
    record_sign_out(store, "new", ISSUED, NOW)
    assert _untouched(victim) and not list_path(store).is_symlink()
    assert is_signed_out(store, "new", ISSUED)
    assert any("symbolic link" in record.getMessage() for record in caplog.records)


def test_a_stale_rewrite_left_by_a_crashed_writer_is_replaced(store):
    forty_days_ago = int(time.time()) - 40 * 86400
    record_sign_out(store, "old", forty_days_ago, NOW - dt.timedelta(days=39))
    store.with_name(list_path(store).name + ".rewriting").write_bytes(b'{"sub": "stale", "iat": 1}\n' * 50)
    record_sign_out(store, "new", ISSUED, NOW)
    assert list_path(store).read_text(encoding="utf-8").count("\n") == 1
    assert is_signed_out(store, "new", ISSUED) and not is_signed_out(store, "stale", 1)
    assert not list(store.parent.glob("*.rewriting"))
