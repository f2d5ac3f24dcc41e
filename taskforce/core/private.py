"""Private files: what the taskforce writes is for its own account and group, never for other local accounts.

The store, its lock, the snapshots, the raw uploads and issued packs are created 0640 and their folders 0750,
whatever the process's umask (README, "Running it for real": the `taskforce` account writes them, the
`taskforce` group may read them, nobody else may). The command line and the server also set the umask to 0027,
so what other code creates for them (DuckDB's log, nginx's logs) is private too. A server refuses to start on
a store that other accounts can read or change, and says how to mend it (`refuse_to_serve_open_files`): the
store's own folder (no write for the group, nothing for others), the store and the files beside it (its log,
lock, sign-out list and pack key), the snapshots and CURRENT, the raw uploads, and what a symbolic link among
them leads to. A store in a folder other accounts share (like /tmp) is refused: it needs a folder of its own.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Literal

from taskforce.core.config import pack_key_path, sign_outs_path, snapshot_folder, uploads_folder

FILE_MODE = 0o640
FOLDER_MODE = 0o750
UMASK = 0o027
_OTHERS = stat.S_IRWXO
_FOLDER_OPEN = stat.S_IWGRP | stat.S_IRWXO  # the store's own folder: written by the group, or seen by others
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
    yield from (
        store,
        Path(f"{store}.wal"),
        store.with_name(store.name + ".lock"),
        sign_outs_path(store),
        pack_key_path(store),
    )
    for kept in _kept_folders(store):
        yield kept
        yield from sorted(kept.iterdir())


def _kept_folders(store: Path) -> list[Path]:
    return [kept for kept in (snapshot_folder(store), uploads_folder()) if kept.is_dir()]


def _is_open(path: Path, mask: int) -> bool:
    """Whether what `path` is, or what a symbolic link there leads to (DuckDB and the writers follow one), has
    a permission bit of `mask`; False when there is nothing there."""
    try:
        return bool(os.stat(path).st_mode & mask)
    except (FileNotFoundError, NotADirectoryError):
        return False


def store_folder(store: Path) -> Path:
    return Path(store).absolute().parent


def open_to_others(store: Path) -> list[Path]:
    """What of the store other accounts on this machine may change or read: its own folder when the group or
    others may write in it (they could rename the sign-out list away, or replace the store or its snapshots) or
    others may list it; and the store, its log and lock, its sign-out list, its pack key, the snapshot folder and
    everything in it (CURRENT too), the raw uploads, when others may read, write or list them."""
    store = Path(store)
    found = [store_folder(store)] if _is_open(store_folder(store), _FOLDER_OPEN) else []
    return found + [path for path in _store_files(store) if _is_open(path, _OTHERS)]


def _shared_root(folder: Path) -> bool:
    """A folder other accounts share (like /tmp: sticky and open to all) or that this account does not own:
    a chmod would not mend it, or would take it from the others."""
    status = os.stat(folder)
    return bool(status.st_mode & stat.S_ISVTX) or status.st_uid != os.geteuid()


def refusal(store: Path) -> str:
    """Why the store may not be served or written as it is, and how to mend it; '' when it is private."""
    found = open_to_others(store)
    if not found:
        return ""
    folder = store_folder(store)
    if found[0] == folder and _shared_root(folder):
        return (
            f"The store {store} is in {folder} ({stat.filemode(os.stat(folder).st_mode)}), a folder other "
            "accounts share. Nothing was served or written. Give the store a folder of its own, owned by the "
            "taskforce account and 0750 (README, Running it for real)."
        )
    named = ", ".join(f"{path} ({stat.filemode(os.stat(path).st_mode)})" for path in found[:SHOWN_AT_MOST])
    more = f" and {len(found) - SHOWN_AT_MOST} more" if len(found) > SHOWN_AT_MOST else ""
    return (
        f"The taskforce's files are open to other accounts on this machine: {named}{more}. Nothing was "
        f"served or written. Mend it as the taskforce account: {_mend(store, found)} "
        "(README, Running it for real)."
    )


def _mend(store: Path, found: list[Path]) -> str:
    """The commands that mend it: `chmod g-w,o=` for the store's own folder (never -R: it may hold more than
    the taskforce's files), `chmod -R o=` for the rest, a kept folder once for everything in it."""
    folder = store_folder(store)
    kept = _kept_folders(Path(store))
    targets: dict[str, None] = {}
    for path in found:
        if path != folder:
            holding = next((each for each in kept if path == each or path.parent == each), path)
            targets[str(holding)] = None
    commands = [f"chmod g-w,o= {folder}"] if folder in found else []
    return " && ".join(commands + ([f"chmod -R o= {' '.join(targets)}"] if targets else []))


def refuse_to_serve_open_files(store: Path) -> None:
    """At a server's start: make what it creates private, and stop it, saying how to mend it, when the store's
    files are open to other accounts."""
    use_private_umask()
    reason = refusal(store)
    if reason:
        raise SystemExit(reason)
