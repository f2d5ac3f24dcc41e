"""The data a page reads: the newest published snapshot, read-only, one connection per snapshot per process,
and query results cached on the query, its parameters and the snapshot (with the partner extracts behind its
views), so a load published by any writer shows on the next rerun and nothing stale is served. Writes go
through `store_change`: the store in the writer's turn, then a new snapshot (ARCHITECTURE.md, Snapshots)."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import logging
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from taskforce.analysis import overview, revisions
from taskforce.briefing import contents, issued_packs
from taskforce.core.calendar import london_now, london_today
from taskforce.core.config import database_path, protective_marking, shared_data_root
from taskforce.core.disclosure import configured_threshold
from taskforce.core.queries import run_query
from taskforce.release.build import Release, build_release
from taskforce.store import catalogue, reading, snapshots, targets
from taskforce.store import writing as writing_store
from taskforce.store.pack_key import pack_key_for_issuing, read_pack_key


class _PartnerFolders:
    """This process's one look at the partner folders: a background thread looks every CATALOGUE_CHECK_SECONDS,
    inspects again when a file arrived, changed or went (or one was still arriving), and points the views of
    every open snapshot at what it found. Pages read the last result and never wait for a look."""

    def __init__(self, readers: _Readers) -> None:
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


class _Readers:
    """The snapshots this process has open, newest last, and its look at the partner folders."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.open: dict[str, duckdb.DuckDBPyConnection] = {}
        self.up_to_date: set[str] = set()
        self.pointers: dict[str, tuple[str, float, int]] = {}  # store -> snapshot path, when read, publishes here
        self.partner_folders = _PartnerFolders(self)


_READERS = _Readers()
LOG = logging.getLogger(__name__)
KEEP_OPEN = 3  # a session still running a query on a snapshot just replaced finishes it
# How often the pointer is read again. Reading it on every query meant a system call each time, and under twenty
# sessions at once each one handed the interpreter to another thread: reruns took longer. A publish in this
# process is seen at once; one in another process within this time.
POINTER_CHECK_SECONDS = 0.5
CATALOGUE_CHECK_SECONDS = 5.0
STOP_WAIT_SECONDS = 10.0  # a look under way when the process ends is given this long to finish


def _snapshot_path() -> str:
    """The newest published snapshot. The pointer (a small file) is read again at most every half second, and
    at once after a publish in this process, so a load published by any writer shows on the next rerun. The
    first call in a process makes sure the snapshot suits this code's schema and reference data, publishing
    one if needed."""
    store = database_path()
    key = str(store)
    if key not in _READERS.up_to_date:
        _bring_up_to_date(store)
    known = _READERS.pointers.get(key)
    now, published = time.monotonic(), snapshots.published_in_process()
    if known is not None and now - known[1] < POINTER_CHECK_SECONDS and known[2] == published:
        return known[0]
    newest = snapshots.current(store)  # believed only when it names a snapshot of the folder
    if newest is None:
        _bring_up_to_date(store)
        newest = snapshots.current(store)
    path = str(newest.path) if newest is not None else ""
    _READERS.pointers[key] = (path, now, published)
    return path


def _bring_up_to_date(store: Path) -> None:
    notice = st.empty()
    try:
        writing_store.publish_if_missing(store, lambda message: notice.info(message, icon=":material/hourglass:"))
    except FileNotFoundError:
        notice.empty()
        st.error(
            f"There is no database at {store}. For the demo, run `make run` (or `python -m taskforce "
            "build-demo`); to go live, create an empty database with `python -m taskforce init-db`.",
            icon=":material/database:",
        )
        st.stop()
    except duckdb.IOException:
        notice.empty()
        st.error(
            "The database is held by a program other than the taskforce's own tools, so its first snapshot "
            "cannot be published. Try again when it has finished.",
            icon=":material/lock:",
        )
        st.stop()
    except writing_store.NotPublished as failure:  # only when there is no snapshot at all to read
        notice.empty()
        st.error(
            f"No snapshot of the data has been published, and one cannot be now: {failure.why}.",
            icon=":material/database:",
        )
        st.stop()
    notice.empty()
    _READERS.up_to_date.add(str(store))


def connection() -> duckdb.DuckDBPyConnection:
    """A read-only connection to the newest published snapshot, shared by every session in this process."""
    return _open(_snapshot_path())


def _open(path: str) -> duckdb.DuckDBPyConnection:
    folders = _READERS.partner_folders
    folders.start()
    reader = _READERS.open.get(path)
    if reader is not None:
        return reader
    with _READERS.lock:
        if path not in _READERS.open:
            _READERS.open[path] = reading.open_snapshot(Path(path), folders.root, folders.current())
            for stale in list(_READERS.open)[:-KEEP_OPEN]:
                _READERS.open.pop(stale).close()
    return _READERS.open[path]


