"""Opening the DuckDB database with settings that keep it offline, and the data version."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from taskforce.core import private

# Police networks are closed: DuckDB must never try to download an extension. And no query on the store may
# read or write a file other than the database: files come in only through the library's own checked readers.
# (A reader of a published snapshot may also read the shared datasets' folders, and no other: store/reading.py.)
OFFLINE_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "enable_external_access": False,
}

# The store's files are made of 16 KiB blocks instead of DuckDB's 256 KiB: each small table (organisations,
# measures, settings, packs...) takes at least one block of its own, and a string column's dictionary covers one
# block's values, so smaller blocks mean fewer codes per dictionary and fewer bits per stored code. Measured on
# the 100x demo (bench/RESULTS.md): 107 MB in 256 KiB blocks, 88 MB in 16 KiB, the same queries as fast. It
# applies to files DuckDB creates (a new store, a compacted copy: store/compacting.py); an older file keeps its
# blocks until it is compacted.
BLOCK_SIZE = 16 * 1024
STORE_CONFIG = {**OFFLINE_CONFIG, "default_block_size": str(BLOCK_SIZE)}


# Writers in this process take turns: two sessions committing at once on cursors of the one connection would
# otherwise meet DuckDB's write-write conflict ("Conflict on tuple deletion") and one would fail. Readers never
# wait: they see the data as of their own transaction's start.
_writes_in_turn = threading.RLock()


def single(row: tuple | None) -> tuple:
    """The row a statement that always returns one (a count, an insert ... returning) gave back."""
    if row is None:
        raise RuntimeError("The database returned no row where one was certain.")
    return row


def connect(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Open (or create, 0640) the database file. Every caller in a process uses the same settings, so DuckDB
    shares one database instance between them."""
    creating = not Path(path).exists()
    con = duckdb.connect(str(path), config=dict(STORE_CONFIG))
    if creating:
        private.make_private(Path(path))
    return con


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that every committed write increases; cached results are keyed on it."""
    cursor = con.cursor()
    try:
        row = cursor.execute("select value from meta where key = 'data_version'").fetchone()
    finally:
        cursor.close()
    return int(row[0]) if row else 0


def bump_data_version(con: duckdb.DuckDBPyConnection) -> int:
    """Increase the data version inside the caller's transaction, so readers see new data at once."""
    row = con.execute(
        "update meta set value = cast(cast(value as bigint) + 1 as varchar) where key = 'data_version' returning value"
    ).fetchone()
    return int(single(row)[0])


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor inside BEGIN ... COMMIT; any exception rolls everything back (DuckDB does not make several
    statements atomic on its own). A process killed inside leaves nothing: the log is replayed without it.
    Writes in one process take turns."""
    with _writes_in_turn:
        cursor = con.cursor()
        try:
            cursor.execute("begin transaction")
            yield cursor
            cursor.execute("commit")
        except BaseException:
            cursor.execute("rollback")
            raise
        finally:
            cursor.close()
