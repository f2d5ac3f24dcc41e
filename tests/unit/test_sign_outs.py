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
    subprocess.run([sys.executable, "-c", "import datetime as dt, sys; from pathlib import Path; "
                    "from taskforce.store.sign_outs import record_sign_out; "
                    "record_sign_out(Path(sys.argv[1]), 'analyst-1', int(sys.argv[2]), dt.datetime.now(dt.UTC))",
                    str(store), str(ISSUED)], cwd=PROJECT_ROOT, check=True, timeout=120)
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
        con.execute("create table signed_out (subject varchar not null, issued_at bigint not null, "
                    "signed_out_at timestamp not null, primary key (subject, issued_at))")
        con.execute("insert into signed_out values ('analyst-1', $issued, now())", {"issued": ISSUED})
        schema.ensure_schema(con)
        tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    finally:
        con.close()
    assert "signed_out" not in tables
    assert sign_outs.is_signed_out(writable_db_path, "analyst-1", ISSUED)
