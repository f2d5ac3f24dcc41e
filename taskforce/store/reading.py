"""The reader: opening a published snapshot for reading (read-only, offline, with the shared datasets as views
and file access limited to the shared-data folder; any number of processes may hold the same snapshot open at
once), the snapshots and partner-folder look a process keeps (`Readers`), and named queries' results kept on the
data key (`cached_query`). Nothing here knows of Streamlit: `ui/data.py` is the dashboard's facade over it."""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from taskforce.core.config import database_path, shared_data_root
from taskforce.core.memo import on_data_key
from taskforce.core.queries import run_query
from taskforce.store import catalogue, snapshots, writing


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


LOG = logging.getLogger(__name__)
KEEP_OPEN = 3  # a session still running a query on a snapshot just replaced finishes it
# How often the pointer is read again. Reading it on every query meant a system call each time, and under twenty
# sessions at once each one handed the interpreter to another thread: reruns took longer. A publish in this
# process is seen at once; one in another process within this time.
POINTER_CHECK_SECONDS = 0.5
CATALOGUE_CHECK_SECONDS = 5.0
STOP_WAIT_SECONDS = 10.0  # a look under way when the process ends is given this long to finish
QUERY_RESULTS_KEPT = 1024


def _say_nothing(message: str) -> None:
    """No notice: a reader with nobody to tell that it waits for the writer's turn."""


class PartnerFolders:
    """This process's one look at the partner folders: a background thread looks every CATALOGUE_CHECK_SECONDS,
    inspects again when a file arrived, changed or went (or one was still arriving), and points the views of
    every open snapshot at what it found. Readers take the last result and never wait for a look."""

    def __init__(self, readers: Readers) -> None:
        self.readers = readers
        self.states: tuple[catalogue.DatasetState, ...] = ()  # () until the first look
        self.generation = 0
        self.fingerprint: tuple = ()
        self.root: Path | None = None
        self.looks = threading.Condition()
        self.started = self.finished = 0
        self.wake, self.stopped = threading.Event(), threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is not None:  # every query passes here: no lock once it runs
            return
        with self.looks:
            if self.thread is None:
                self.root = shared_data_root()
                self.thread = threading.Thread(target=self._run, name="partner-folders", daemon=True)
                self.thread.start()
                atexit.register(self.stop)

    def stop(self) -> None:
        """End the looking (at exit, so no connection is left to the interpreter's teardown)."""
        self.stopped.set()
        self.wake.set()
        if self.thread is not None and self.thread is not threading.current_thread():
            self.thread.join(timeout=STOP_WAIT_SECONDS)

    def current(self) -> tuple[catalogue.DatasetState, ...]:
        """The last look's result; before the first, each dataset as not looked at yet."""
        return self.states or catalogue.not_looked_at(catalogue.datasets())

    def wait(self, timeout: float) -> bool:
        """Look now and wait until that look is done: True when it was within `timeout` seconds."""
        self.start()
        with self.looks:
            wanted = self.started + 1
            self.wake.set()
            return self.looks.wait_for(lambda: self.finished >= wanted, timeout)

    def _run(self) -> None:
        while not self.stopped.is_set():
            with self.looks:
                self.started += 1
            try:
                self._look()
            except Exception:  # a folder that cannot be read now may be readable at the next look
                LOG.exception("Looking in the partner folders failed; the last look's result stays in use.")
            with self.looks:
                self.finished += 1
                self.looks.notify_all()
            self.wake.wait(CATALOGUE_CHECK_SECONDS)
            self.wake.clear()

    def _look(self) -> None:
        root, declared = self.root or shared_data_root(), catalogue.datasets()
        seen = catalogue.fingerprint(root, declared)
        if self.states and seen == self.fingerprint and not any(state.arriving for state in self.states):
            return
        states = catalogue.inspect(root, declared)
        with self.readers.lock:
            for reader in self.readers.open.values():
                catalogue.point_views(reader, states)
            self.states, self.fingerprint = states, seen
            self.generation += 1


