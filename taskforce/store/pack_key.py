"""The key that seals issued briefing packs (HMAC-SHA256): the dashboard's own, in a file beside the store
(`config.pack_key_path`), made in the writer's turn when the first pack is sealed, readable by the taskforce
group only (0640). The store and its snapshots never hold it, so whoever can change the store, or a copy of it,
cannot make a seal for a file they put there.

The file also records the first pack it sealed: a pack numbered below that was issued before packs were sealed
and can be checked against its SHA-256 only; a pack from that one on without a seal has had it taken away."""
from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from taskforce.core.config import pack_key_path
from taskforce.core.db import single

KEY_BYTES = 32


@dataclass(frozen=True)
class PackKey:
    secret: bytes = field(repr=False)
    sealed_from_pack: int  # packs numbered below this were issued before packs were sealed


class PackKeyUnreadable(Exception):
    """The key file is there but is not one this dashboard wrote."""


def read_pack_key(store: Path) -> PackKey | None:
    """The key beside `store`; None when there is none yet (no pack has been sealed)."""
    path = pack_key_path(store)
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
        return PackKey(bytes.fromhex(settings["key"]), int(settings["sealed_from_pack"]))
    except FileNotFoundError:
        return None
    except (tomllib.TOMLDecodeError, KeyError, ValueError, TypeError) as error:
        raise PackKeyUnreadable(f"The pack key file {path} cannot be read ({error}); restore it from the "
                                "store's backup.") from error


def pack_key_for_issuing(store_con: duckdb.DuckDBPyConnection, store: Path) -> PackKey:
    """In the writer's turn, with the store open: the key, made now if this is the first pack to be sealed."""
    existing = read_pack_key(store)
    if existing is not None:
        return existing
    first = single(store_con.execute("select coalesce(max(pack_id), 0) + 1 from issued_pack").fetchone())[0]
    made = PackKey(secrets.token_bytes(KEY_BYTES), int(first))
    return made if _write_new(pack_key_path(store), made) else pack_key_for_issuing(store_con, store)


def _write_new(path: Path, key: PackKey) -> bool:
    """Put the key file in place whole (written under a name of its own, flushed, then linked to its name, which
    fails if the name is taken), 0640; False, and nothing changed, when there is one already: the key that sealed
    packs is never replaced."""
    text = ("# The key that seals the dashboard's issued briefing packs (HMAC-SHA256). Keep it with the store and\n"
            "# in its backups, readable by the taskforce group only: without it no sealed pack is offered.\n"
            f'key = "{key.secret.hex()}"\n'
            f"sealed_from_pack = {key.sealed_from_pack}\n")
    draft = path.with_name(f"{path.name}.{os.getpid()}.new")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.link(draft, path)
        return True
    except FileExistsError:
        return False
    finally:
        draft.unlink(missing_ok=True)
