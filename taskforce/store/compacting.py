"""Compacting the store: copying it whole into a new file of the store's block size, in the writer's turn.

DuckDB never gives a file's space back: blocks freed by a write (a migration that rewrites a table, the
returns and rollups an upload replaces) stay in the file and are reused later, and a file made before the store
used 16 KiB blocks (core/db.BLOCK_SIZE) keeps its 256 KiB ones. Every publish copies the whole file and every
kept snapshot holds it, so the writer compacts a store that wastes space before publishing it: the database is
copied with `COPY FROM DATABASE` (tables, views, sequences and their positions, constraints) into a file beside
it, checked to hold every table with the same rows, and moved into place by a rename. A failure leaves the
store as it was, and it is published uncompacted.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from taskforce.core import private
from taskforce.core.db import BLOCK_SIZE, OFFLINE_CONFIG, single

LOG = logging.getLogger(__name__)

# A store is compacted when its blocks are not the store's size, or when at least this share of them is free
# and they are at least MIN_FREE_BYTES (a small store's few free blocks are not worth a copy).
FREE_SHARE = 0.25
MIN_FREE_BYTES = 4 * 2**20


@dataclass(frozen=True)
class Blocks:
    """How a database file is used: its block size, how many blocks it has and how many of them are free."""

    size: int
    total: int
    free: int

    @property
    def wasteful(self) -> bool:
        free_bytes = self.free * self.size
        return self.size != BLOCK_SIZE or (self.free >= FREE_SHARE * self.total and free_bytes >= MIN_FREE_BYTES)


def blocks(con: duckdb.DuckDBPyConnection, database: str | None = None) -> Blocks:
    """The blocks of `database` (an attached database's name; the connection's own when None)."""
    wanted = database or single(con.execute("select current_database()").fetchone())[0]
    rows = con.execute("select database_name, block_size, total_blocks, free_blocks from pragma_database_size()")
    for name, size, total, free in rows.fetchall():
        if name == wanted:
            return Blocks(int(size), int(total), int(free))
    raise LookupError(f"No database {wanted} is attached.")


def compacting_path(store: Path) -> Path:
    return Path(store).with_name(Path(store).name + ".compacting")


def compact_if_wasteful(store: Path) -> bool:
    """Compact the (checkpointed, closed) store when it wastes space; True when it was compacted. The caller
    holds the writer's turn. A failure (the file still open in this process, a full disk, a copy that differs)
    is logged and leaves the store as it was."""
    try:
        if not _wasteful(store):
            return False
        compact(store)
    except (OSError, duckdb.Error, CopyDiffers) as failure:
        LOG.warning("The store %s was not compacted (%s); it is published as it is.", store, failure)
        _remove(compacting_path(store))
        return False
    return True


def _wasteful(store: Path) -> bool:
    con = _locked_down([store])
    try:
        con.execute("attach $path as store (read_only)", {"path": str(store)})
        return blocks(con, "store").wasteful
    finally:
        con.close()


class CopyDiffers(RuntimeError):
    """The compacted copy does not hold what the store holds; the store was left as it was."""


def compact(store: Path) -> Blocks:
    """Copy the store whole into a new file of the store's block size and put it in place; the new file's
    blocks. The caller holds the writer's turn and has checkpointed and closed the store."""
    store, staging = Path(store), compacting_path(store)
    _remove(staging)
    con = _locked_down([store, staging])
    try:
        con.execute("attach $path as source (read_only)", {"path": str(store)})
        con.execute(f"attach $path as target (block_size {BLOCK_SIZE})", {"path": str(staging)})
        con.execute("copy from database source to target")
        _check_same_rows(con)
        con.execute("checkpoint target")
        compacted = blocks(con, "target")
    finally:
        con.close()
    private.make_private(staging)
    _sync(staging)
    Path(f"{store}.wal").unlink(missing_ok=True)  # empty: the store was checkpointed
    os.replace(staging, store)
    return compacted


def _locked_down(paths: list[Path]) -> duckdb.DuckDBPyConnection:
    """A connection in memory that may open these files and no other (set before access is switched off)."""
    settings: dict[str, str | bool | int | float | list[str]] = {
        key: value for key, value in OFFLINE_CONFIG.items() if key != "enable_external_access"
    }
    con = duckdb.connect(config=settings)
    allowed = [f"{path}{suffix}" for path in paths for suffix in ("", ".wal", ".wal.checkpoint")]
    con.execute("set allowed_paths = $paths", {"paths": allowed})
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    return con


_TABLES = (
    "select table_name from duckdb_tables() where database_name = $database and schema_name = 'main' "
    "order by table_name"
)


def _check_same_rows(con: duckdb.DuckDBPyConnection) -> None:
    """Every table of the store is in the copy with as many rows and the same content digest."""
    tables = [row[0] for row in con.execute(_TABLES, {"database": "source"}).fetchall()]
    copied = [row[0] for row in con.execute(_TABLES, {"database": "target"}).fetchall()]
    if tables != copied:
        raise CopyDiffers(f"the copy holds the tables {copied}, the store {tables}")
    for table in tables:  # names from the store's own catalogue
        if _digest(con, "source", table) != _digest(con, "target", table):
            raise CopyDiffers(f"the copy of {table} differs from the store's")


def _digest(con: duckdb.DuckDBPyConnection, database: str, table: str) -> tuple:
    return single(con.execute(f'select count(*), bit_xor(hash(t)) from {database}.main."{table}" as t').fetchone())


def _sync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)
