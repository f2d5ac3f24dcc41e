"""Published snapshots: immutable copies of the store that the dashboards read.

One writer at a time changes the store (`TASKFORCE_DB`, see writing.py), then publishes it here: the file is
copied under a temporary name, flushed to disk, renamed into place, and only then does the `CURRENT` pointer
name it (itself replaced by a rename, which is atomic). A writer that dies while publishing leaves the previous
snapshot current and a `.partial` file that the next publish removes; a reader never sees half a load.

Names are `<sequence>-<UTC time>.duckdb`, so the folder lists in order of publication. Old snapshots are
pruned to the newest few plus the newest of each week for a year (config.snapshots_kept): the history that
`snapshots list` shows and `snapshots restore --at` brings back (restoring.py). Readers believe the pointer only
when it names a snapshot of the folder; every file here is created 0640 and the folder 0750 (core/private.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from taskforce.core import private
from taskforce.core.calendar import LONDON
from taskforce.core.config import snapshot_folder, snapshots_kept

LOG = logging.getLogger(__name__)

POINTER = "CURRENT"
NAME = re.compile(r"^(?P<sequence>\d{6,})-(?P<stamp>\d{8}T\d{6}Z)\.duckdb$")
STAMP = "%Y%m%dT%H%M%SZ"
DUCKDB_MAGIC = b"DUCK"  # bytes 8 to 11 of every DuckDB database file


_published_here = 0  # snapshots this process has published: a reader here re-reads the pointer when it moves


def published_in_process() -> int:
    return _published_here


class NoSnapshot(LookupError):
    """No published snapshot answers the question (none yet, or none as old as the date asked for)."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    sequence: int
    published_at: dt.datetime  # UTC

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        """How pages, packs and the command line name it: 'snapshot 12, published 30 Nov 2026 06:35'."""
        local = self.published_at.astimezone(LONDON)
        return f"snapshot {self.sequence}, published {local.day} {local:%b %Y %H:%M}"


def at(path: Path) -> Snapshot:
    """The snapshot a published file is."""
    snapshot = _parse(path)
    if snapshot is None:
        raise NoSnapshot(f"{path.name} is not a published snapshot's name.")
    return snapshot


def _parse(path: Path) -> Snapshot | None:
    match = NAME.fullmatch(path.name)
    if not match:
        return None
    published = dt.datetime.strptime(match["stamp"], STAMP).replace(tzinfo=dt.UTC)
    return Snapshot(path, int(match["sequence"]), published)


def listing(store: Path) -> list[Snapshot]:
    """Every published snapshot of `store`, oldest first: the regular files in the snapshot folder named as
    a publish names them (a symbolic link or anything else there is not a snapshot)."""
    folder = snapshot_folder(Path(store))
    if not folder.is_dir():
        return []
    found = (_parse(path) for path in folder.iterdir() if _regular_file(path))
    return sorted((snapshot for snapshot in found if snapshot is not None), key=lambda s: s.sequence)