SHARED_SETTLE_SECONDS = catalogue.SETTLE_SECONDS  # a shared file is read once unchanged for this long


def debrief_target() -> float:
    """The debrief rate target as the administrator last set it, in the snapshot the page reads."""
    return targets.current_value(connection(), "debrief_rate_target")


def change_debrief_target(rate: float, changed_by: str) -> None:
    """Record a new debrief rate target (0 to 1), audited like every setting, and publish it."""
    with store_change("changing the debrief rate target") as store:
        targets.change_setting(store, "debrief_rate_target", rate, changed_by, london_now())


def shared_datasets() -> tuple[catalogue.DatasetState, ...]:
    """What the last look found for each shared dataset: the file it reads, its rows, any refused files."""
    connection()
    return _READERS.partner_folders.current()


def wait_for_partner_folders(timeout: float) -> bool:
    """Look in the partner folders now and wait for the result (for a test or a benchmark that has just put a
    file there; pages never wait). True when the look finished within `timeout` seconds."""
    return _READERS.partner_folders.wait(timeout)


def shared_dataset(name: str) -> catalogue.DatasetState:
    return next(state for state in shared_datasets() if state.dataset.name == name)


def current_snapshot() -> snapshots.Snapshot:
    """The snapshot the page is reading."""
    return snapshots.at(Path(_snapshot_path()))


def data_key() -> str:
    """What the cached results are keyed on: the snapshot being read and the partner extracts behind its views.
    A new snapshot, or a new extract, is a new key; nothing stale is served."""
    path = _snapshot_path()
    _open(path)
    return f"{path}#{_READERS.partner_folders.generation}"


