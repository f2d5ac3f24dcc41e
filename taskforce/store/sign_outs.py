"""Sign-outs, recorded on the server in a list of their own beside the store (`<store>.sign-outs`): a sign-in (the
ID token's subject and issue time) that has been signed out is refused from then on, by every page and every
download, even if a copy of its cookie is presented again.

The list lies outside the store and its snapshots, so a sign-out publishes nothing (no copy of the store, no
history slot used, no server's caches emptied) and no restore of the data can bring a signed-out sign-in back.
One JSON line per sign-out, appended under an exclusive lock of the file itself (not the writer's turn: a
sign-out never waits for a load) and flushed to disk before the sign-out returns. A reader looks at the file on
every check and reads only what was added since its last look, so every server sees a sign-out at once. Now and
then the lines of sign-ins older than any cookie can be are dropped: the list is rewritten beside itself under
the lock and renamed into place.

A sign-out is written whole or not at all: a write the disk cuts short is undone and raises SignOutNotRecorded,
so the caller can say so rather than sign out only in the browser. Neither the list nor its rewrite is opened
through a symbolic link (one planted in their place would have the server append to, truncate or chmod another
file): the list is refused, the rewrite is skipped and logged.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import logging
import os
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from taskforce.core.config import sign_outs_path
from taskforce.core.db import single

LIST_MODE = 0o640  # the service's account writes it, its group (the dashboards) reads it, nobody else
# Streamlit refuses a sign-in cookie signed more than 31 days ago (30 days and a day's grace), so the sign-out of
# a sign-in issued before then guards nothing; a day more allows for clocks that disagree.
KEPT_SECONDS = 32 * 86400
# The list is rewritten once its oldest line is a day past that, so about once a day at most.
COMPACT_AFTER_SECONDS = KEPT_SECONDS + 86400
NO_FOLLOW = os.O_NOFOLLOW | os.O_CLOEXEC
LOG = logging.getLogger(__name__)


class SignOutNotRecorded(Exception):
    """The server could not add a sign-out to its list (nothing of it is left there): a copy of the sign-in's
    cookie is still accepted."""


def list_path(store: Path) -> Path:
    """The list of sign-outs of `store`: beside it, outside its snapshots."""
    return sign_outs_path(store)


def record_sign_out(store: Path, subject: str, issued_at: int, at: dt.datetime) -> None:
    """Add this sign-in to the list (which is created 0640 if it is not there yet), on disk before returning;
    SignOutNotRecorded, with the reason, if it could not be."""
    _record(list_path(store), [(subject, issued_at, at)], at)


def is_signed_out(store: Path, subject: str, issued_at: int) -> bool:
    """Looked up afresh on every call (not cached beyond what the file held when last read): a sign-out takes
    effect at once, on every server."""
    return _SEEN.listed(list_path(store), (str(subject), int(issued_at)))


def move_from_table(cursor: duckdb.DuckDBPyConnection) -> None:
    """Migration 10, before its SQL drops the table: the sign-outs the store itself held (before they had a list of
    their own) appended to the list beside it."""
    rows = cursor.execute("select subject, issued_at, signed_out_at from signed_out order by signed_out_at").fetchall()
    if rows:
        store = single(
            cursor.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()
        )[0]
        _record(list_path(Path(store)), rows, dt.datetime.now(dt.UTC))


def _record(path: Path, entries: Iterable[tuple[str, int, dt.datetime]], now: dt.datetime) -> None:
    lines = "".join(
        json.dumps({"sub": str(subject), "iat": int(issued), "at": at.isoformat()}) + "\n"
        for subject, issued, at in entries
    )
    try:
        with _locked(path) as fd:
            _append(fd, lines.encode("utf-8"))
            if _oldest_issue(fd) < now.timestamp() - COMPACT_AFTER_SECONDS:
                _compact_or_log(path, fd, now.timestamp() - KEPT_SECONDS)
    except OSError as failed:
        raise SignOutNotRecorded(f"The sign-out could not be recorded in {path}: {_reason(failed)}") from failed


def _reason(failed: OSError) -> str:
    if failed.errno == errno.ELOOP:
        return f"{failed.filename} is a symbolic link, which the server does not follow: remove it"
    return failed.strerror or str(failed)


@contextmanager
def _locked(path: Path) -> Iterator[int]:
    """The list, open for appending and locked; opened again if another writer renamed a rewritten list into
    place while this one waited for the lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = _open_or_create(path)
        fcntl.flock(fd, fcntl.LOCK_EX)
        if os.fstat(fd).st_ino == os.lstat(path).st_ino:
            break
        os.close(fd)
    try:
        yield fd
    finally:
        os.close(fd)  # which releases the lock