def _regular_file(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except FileNotFoundError:
        return False


POINTER_MOST = 256  # bytes: CURRENT holds one name and a newline


def open_regular(path: Path, most: int | None = None) -> BinaryIO | None:
    """`path` opened for reading when it is a regular file (never through a symbolic link, never waiting on a
    FIFO or a device: the open does not block and the descriptor itself is checked, so nothing can be swapped
    in between) of at most `most` bytes; None otherwise."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode) or (most is not None and status.st_size > most):
        os.close(descriptor)
        return None
    return os.fdopen(descriptor, "rb")


def open_snapshot(store: Path, path: Path) -> BinaryIO | None:
    """`path` opened for reading when a reader may believe it is a snapshot of `store`: a regular file with one
    link (a hard link to the store would hold the store's file open and stop every writer) that is not the store
    itself and starts as a DuckDB database does; None otherwise."""
    reading = open_regular(path)
    if reading is None:
        return None
    status = os.fstat(reading.fileno())
    if status.st_nlink != 1 or _same_file(status, Path(store)) or not _starts_as_duckdb(reading):
        reading.close()
        return None
    reading.seek(0)
    return reading


def _same_file(status: os.stat_result, store: Path) -> bool:
    try:
        other = os.stat(store)
    except FileNotFoundError:
        return False
    return (status.st_dev, status.st_ino) == (other.st_dev, other.st_ino)


def _starts_as_duckdb(reading: BinaryIO) -> bool:
    return reading.read(len(DUCKDB_MAGIC) + 8)[8:] == DUCKDB_MAGIC


def is_a_snapshot(store: Path, path: Path) -> bool:
    reading = open_snapshot(store, path)
    if reading is not None:
        reading.close()
    return reading is not None


def _pointer_text(store: Path) -> str:
    """What CURRENT names, read only from a small regular file ('' when there is no such file)."""
    reading = open_regular(snapshot_folder(Path(store)) / POINTER, POINTER_MOST)
    if reading is None:
        return ""
    with reading:
        return reading.read(POINTER_MOST).decode("utf-8", errors="replace").strip()


def current(store: Path) -> Snapshot | None:
    """The snapshot the dashboards should read now, or None when nothing has been published. The pointer is
    believed only when it holds the bare name of a snapshot in the folder (never a path, never a symbolic
    link, never a second link to a file) that looks like a database; otherwise the newest snapshot that does is
    read, and the log says so."""
    store = Path(store)
    name = _pointer_text(store)
    named = _parse(snapshot_folder(store) / name) if NAME.fullmatch(name) else None
    if named is not None and is_a_snapshot(store, named.path):
        return named
    newest = next((snapshot for snapshot in reversed(listing(store)) if is_a_snapshot(store, snapshot.path)), None)
    if name and newest is not None:
        _complain_once(store, name, newest)
    return newest


_complained: set[tuple[str, str]] = set()


def _complain_once(store: Path, name: str, newest: Snapshot) -> None:
    """One line in the log per bad pointer (readers look at it every half second)."""
    if (str(store), name) in _complained:
        return
    _complained.add((str(store), name))
    LOG.warning(
        "The snapshot pointer %s holds %r, which is not a published snapshot in that folder; reading "
        "the newest one instead, %s. The next publish sets the pointer again.",
        snapshot_folder(store) / POINTER,
        name[:80],
        newest.name,
    )


def publish(store: Path, now: dt.datetime | None = None) -> Snapshot:
    """Copy the store into a new snapshot and make it current. The caller holds the writer's turn and has
    checkpointed the store (its write-ahead log is empty), so the file on disk is the whole database."""
    store = Path(store)
    wal = Path(f"{store}.wal")
    if wal.exists() and wal.stat().st_size:
        raise RuntimeError(f"{store} has unwritten changes in {wal.name}; checkpoint it before publishing.")
    folder = private.folder(snapshot_folder(store))
    for leftover in folder.glob("*.partial"):  # a publish that died half way
        leftover.unlink(missing_ok=True)
    published = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    sequence = max((snapshot.sequence for snapshot in listing(store)), default=0) + 1
    target = folder / f"{sequence:06d}-{published:{STAMP}}.duckdb"
    with store.open("rb") as reading:
        copy_durably(reading, target)
    _replace_durably(folder / POINTER, target.name)
    global _published_here
    _published_here += 1
    prune(store, published)
    snapshot = _parse(target)
    assert snapshot is not None
    return snapshot


def copy_durably(reading: BinaryIO, target: Path) -> None:
    """Copy what `reading` holds to `target` (0640): written under a temporary name, flushed to disk, then
    renamed into place, so `target` is never half a file."""
    partial = target.with_name(target.name + ".partial")
    with private.open_new(partial) as writing:
        shutil.copyfileobj(reading, writing, length=1 << 22)
        writing.flush()
        os.fsync(writing.fileno())
    os.replace(partial, target)
    _sync_folder(target.parent)


def _replace_durably(path: Path, text: str) -> None:
    partial = path.with_name(path.name + ".partial")
    with private.open_new(partial, "w") as writing:
        writing.write(text + "\n")
        writing.flush()
        os.fsync(writing.fileno())
    os.replace(partial, path)
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def kept(snapshots: list[Snapshot], now: dt.datetime, keep_last: int, keep_weeks: int) -> list[Snapshot]:
    """Which snapshots the history keeps: the newest `keep_last`, and the newest of each London week for the
    last `keep_weeks` weeks. The newest is always kept."""
    newest_first = sorted(snapshots, key=lambda s: s.sequence, reverse=True)
    keep = {snapshot.sequence for snapshot in newest_first[: max(keep_last, 1)]}
    horizon = now - dt.timedelta(weeks=keep_weeks)
    weeks_seen: set[tuple[int, int]] = set()
    for snapshot in newest_first:
        week = tuple(snapshot.published_at.astimezone(LONDON).isocalendar())[:2]
        if snapshot.published_at >= horizon and week not in weeks_seen:
            weeks_seen.add(week)
            keep.add(snapshot.sequence)
    return [snapshot for snapshot in snapshots if snapshot.sequence in keep]


def prune(store: Path, now: dt.datetime) -> list[Snapshot]:
    """Delete the snapshots the history no longer keeps (never the current one); return those deleted. A
    dashboard still reading a deleted snapshot keeps its open file until it moves on."""
    everything = listing(store)
    keep_last, keep_weeks = snapshots_kept()
    keeping = {snapshot.sequence for snapshot in kept(everything, now, keep_last, keep_weeks)}
    newest = current(store)
    if newest is not None:
        keeping.add(newest.sequence)
    removed = [snapshot for snapshot in everything if snapshot.sequence not in keeping]
    for snapshot in removed:
        snapshot.path.unlink(missing_ok=True)
    return removed


def as_it_stood(store: Path, day: dt.date) -> Snapshot:
    """The newest snapshot published on or before `day` (London time)."""
    candidates = [snapshot for snapshot in listing(store) if snapshot.published_at.astimezone(LONDON).date() <= day]
    if not candidates:
        raise NoSnapshot(f"No snapshot was published on or before {day.isoformat()}.")
    return candidates[-1]