@contextmanager
def store_change(doing: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A page's way into the one `store.writing.writing`, which says what it adds: the page tells the user.
    The store open for one change, in the writer's turn (a notice says so while another writer finishes);
    a new snapshot is published when the block ends, and this session's next rerun reads it. When the publish
    fails the change stands committed, the page says so, and every page goes on reading the current snapshot."""
    notice = st.empty()
    try:
        waiting = lambda message: notice.info(message, icon=":material/hourglass:")  # noqa: E731
        with writing_store.writing(database_path(), waiting, doing) as con:
            notice.empty()
            yield con
    except writing_store.NotPublished as failure:
        st.warning(failure.sentence(f"Committed ({doing})"), icon=":material/cloud_off:")
    finally:
        notice.empty()


@functools.lru_cache(maxsize=1024)
def _cached_query(key: str, name: str, params: tuple[tuple[str, Any], ...]) -> pd.DataFrame:
    return run_query(
        _reader(key), name, {name: list(value) if isinstance(value, tuple) else value for name, value in params}
    )


def query(name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A named query's result, from the cache when the data has not changed since it was run.

    The cached frame is shared by every session, in a plain LRU keyed on the query, its parameters and the
    data version: st.cache_data pickled and unpickled the frame on every read, and Streamlit's hashing of the
    arguments cost more than the lookup, an eighth of a trends rerun under load between them. Each caller
    gets a shallow copy of its own: pandas 3 copies on write, so nothing a caller does to its copy, columns
    and values included, reaches the shared frame (tests/app/test_cached_results_stay_unchanged.py)."""
    items = tuple(
        sorted((key, tuple(value) if isinstance(value, list) else value) for key, value in (params or {}).items())
    )
    return _cached_query(data_key(), name, items).copy(deep=False)


def clear_query_cache() -> None:
    """Forget every cached query result (for a cold measurement, or a test that counts queries)."""
    _cached_query.cache_clear()
    _cached_events.cache_clear()


def _reader(key: str) -> duckdb.DuckDBPyConnection:
    """The open snapshot a data key names (opened again if it was closed as stale)."""
    path = key.rsplit("#", 1)[0]
    return _READERS.open.get(path) or connection()


@functools.lru_cache(maxsize=16)
def _cached_release(key: str, threshold: int, chosen: dt.date | None) -> Release:
    return build_release(lambda name, params: run_query(_reader(key), name, params), threshold, chosen)


def release(chosen: dt.date | None = None) -> Release:
    """The week as one release: its data-up-to position, its headline week (the chosen one, else the newest
    complete week) and the protected cells every wider-circulation figure is read from. Built once per data
    version and week, shared by every session (a Release is frozen)."""
    return _cached_release(data_key(), configured_threshold(), chosen)


@functools.lru_cache(maxsize=16)
def _cached_late_return_revisions(key: str, data_up_to: dt.date | None) -> dict[str, revisions.Revisions]:
    return revisions.revisions(lambda name, params: run_query(_reader(key), name, params), data_up_to)


def week_revisions() -> dict[str, revisions.Revisions]:
    """How much late returns have added to the settled weeks before the data-up-to week, by measure (a frozen
    result shared by every session, once per data version)."""
    return _cached_late_return_revisions(data_key(), release().position.data_up_to)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_weekly_overview(key: str, week: dt.date, status_date: dt.date) -> overview.WeeklyOverview:
    return overview.weekly_overview(lambda name, params: run_query(_reader(key), name, params), week, status_date)


def status_date(week: dt.date | None = None) -> dt.date:
    """The as-of date of recommendation status, the same on every page and never the clock's: the release's
    data-up-to date (for an earlier week chosen to look back, that week's end)."""
    position = release().position
    if week is None:
        return position.status_date or london_today()  # no returns at all: nothing else to go by
    return position.status_date_for(week)


def weekly_overview(week: dt.date, wider: bool = False) -> overview.WeeklyOverview:
    """The overview of a week; for wider circulation (`wider`), the one the release's briefing holds: every
    figure from the protected release."""
    if wider:
        return weekly_briefing(week, wider=True).overview
    return _cached_weekly_overview(data_key(), week, status_date(week))


def events() -> pd.DataFrame:
    """The dated events with plain dates (end_date None for a single day), for marking time charts. Made once
    per data key and shared, as query results are (each caller gets a shallow copy): every trend chart asks."""
    return _cached_events(data_key()).copy(deep=False)


@functools.lru_cache(maxsize=4)
def _cached_events(key: str) -> pd.DataFrame:
    table = _cached_query(key, "events", ())
    return table.assign(
        event_date=pd.to_datetime(table["event_date"]).dt.date,
        end_date=[None if pd.isna(day) else pd.Timestamp(day).date() for day in table["end_date"]],
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_briefing(
    key: str, week: dt.date, status_date: dt.date, source: str, wider: bool = False
) -> contents.Briefing:
    con = _reader(key)
    return contents.build_briefing(
        lambda name, params: run_query(con, name, params),
        week,
        targets.current_value(con, "debrief_rate_target"),
        london_now(),
        status_date,
        source,
        release=_cached_release(key, configured_threshold(), week) if wider else None,
    )


def weekly_briefing(week: dt.date, wider: bool = False) -> contents.Briefing:
    """The week's slides; for wider circulation (`wider`), every figure read from the protected release."""
    return _cached_briefing(data_key(), week, status_date(week), current_snapshot().label, wider)


@st.cache_data(show_spinner="Building the pack…", max_entries=16)
def _cached_pack(key: str, week: dt.date, marking: str, wider_circulation: bool, source: str) -> bytes:
    from taskforce.briefing.pack import build_pack  # python-pptx, imported when a pack is first asked for

    return build_pack(
        _cached_briefing(key, week, status_date(week), source, wider_circulation), marking, wider_circulation
    )


def briefing_pack(week: dt.date, wider_circulation: bool) -> bytes:
    return _cached_pack(data_key(), week, protective_marking(), wider_circulation, current_snapshot().label)


@st.cache_data(show_spinner="Checking what has been revised since…", max_entries=64)
def _cached_revisions(
    key: str, pack_id: int, week: dt.date, status_date: dt.date, source: str, wider_circulation: bool
) -> pd.DataFrame:
    briefing = _cached_briefing(key, week, status_date, source, wider_circulation)
    return issued_packs.revisions(_reader(key), pack_id, briefing.overview, wider_circulation)


def revised_since(pack_id: int, week: dt.date, wider_circulation: bool = False) -> pd.DataFrame:
    """The figures of an issued pack that differ now: figure, as briefed, now, why."""
    return _cached_revisions(data_key(), pack_id, week, status_date(week), current_snapshot().label, wider_circulation)


def latest_issue(week: dt.date) -> pd.Series | None:
    """The newest issued pack for a week, if it was issued."""
    packs = query("issued_packs")
    issued = packs[pd.to_datetime(packs["week_ending"]).dt.date == week]
    return issued.iloc[0] if len(issued) else None


def issue_pack(week: dt.date, wider_circulation: bool, issued_by: str) -> issued_packs.IssuedPack:
    """Store this week's pack, exactly the file the download button gives, as issued now, with the snapshot
    it was built from."""
    briefing, content = weekly_briefing(week, wider_circulation), briefing_pack(week, wider_circulation)
    built_from = issued_packs.built_from(connection(), current_snapshot().name)
    with store_change("issuing a briefing pack") as con:
        return issued_packs.issue(
            con,
            briefing,
            content,
            issued_by,
            london_now(),
            wider_circulation,
            built_from,
            key=pack_key_for_issuing(con, database_path()),
        )


def issued_file(pack_id: int) -> issued_packs.IssuedFile:
    """An issued pack, its checksum and its seal checked (issued_packs.PackAltered, PackKeyMissing when not)."""
    return issued_packs.issued_file(connection(), pack_id, read_pack_key(database_path()))
