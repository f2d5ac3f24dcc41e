"""Opening a published snapshot for reading: read-only, offline, with the shared datasets as views and file
access limited to the shared-data folder. Any number of processes may hold the same snapshot open at once."""

from __future__ import annotations

from pathlib import Path

import duckdb

from taskforce.core.config import shared_data_root
from taskforce.store import catalogue, snapshots


def open_snapshot(
    path: Path, root: Path | None = None, states: tuple[catalogue.DatasetState, ...] | None = None
) -> duckdb.DuckDBPyConnection:
    """A read-only connection to the snapshot at `path`, locked down to `root` (TASKFORCE_SHARED_DATA by
    default), its shared-dataset views pointing at the extracts of `states`, what a look in the folders found.
    Without them it looks now (the command line; a dashboard passes its last look, and never waits for one)."""
    root = root or shared_data_root()
    con = duckdb.connect(str(path), read_only=True, config=dict(catalogue.OFFLINE))
    try:
        catalogue.lock_down(con, root)
        catalogue.point_views(con, catalogue.inspect(root, catalogue.datasets()) if states is None else states)
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
