"""Private files: what the taskforce writes is for its own account and group, never for other local accounts.

The store, its lock, the snapshots, the raw uploads and issued packs are created 0640 and their folders 0750,
whatever the process's umask (README, "Running it for real": the `taskforce` account writes them, the
`taskforce` group may read them, nobody else may). The command line and the server also set the umask to 0027,
so what other code creates for them (DuckDB's log, nginx's logs) is private too. A server refuses to start on
a store that other accounts can read, and says how to mend it (`refuse_to_serve_open_files`).
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

from taskforce.core.config import snapshot_folder, uploads_folder

FILE_MODE = 0o640
FOLDER_MODE = 0o750
UMASK = 0o027
_OTHERS = stat.S_IRWXO
SHOWN_AT_MOST = 5  # paths named in the refusal; the rest are counted


def use_private_umask() -> int:
    """Make everything this process creates from now on private (0640 files, 0750 folders); returns the umask
    it replaces."""
    return os.umask(UMASK)


def folder(path: Path) -> Path:
    """The folder `path`, created 0750 (with any missing parents) if it does not exist yet."""
    path = Path(path)
    missing = [level for level in (path, *path.parents) if not level.exists()]
    for level in reversed(missing):
        try:
            level.mkdir(mode=FOLDER_MODE)
        except FileExistsError:  # made meanwhile by another writer
            continue
        os.chmod(level, FOLDER_MODE)  # mkdir's mode is narrowed by the umask; this is exactly 0750
    return path


def open_new(path: Path, mode: Literal["wb", "w"] = "wb") -> IO:
    """`path` opened for writing from empty, created 0640 (its folder 0750)."""
    folder(Path(path).parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    return os.fdopen(descriptor, mode, **({"encoding": "utf-8"} if mode == "w" else {}))


def write_bytes(path: Path, content: bytes) -> None:
    with open_new(path) as writing:
        writing.write(content)


def make_private(path: Path) -> None:
    """A file this code has just made by other means (DuckDB creates its own files): 0640."""
    os.chmod(path, FILE_MODE)


def _store_files(store: Path) -> Iterator[Path]:
    store = Path(store)
    yield from (store, Path(f"{store}.wal"), store.with_name(store.name + ".lock"))
    for kept in (snapshot_folder(store), uploads_folder()):
        if kept.is_dir():
            yield kept
            yield from sorted(kept.iterdir())


def open_to_others(store: Path) -> list[Path]:
    """The store's files and folders (the store, its log and lock, the snapshots, the raw uploads) that other
    accounts on this machine may read, write or list (a symbolic link has no mode of its own: readers never
    follow one there)."""
    found = []
    for path in _store_files(store):
        try:
            mode = os.lstat(path).st_mode
            if mode & _OTHERS and not stat.S_ISLNK(mode):
                found.append(path)
        except FileNotFoundError:
            continue
    return found


def refusal(store: Path) -> str:
    """Why the store may not be served or written as it is, and how to mend it; '' when it is private."""
    found = open_to_others(store)
    if not found:
        return ""
    named = ", ".join(f"{path} ({stat.filemode(os.lstat(path).st_mode)})" for path in found[:SHOWN_AT_MOST])
    more = f" and {len(found) - SHOWN_AT_MOST} more" if len(found) > SHOWN_AT_MOST else ""
    return (f"The taskforce's files are open to other accounts on this machine: {named}{more}. Nothing was "
            f"served or written. Mend it as the taskforce account: chmod -R o= {' '.join(_mend(store, found))} "
            "(README, Running it for real).")


def _mend(store: Path, found: list[Path]) -> list[str]:
    """The paths to give `chmod -R o=`: a kept folder once for everything in it."""
    folders = [kept for kept in (snapshot_folder(Path(store)), uploads_folder()) if kept.is_dir()]
    targets: dict[str, None] = {}
    for path in found:
        holding = next((kept for kept in folders if path == kept or path.parent == kept), path)
        targets[str(holding)] = None
    return list(targets)


def refuse_to_serve_open_files(store: Path) -> None:
    """At a server's start: make what it creates private, and stop it, saying how to mend it, when the store's
    files are open to other accounts."""
    use_private_umask()
    reason = refusal(store)
    if reason:
        raise SystemExit(reason)
