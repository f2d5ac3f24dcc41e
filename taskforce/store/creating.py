"""Creating an empty live database: the schema, the reference data, the recommendations and their milestones,
and no returns. A live database never receives synthetic values; the demo build refuses to replace one."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path

import duckdb

from taskforce.core.calendar import SERIES_START, london_now
from taskforce.core.db import OFFLINE_CONFIG, connect, transaction
from taskforce.store import reference
from taskforce.store.schema import ensure_schema


class DatabaseKind(StrEnum):
    """What a database holds, recorded in meta when it is made: every page, export and the pack say which."""

    DEMO = "demo"  # synthetic returns: a sandbox, analysts may practise loading on it
    LIVE = "live"  # real returns only


class DatabaseExists(FileExistsError):
    """There is a database at that path already, and it was not to be replaced."""


def database_kind(con: duckdb.DuckDBPyConnection) -> DatabaseKind | None:
    """The kind recorded in meta; None for a database made before kinds were recorded (or not ours)."""
    cursor = con.cursor()
    try:
        exists = cursor.execute("select count(*) from information_schema.tables where table_name = 'meta'").fetchone()
        if not exists or not exists[0]:
            return None
        row = cursor.execute("select value from meta where key = 'database_kind'").fetchone()
    finally:
        cursor.close()
    return DatabaseKind(row[0]) if row else None


def kind_of_file(path: Path | str) -> DatabaseKind | None:
    """The kind of the database file at `path`, or None when there is none (or it records no kind)."""
    if not Path(path).exists():
        return None
    con = duckdb.connect(str(path), read_only=True, config=dict(OFFLINE_CONFIG))
    try:
        return database_kind(con)
    finally:
        con.close()


def record_kind(cursor: duckdb.DuckDBPyConnection, kind: DatabaseKind) -> None:
    cursor.execute("insert or replace into meta values ('database_kind', $kind)", {"kind": str(kind)})


def create_live_database(path: Path | str, force: bool = False, now: dt.datetime | None = None) -> Path:
    """Create an empty live database at `path`. An existing file is refused unless `force`, which replaces it
    (its returns and audit log are gone: the caller has said so)."""
    path = Path(path)
    if path.exists() and not force:
        raise DatabaseExists(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (path, Path(f"{path}.wal")):
        stale.unlink(missing_ok=True)
    con = connect(path)
    try:
        ensure_schema(con)
        with transaction(con) as cursor:
            reference.load_reference(cursor)
            record_kind(cursor, DatabaseKind.LIVE)
            created = (now or london_now()).isoformat(timespec="seconds")
            for key, value in {
                "series_start": SERIES_START.isoformat(),
                "created_at": created,
                "data_version": "1",
            }.items():
                cursor.execute("insert or replace into meta values ($key, $value)", {"key": key, "value": value})
        con.execute("checkpoint")
    finally:
        con.close()
    return path
