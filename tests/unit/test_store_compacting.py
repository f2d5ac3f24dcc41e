"""The store's file costs what its data costs: new stores are made of 16 KiB blocks, and the writer compacts a
store that wastes space (256 KiB blocks from before, or a quarter of its blocks free) before publishing it. The
compacted store holds exactly what the store held: every table's rows, the views, the keys and the sequences'
positions; a copy that differs, or a store still open in the process, leaves the store as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from taskforce.core.db import BLOCK_SIZE, connect, transaction
from taskforce.store import compacting, snapshots
from taskforce.store.creating import create_live_database
from taskforce.store.writing import writing

DUCKDB_DEFAULT_BLOCK_SIZE = 256 * 1024


def _blocks(path: Path) -> compacting.Blocks:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return compacting.blocks(con)
    finally:
        con.close()


def _contents(path: Path) -> dict:
    """Every table's rows (in a fixed order), the views' text and the constraints, read from the file."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        tables = [row[0] for row in con.execute("select table_name from duckdb_tables() order by 1").fetchall()]
        held: dict = {table: sorted(map(repr, con.execute(f'select * from "{table}"').fetchall())) for table in tables}
        held["views"] = con.execute(
            "select view_name, sql from duckdb_views() where not internal order by 1"
        ).fetchall()
        held["constraints"] = con.execute(
            "select table_name, constraint_text from duckdb_constraints() order by all"
        ).fetchall()
        return held
    finally:
        con.close()


@pytest.fixture
def old_store(writable_db_path: Path, tmp_path: Path) -> Path:
    """The demo store as a file of DuckDB's default 256 KiB blocks (a store made before this layout)."""
    old = tmp_path / "old" / "taskforce.duckdb"
    old.parent.mkdir(mode=0o750)
    con = duckdb.connect(str(old), config={"default_block_size": str(DUCKDB_DEFAULT_BLOCK_SIZE)})
    try:
        con.execute("attach $path as demo (read_only)", {"path": str(writable_db_path)})
        con.execute(f"copy from database demo to {old.stem}")
    finally:
        con.close()
    old.chmod(0o640)
    assert _blocks(old).size == DUCKDB_DEFAULT_BLOCK_SIZE
    return old


def test_a_new_store_is_made_of_the_stores_blocks(tmp_path: Path):
    store = create_live_database(tmp_path / "live" / "taskforce.duckdb")
    assert _blocks(store).size == BLOCK_SIZE == 16 * 1024


def test_the_demo_store_is_made_of_the_stores_blocks(writable_db_path: Path):
    assert _blocks(writable_db_path).size == BLOCK_SIZE


def test_a_write_compacts_a_store_of_old_blocks_and_publishes_it_smaller(old_store: Path):
    before, size_before = _contents(old_store), old_store.stat().st_size
    with writing(old_store) as con, transaction(con) as cursor:
        cursor.execute("insert or replace into meta values ('compacting_test', 'written')")
    after = _contents(old_store)
    assert _blocks(old_store).size == BLOCK_SIZE
    assert old_store.stat().st_size < 0.8 * size_before
    assert after.pop("meta") == sorted([*before.pop("meta"), repr(("compacting_test", "written"))])
    assert after == before
    published = snapshots.current(old_store)
    assert published is not None and _blocks(published.path).size == BLOCK_SIZE
    assert published.path.read_bytes() == old_store.read_bytes()


def test_a_compacted_store_keeps_its_keys_and_its_sequences_positions(old_store: Path):
    con = connect(old_store)
    try:
        issued = [con.execute("select nextval('mail_log_id')").fetchone() for _ in range(3)]
    finally:
        con.close()
    compacting.compact(old_store)
    con = connect(old_store)
    try:
        following = con.execute("select nextval('mail_log_id')").fetchone()
        with pytest.raises(duckdb.ConstraintException):
            con.execute("insert into org select * from org limit 1")
    finally:
        con.close()
    assert issued == [(1,), (2,), (3,)] and following == (4,)


def test_a_store_with_a_quarter_of_its_blocks_free_is_compacted(writable_db_path: Path):
    con = connect(writable_db_path)
    try:
        con.execute("create table spare as select range as n, md5(range::varchar) as text from range(400000)")
        con.execute("checkpoint")
        con.execute("drop table spare")
        con.execute("checkpoint")
        wasted = compacting.blocks(con)
    finally:
        con.close()
    assert wasted.size == BLOCK_SIZE and wasted.wasteful, wasted
    size_before = writable_db_path.stat().st_size
    assert compacting.compact_if_wasteful(writable_db_path)
    assert writable_db_path.stat().st_size < 0.75 * size_before
    assert not _blocks(writable_db_path).wasteful


def test_a_store_that_wastes_nothing_is_left_alone(writable_db_path: Path):
    inode = writable_db_path.stat().st_ino
    assert not compacting.compact_if_wasteful(writable_db_path)
    assert writable_db_path.stat().st_ino == inode


def test_a_copy_that_differs_leaves_the_store_as_it_was(old_store: Path, monkeypatch):
    kept = old_store.with_name("kept.duckdb")
    shutil.copyfile(old_store, kept)

    def differs(con):
        raise compacting.CopyDiffers("a table lost a row")

    monkeypatch.setattr(compacting, "_check_same_rows", differs)
    assert not compacting.compact_if_wasteful(old_store)
    assert old_store.read_bytes() == kept.read_bytes()
    assert not compacting.compacting_path(old_store).exists()


def test_the_copy_is_checked_table_by_table(old_store: Path):
    """The check itself: a copy missing a row of the returns is told apart from the store."""
    con = duckdb.connect()
    try:
        con.execute("attach $path as source (read_only)", {"path": str(old_store)})
        con.execute("attach ':memory:' as target")
        con.execute("copy from database source to target")
        con.execute("delete from target.weekly_return where rowid = (select min(rowid) from target.weekly_return)")
        with pytest.raises(compacting.CopyDiffers, match="weekly_return"):
            compacting._check_same_rows(con)
    finally:
        con.close()


def test_a_store_open_in_this_process_is_not_replaced_under_it(old_store: Path):
    con = connect(old_store)
    try:
        assert not compacting.compact_if_wasteful(old_store)
    finally:
        con.close()
    assert _blocks(old_store).size == DUCKDB_DEFAULT_BLOCK_SIZE
