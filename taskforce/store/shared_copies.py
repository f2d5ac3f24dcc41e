"""The readers' own copies of the partner extracts: what a view reads is exactly the file a look checked.

A partner may write over an accepted file in place (a plain `cp`) at any time, so a view that read the partner's
file by its path would read whatever is there now: part of a copy, or a file past its size limit. Instead a look
copies a complete candidate into a folder of this process's own under `shared_copies_folder()` (0640 files in a
0750 folder, the dashboard's, not the partners'), reading no more than the dataset's limit and making sure the
file did not change while it was copied, and checks the copy. An accepted copy is named by its content and never
written again; the views point at it. Each process keeps the newest KEEP per dataset (a query still running on
the last one finishes it), removes its folder at exit, and removes the folders of this machine's processes
that are gone (a server killed with -9 leaves its folder behind).
"""

from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import socket
import tempfile
import threading
from functools import cache
from pathlib import Path
from typing import BinaryIO

from taskforce.core import private
from taskforce.core.config import shared_copies_folder

CHUNK = 1024 * 1024
KEEP = 3


class Changed(Exception):
    """The file changed while it was being copied: it is still arriving."""


@cache
def root() -> Path:
    """The folder holding every process's copies (the readers may open files under it), decided once per
    process, at first use: every reader the process opens allows the folder the look copies into."""
    return private.folder(shared_copies_folder())


@cache
def _own(under: Path, pid: int) -> Path:
    """This process's folder of copies under `under`, made on first use; the folders of processes that are gone
    go."""
    _remove_abandoned(under)
    made = Path(tempfile.mkdtemp(prefix=f"{pid}@{socket.gethostname()}@", dir=under))
    os.chmod(made, private.FOLDER_MODE)
    atexit.register(shutil.rmtree, made, True)
    return made


def own() -> Path:
    return _own(root(), os.getpid())


def _remove_abandoned(under: Path) -> None:
    """Remove the folders of this machine's processes that no longer run (`<pid>@<host>@...`; on a share, the
    other machines' are theirs to remove)."""
    for entry in under.iterdir():
        pid, host, *_ = [*entry.name.split("@"), "", ""]
        if (
            host == socket.gethostname()
            and pid.isdigit()
            and entry.is_dir()
            and not entry.is_symlink()
            and not _alive(int(pid))
        ):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another account's process
        return True
    return True


def draft(path: Path, limit: int) -> tuple[Path, str]:
    """A private copy of `path` under a temporary name in this process's folder, and its content's digest:
    Changed when the file was written to or replaced while it was copied (or grew past `limit` bytes)."""
    copy = own() / f".{path.name}.{threading.get_ident()}.draft"
    try:
        with path.open("rb") as source, private.open_new(copy) as target:
            before = os.fstat(source.fileno())
            copied, digest = _copy(source, target, limit)
            if not _unchanged(before, os.fstat(source.fileno()), path.stat()) or copied != before.st_size:
                raise Changed(path.name)
    except BaseException:
        copy.unlink(missing_ok=True)
        raise
    return copy, digest


def _copy(source: BinaryIO, target: BinaryIO, limit: int) -> tuple[int, str]:
    """Bytes copied, never more than `limit` (Changed past it: the file grew), and their digest."""
    copied, digest = 0, hashlib.sha256()
    while chunk := source.read(min(CHUNK, limit + 1 - copied)):
        copied += len(chunk)
        if copied > limit:
            raise Changed(source.name)
        target.write(chunk)
        digest.update(chunk)
    return copied, digest.hexdigest()[:32]


def _unchanged(before: os.stat_result, *after: os.stat_result) -> bool:
    key = (before.st_ino, before.st_size, before.st_mtime_ns, before.st_ctime_ns)
    return all((seen.st_ino, seen.st_size, seen.st_mtime_ns, seen.st_ctime_ns) == key for seen in after)


def keep(draft_path: Path, digest: str, dataset: str, suffix: str) -> Path:
    """The checked draft as the dataset's copy, named by its content (an identical copy already kept is used
    instead); older copies of the dataset beyond KEEP go."""
    kept = draft_path.with_name(f"{dataset}-{digest}.{suffix}")
    if kept.exists():
        draft_path.unlink()
    else:
        os.replace(draft_path, kept)
    os.utime(kept)  # the newest in use
    _clean(kept.parent, dataset)
    return kept


def _clean(folder: Path, dataset: str) -> None:
    copies = sorted(folder.glob(f"{dataset}-*"), key=lambda path: path.stat().st_mtime_ns, reverse=True)
    for old in copies[KEEP:]:
        old.unlink(missing_ok=True)
