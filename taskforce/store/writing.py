"""The one writer: every change to the store takes its turn, commits, and publishes a snapshot.

A web upload, `ingest`, a status report, a target change, an issued pack and `load-recommendations` go
through `writing`; `build-demo`, `init-db` and `restore` make a whole new store in the writer's turn and put it in
place (`put_in_place`, `restoring.restore`). Turns are taken with an exclusive lock on
`<store>.lock` (flock: it is released by the kernel when its holder exits, crash or not), so any number of
processes, and threads within one, write in turn. A writer that has to wait is told who holds the turn and since
when. Nothing but a writer ever opens the store; the dashboards read the published snapshots.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from taskforce.core import private
from taskforce.core.db import OFFLINE_CONFIG, connect, transaction
from taskforce.store import compacting, reference, snapshots
from taskforce.store.schema import SCHEMA_VERSION, ensure_schema

LOG = logging.getLogger(__name__)


def _say_nothing(message: str) -> None:
    del message


def lock_path(store: Path) -> Path:
    return Path(store).with_name(Path(store).name + ".lock")


def holder(store: Path) -> str:
    """Who holds the writer's turn, as its holder recorded it ('' when nobody does)."""
    try:
        return lock_path(store).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


@contextmanager
def writers_turn(store: Path, waiting: Callable[[str], None] = _say_nothing, doing: str = "") -> Iterator[None]:
    """Hold the store's writer lock for the block; if another writer has it, call `waiting` with a sentence
    naming it, then wait for it."""
    path = lock_path(store)
    private.folder(path.parent)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, private.FILE_MODE)
    with os.fdopen(descriptor, "r+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(f"Waiting for another writer to finish ({holder(store) or 'a load'}).")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        handle.truncate()
        handle.write(
            f"{doing or 'a write'} by process {os.getpid()} ({Path(sys.argv[0]).name}), since "
            f"{dt.datetime.now().astimezone():%H:%M:%S}\n"
        )
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle, fcntl.LOCK_UN)


class NotPublished(Exception):
    """What was committed is in the store, but no snapshot of it could be published: the dashboards go on
    showing the previous one until a later publish (the next write, a server's start, `snapshots publish`)."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why

    def sentence(self, committed: str) -> str:
        """'Committed as upload 12, not yet published: <why>; the dashboards will show it after the next
        publish.'"""
        return f"{committed}, not yet published: {self.why}; the dashboards will show it after the next publish."


def _why(failure: BaseException) -> str:
    """A failure to publish in words: 'No space left on device (/srv/taskforce/snapshots/000012-...partial)'."""
    if isinstance(failure, OSError) and failure.strerror:
        return failure.strerror + (f" ({failure.filename})" if failure.filename else "")
    return str(failure).strip().splitlines()[0] if str(failure).strip() else type(failure).__name__


@contextmanager
def writing(
    store: Path, waiting: Callable[[str], None] = _say_nothing, doing: str = ""
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store, open for writing in the writer's turn and brought to the current schema. When the block
    ends without an error the store is checkpointed, closed and published as the newest snapshot; an error
    publishes nothing (the caller's transaction has rolled back). Raises FileNotFoundError for a missing
    store, duckdb.IOException when a program outside the taskforce's tools holds the file, and NotPublished
    when what the block committed could not be published."""
    with writers_turn(Path(store), waiting, doing), _changing(Path(store)) as con:
        yield con


@contextmanager
def _changing(store: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Inside the writer's turn: the store at the current schema; when the block ends without an error,
    checkpointed, closed, compacted if it wastes space (compacting.py) and published (NotPublished if that
    fails: the commits stand)."""
    if not store.exists():
        raise FileNotFoundError(str(store))
    con = connect(store)
    try:
        ensure_schema(con)
        yield con
    except BaseException:
        con.close()
        raise
    try:
        try:
            con.execute("checkpoint")
        finally:
            con.close()
        compacting.compact_if_wasteful(store)
        snapshots.publish(store)
    except (OSError, duckdb.Error, RuntimeError) as failure:
        raise NotPublished(_why(failure)) from failure


def staging_path(store: Path) -> Path:
    """Where a writer that makes a whole new store (build-demo, init-db --force) builds it."""
    return Path(store).with_name(Path(store).name + ".building")


def put_in_place(staging: Path, store: Path) -> snapshots.Snapshot:
    """Replace the store with the complete file at `staging` and publish it. The caller holds the writer's
    turn; the dashboards go on reading the previous snapshot until the new one is published."""
    Path(f"{store}.wal").unlink(missing_ok=True)
    private.make_private(staging)
    os.replace(staging, store)
    try:
        return snapshots.publish(Path(store))
    except OSError as failure:
        raise NotPublished(_why(failure)) from failure


def publish_if_missing(store: Path, waiting: Callable[[str], None] = _say_nothing) -> snapshots.Snapshot:
    """The current snapshot; first publishing one when there is none yet, when the store has changed since
    the current one was published (a writer died between its commit and its publish, or before its
    checkpoint), or when the snapshot predates this code's schema or reference data (after a deployment).
    When that publish fails the current snapshot is still returned, and the log says why; NotPublished only
    when there is no snapshot at all."""
    newest = snapshots.current(store)
    if newest is not None and not _out_of_date(store, newest):
        return newest
    with writers_turn(store, waiting, "bringing the store up to date"):
        newest = snapshots.current(store)  # another server may have done it while this one waited
        if newest is not None and not _out_of_date(store, newest):
            return newest
        try:
            with _changing(Path(store)) as con, transaction(con) as cursor:
                reference.refresh_owned_reference(cursor)
        except NotPublished as failure:
            if newest is None:
                raise
            LOG.warning(
                "The store %s could not be published (%s); reading %s until a publish succeeds.",
                store,
                failure.why,
                newest.label,
            )
            return newest
        published = snapshots.current(store)
        assert published is not None
        return published


def _out_of_date(store: Path, snapshot: snapshots.Snapshot) -> bool:
    if _changed_since(store, snapshot):
        return True
    con = duckdb.connect(str(snapshot.path), read_only=True, config=dict(OFFLINE_CONFIG))
    try:
        settings = dict(
            con.execute(
                "select key, value from meta where key in ('schema_version', 'reference_fingerprint')"
            ).fetchall()
        )
    finally:
        con.close()
    return (
        settings.get("schema_version") != str(SCHEMA_VERSION)
        or settings.get("reference_fingerprint") != reference.fingerprint()
    )


def _changed_since(store: Path, snapshot: snapshots.Snapshot) -> bool:
    """The store was written after the snapshot, or holds commits not yet checkpointed (a `.wal` that is not
    empty: a writer died before its checkpoint)."""
    try:
        wal = Path(f"{store}.wal")
        if wal.exists() and wal.stat().st_size:
            return True
        return Path(store).stat().st_mtime > snapshot.path.stat().st_mtime
    except FileNotFoundError:
        return False
