"""The database schema, created idempotently and migrated step by step.

Each numbered file in migrations/ takes the schema from version N-1 to N. An existing database is brought up to
`SCHEMA_VERSION` by running the steps it has not had, in one transaction, so a change never needs a rebuild.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from taskforce.core.db import single, transaction
from taskforce.store.rollups import rebuild as rebuild_rollups
from taskforce.store.sign_outs import move_from_table as move_sign_outs_from_table

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Python steps that run before or after a version's SQL, in the same transaction.
BEFORE_SQL: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {10: move_sign_outs_from_table}
AFTER_SQL: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {3: rebuild_rollups}


def _migration_files() -> list[Path]:
    """migrations/NNN_what_it_does.sql, numbered from 001 without gaps."""
    files = sorted(MIGRATIONS_DIR.glob("[0-9][0-9][0-9]_*.sql"))
    numbers = [int(path.name[:3]) for path in files]
    if numbers != list(range(1, len(files) + 1)):
        raise RuntimeError(f"Migrations must be numbered 001 upwards without gaps; found {numbers}.")
    return files


# Each step takes the schema from version N-1 to N: any Python step before, the text of its SQL file, any after.
MIGRATIONS: list[list] = [
    [
        *([BEFORE_SQL[number]] if number in BEFORE_SQL else []),
        path.read_text(encoding="utf-8"),
        *([AFTER_SQL[number]] if number in AFTER_SQL else []),
    ]
    for number, path in enumerate(_migration_files(), start=1)
]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute("select count(*) from information_schema.tables where table_name = 'meta'").fetchone()
    exists = single(exists)[0]
    if not exists:
        return 0
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def ensure_schema(con: duckdb.DuckDBPyConnection) -> int:
    """Create or migrate the schema to the current version; safe to call on every start."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"The database has schema version {current}, newer than this code ({SCHEMA_VERSION}). "
            "Update the dashboard before opening it."
        )
    if current == SCHEMA_VERSION:
        return current
    with transaction(con) as cursor:
        for statements in MIGRATIONS[current:]:
            for statement in statements:
                statement(cursor) if callable(statement) else cursor.execute(statement)
        cursor.execute(
            "insert or replace into meta values ('schema_version', $version)", {"version": str(SCHEMA_VERSION)}
        )
        cursor.execute("insert or ignore into meta values ('data_version', '0')")
    return SCHEMA_VERSION