def _open_or_create(path: Path) -> int:
    """The list, never through a symbolic link (ELOOP), and only a regular file."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL | NO_FOLLOW, LIST_MODE)
    except FileExistsError:
        fd = os.open(path, os.O_RDWR | os.O_APPEND | NO_FOLLOW)
    else:
        os.fchmod(fd, LIST_MODE)  # whatever the process's umask
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "it is not a plain file: remove it", str(path))
    return fd


def _append(fd: int, data: bytes) -> None:
    """Append whole lines, on disk, or raise with the list as it was; after a line a crashed writer left
    unfinished, on a line of their own."""
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        data = b"\n" + data
    try:
        _write_all(fd, data)
        os.fsync(fd)
    except OSError:
        os.ftruncate(fd, size)  # nothing of this sign-out left half-written (a full disk frees its pages)
        raise


def _write_all(fd: int, data: bytes) -> None:
    """Every byte of `data`, or OSError: a write a nearly full disk cuts short is carried on from where it
    stopped, and the next write says why."""
    view = memoryview(data)
    for _ in range(len(data)):  # each write takes a byte at least
        if not view:
            return
        written = os.write(fd, view)
        if not written:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        view = view[written:]


def _oldest_issue(fd: int) -> float:
    """The issue time on the list's first line (lines are appended as sign-outs happen, so the oldest or
    near it); infinity when it cannot be read."""
    first = os.pread(fd, 4096, 0).split(b"\n", 1)[0]
    key = _key(first)
    return float(key[1]) if key else float("inf")


def _compact_or_log(path: Path, fd: int, oldest_kept: float) -> None:
    """The sign-out is on disk already: a rewrite that fails leaves the list as it is, longer, and says why."""
    try:
        _compact(path, fd, oldest_kept)
    except OSError as failed:
        LOG.warning("The list of sign-outs %s was not rewritten without its old lines: %s", path, _reason(failed))


def _compact(path: Path, fd: int, oldest_kept: float) -> None:
    lines = os.pread(fd, os.fstat(fd).st_size, 0).splitlines(keepends=True)
    kept = b"".join(line for line in lines if (key := _key(line)) and key[1] >= oldest_kept)
    rewritten = path.with_name(path.name + ".rewriting")
    _remove_stale(rewritten)
    out = os.open(rewritten, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NO_FOLLOW, LIST_MODE)
    try:
        os.fchmod(out, LIST_MODE)
        _write_all(out, kept)
        os.fsync(out)
    except OSError:
        os.unlink(rewritten)
        raise
    finally:
        os.close(out)
    os.replace(rewritten, path)


def _remove_stale(rewritten: Path) -> None:
    """A rewrite a crashed writer left is removed; anything else in its place (a link) is refused."""
    try:
        found = os.lstat(rewritten)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(found.st_mode):
        raise OSError(errno.ELOOP if stat.S_ISLNK(found.st_mode) else errno.EEXIST, "not a plain file", str(rewritten))
    os.unlink(rewritten)


def _key(line: bytes) -> tuple[str, int] | None:
    try:
        entry = json.loads(line)
        return str(entry["sub"]), int(entry["iat"])
    except (ValueError, TypeError, KeyError):
        return None  # an unfinished line of a crashed writer


@dataclass
class _List:
    """What a reader has read of one list: the file (its inode), how far, and the sign-ins it names."""

    inode: int
    offset: int = 0
    keys: set[tuple[str, int]] = field(default_factory=set)


class _Seen:
    """The lists this process has read, each read on from where it stopped when the file has grown."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.lists: dict[Path, _List] = {}

    def listed(self, path: Path, key: tuple[str, int]) -> bool:
        with self.lock:
            try:
                stat = os.stat(path)
            except FileNotFoundError:
                return False
            known = self.lists.get(path)
            if known is None or known.inode != stat.st_ino or stat.st_size != known.offset:
                known = self._read(path, known)
            return known is not None and key in known.keys

    def _read(self, path: Path, known: _List | None) -> _List | None:
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            return None
        with handle:
            stat = os.fstat(handle.fileno())
            if known is None or known.inode != stat.st_ino or stat.st_size < known.offset:
                known = self.lists[path] = _List(stat.st_ino)
            handle.seek(known.offset)
            added = handle.read()
        complete = added[: added.rfind(b"\n") + 1]  # a line still being written is read next time
        known.keys.update(key for line in complete.splitlines() if (key := _key(line)))
        known.offset += len(complete)
        return known


_SEEN = _Seen()