class Readers:
    """The snapshots one process reads: the newest published snapshot of the store, read-only, one connection
    per snapshot (the newest KEEP_OPEN open), its look at the partner folders, and the data key that every
    cached result is keyed on. A first use brings the store up to date in the writer's turn (publishing a
    snapshot when there is none, or the newest predates this code); `notice` is told while it waits. Raises
    FileNotFoundError (no store), duckdb.IOException (a foreign program holds it) or writing.NotPublished
    (no snapshot, and none can be published)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: dict[str, duckdb.DuckDBPyConnection] = {}
        self.up_to_date: set[str] = set()
        self.pointers: dict[str, tuple[str, float, int]] = {}  # store -> snapshot path, when read, publishes here
        self.partner_folders = PartnerFolders(self)

    def snapshot_path(self, notice: Callable[[str], None] = _say_nothing) -> str:
        """The newest published snapshot. The pointer (a small file) is read again at most every
        POINTER_CHECK_SECONDS, and at once after a publish in this process, so a load published by any writer
        shows on the next rerun."""
        store = database_path()
        key = str(store)
        if key not in self.up_to_date:
            self._bring_up_to_date(store, notice)
        known = self.pointers.get(key)
        now, published = time.monotonic(), snapshots.published_in_process()
        if known is not None and now - known[1] < POINTER_CHECK_SECONDS and known[2] == published:
            return known[0]
        newest = snapshots.current(store)  # believed only when it names a snapshot of the folder
        if newest is None:
            self._bring_up_to_date(store, notice)
            newest = snapshots.current(store)
        path = str(newest.path) if newest is not None else ""
        self.pointers[key] = (path, now, published)
        return path

    def _bring_up_to_date(self, store: Path, notice: Callable[[str], None]) -> None:
        writing.publish_if_missing(store, notice)
        self.up_to_date.add(str(store))

    def connection(self, path: str) -> duckdb.DuckDBPyConnection:
        """The one reader of the snapshot at `path` in this process, opened on first use."""
        folders = self.partner_folders
        folders.start()
        reader = self.open.get(path)
        if reader is not None:
            return reader
        with self.lock:
            if path not in self.open:
                self.open[path] = open_snapshot(Path(path), folders.root, folders.current())
                for stale in list(self.open)[:-KEEP_OPEN]:
                    self.open.pop(stale).close()
        return self.open[path]

    def data_key(self, path: str) -> str:
        """What cached results are keyed on: the snapshot at `path` and the partner extracts behind its views.
        A new snapshot, or a new extract, is a new key."""
        self.connection(path)
        return f"{path}#{self.partner_folders.generation}"

    def reader_for(self, key: str) -> duckdb.DuckDBPyConnection:
        """The open snapshot a data key names (opened again if it was closed as stale)."""
        return self.connection(key.rsplit("#", 1)[0])

    def runner_for(self, key: str) -> Callable[[str, Mapping[str, Any] | None], pd.DataFrame]:
        """A query runner on the snapshot a data key names, for a library function that runs its own queries."""
        con = self.reader_for(key)
        return lambda name, params=None: run_query(con, name, params)

    def close(self) -> None:
        """Stop the look in the partner folders and close every snapshot (a server's end, or a test's)."""
        self.partner_folders.stop()
        with self.lock:
            for reader in self.open.values():
                reader.close()
            self.open.clear()


def _plain(params: Mapping[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    """A query's parameters as a key: sorted, lists as tuples."""
    return tuple(
        sorted((name, tuple(value) if isinstance(value, list) else value) for name, value in (params or {}).items())
    )


READERS = Readers()  # this process's readers: every dashboard session shares them


@on_data_key(QUERY_RESULTS_KEPT)
def _kept_query(key: str, name: str, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return run_query(
        READERS.reader_for(key),
        name,
        {name: list(value) if isinstance(value, tuple) else value for name, value in params},
    )


def cached_query(key: str, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A named query's result on the snapshot `key` names, kept per process on the query, its parameters and
    the data key (memo.on_data_key); each caller gets its own shallow copy."""
    return _kept_query(key, name, _plain(params))
