"""The key that seals issued briefing packs (HMAC-SHA256): the dashboard's own, in a file beside the store
(`config.pack_key_path`), made in the writer's turn when the first pack is sealed, readable by the taskforce
group only (0640). The store and its snapshots never hold it, so whoever can change the store, or a copy of it,
cannot make a seal for a file they put there.

The file also records every pack that was issued, unsealed, before the key was made, with its SHA-256: only
those may be handed out without a seal. Any other pack without a seal (a new row, a number of 0 or below, a
seal taken away) has been altered. The file is never a symbolic link, and it is never made again while any
pack has a seal: a new key would make every genuine pack look altered."""

from __future__ import annotations

import errno
import os
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from taskforce.core.config import pack_key_path

KEY_BYTES = 32
MAX_KEY_FILE_BYTES = 1 << 20


@dataclass(frozen=True)
class PackKey:
    secret: bytes = field(repr=False)
    # pack id -> its SHA-256, for the packs issued unsealed before the key was made ('' when only the store's
    # recorded SHA-256 can check it: a key file written before these were recorded).
    unsealed: Mapping[int, str] = field(default_factory=dict)


class PackKeyProblem(Exception):
    """The key cannot be used: no pack is issued and no sealed pack offered until it is mended."""


class PackKeyUnreadable(PackKeyProblem):
    """The key file is there but is not one this dashboard wrote (or is a symbolic link)."""


class PackKeyLost(PackKeyProblem):
    """There is no key file, yet packs in the store were sealed with one."""


def read_pack_key(store: Path) -> PackKey | None:
    """The key beside `store`; None when there is none yet (no pack has been sealed)."""
    path = pack_key_path(store)
    try:
        return _parsed(tomllib.loads(_read_no_link(path)))
    except FileNotFoundError:
        return None
    except (OSError, tomllib.TOMLDecodeError, KeyError, ValueError, TypeError, AttributeError) as error:
        raise PackKeyUnreadable(
            f"The pack key file {path} cannot be read ({_why(error)}), so no sealed pack is "
            "offered and none is issued; restore it from the store's backup."
        ) from error


def _read_no_link(path: Path) -> str:
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(descriptor, "rb") as file:
        return file.read(MAX_KEY_FILE_BYTES).decode("utf-8")


def _why(error: Exception) -> str:
    if isinstance(error, OSError) and error.errno == errno.ELOOP:
        return "it is a symbolic link; the key file must be a regular file"
    return str(error.strerror if isinstance(error, OSError) else error)


def _parsed(settings: dict) -> PackKey:
    secret = bytes.fromhex(settings["key"])
    if len(secret) != KEY_BYTES:
        raise ValueError(f"the key is {len(secret)} bytes, not {KEY_BYTES}")
    if "unsealed_packs" in settings:
        unsealed = {int(pack): str(checksum) for pack, checksum in settings["unsealed_packs"].items()}
    else:  # a key file from before the packs were listed: those numbered 1 up to its first sealed pack
        unsealed = dict.fromkeys(range(1, int(settings["sealed_from_pack"])), "")
    return PackKey(secret, unsealed)


def pack_key_for_issuing(store_con: duckdb.DuckDBPyConnection, store: Path) -> PackKey:
    """In the writer's turn, with the store open: the key, made now if this is the first pack to be sealed.
    Raises PackKeyLost, making nothing, when there is no key file but some pack has a seal."""
    existing = read_pack_key(store)
    if existing is not None:
        return existing
    if store_con.execute("select 1 from issued_pack where hmac_sha256 is not null limit 1").fetchone():
        raise PackKeyLost(
            f"The pack key file {pack_key_path(store)} is missing, though packs in the store were "
            "sealed with it, so nothing was issued: a new key would make every sealed pack look "
            "altered. Restore the key file from the store's backup."
        )
    unsealed = dict(store_con.execute("select pack_id, sha256 from issued_pack order by pack_id").fetchall())
    _write_new(pack_key_path(store), PackKey(secrets.token_bytes(KEY_BYTES), unsealed))
    made = read_pack_key(store)  # ours, or the one another writer put there first
    if made is None:
        raise PackKeyUnreadable(f"The pack key file {pack_key_path(store)} could not be made; nothing was issued.")
    return made


def _key_text(key: PackKey) -> str:
    listed = "".join(f'{pack} = "{checksum}"\n' for pack, checksum in sorted(key.unsealed.items()))
    return (
        "# The key that seals the dashboard's issued briefing packs (HMAC-SHA256). Keep it with the store and\n"
        "# in its backups, readable by the taskforce group only: without it no sealed pack is offered.\n"
        f'key = "{key.secret.hex()}"\n\n'
        "# The packs issued before packs were sealed, with their SHA-256: the only ones offered unsealed.\n"
        f"[unsealed_packs]\n{listed}"
    )


def _write_new(path: Path, key: PackKey) -> bool:
    """Put the key file in place whole (written under a name of its own, flushed, then linked to its name, which
    fails if the name is taken, by a file or a link), 0640; False, and nothing changed, when the name is taken:
    the key that sealed packs is never replaced."""
    draft = path.with_name(f"{path.name}.{os.getpid()}.new")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o640)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(_key_text(key))
            file.flush()
            os.fsync(file.fileno())
        os.link(draft, path, follow_symlinks=False)
        return True
    except FileExistsError:
        return False
    finally:
        draft.unlink(missing_ok=True)
