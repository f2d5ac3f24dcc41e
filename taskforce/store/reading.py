"""Opening a published snapshot for reading: read-only, offline, with the shared datasets as views and file
access limited to their folders. Any number of processes may hold the same snapshot open at once."""
from __future__ import annotations

from pathlib import Path

import duckdb

from taskforce.core.config import shared_data_root
from taskforce.store import catalogue, snapshots

READER_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def open_snapshot(path: Path, root: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the snapshot at `path`, locked down, its shared-dataset views pointing at the
    newest good extracts under `root` (TASKFORCE_SHARED_DATA by default)."""
    root = root or shared_data_root()
    declared = catalogue.datasets()
    con = duckdb.connect(str(path), read_only=True, config=dict(READER_CONFIG))
    try:
        catalogue.lock_down(con, root, declared)
        catalogue.refresh_views(con, root, declared)
    except BaseException:
        con.close()
        raise
    return con


def open_current(store: Path) -> tuple[snapshots.Snapshot, duckdb.DuckDBPyConnection]:
    """The current snapshot of `store` and a reader on it (for the command line: a pack is built from what the
    dashboards show). Raises snapshots.NoSnapshot when nothing has been published."""
    newest = snapshots.current(store)
    if newest is None:
        raise snapshots.NoSnapshot(f"Nothing has been published from {store} yet.")
    return newest, open_snapshot(newest.path)
