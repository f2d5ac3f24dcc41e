"""The keys of the big tables, enforced by the writer instead of by an index.

A DuckDB primary key is an ART index kept beside the table; on the returns it cost twenty times the space of
the values (migration 013 dropped it). What it protected is checked here, inside the writer's transaction
and before anything is written: a write that would hold one key twice is refused with `RepeatedKey`, and
the caller's transaction rolls the whole of it back. The writes that keep the tables unique by construction
(delete the touched keys, then insert them once) call `refuse_repeated` on what they are about to insert.
"""

from __future__ import annotations

import duckdb

# Each table's key, the columns that name one stored value (identifiers from this fixed list only).
KEYS: dict[str, tuple[str, ...]] = {
    "weekly_return": ("week_ending", "org_code", "measure_code"),
    "org_week_value": ("week_ending", "org_code", "measure_code"),
    "org_week_receipt": ("week_ending", "org_code"),
}


class RepeatedKey(Exception):
    """A write would hold the same key twice; nothing of it was written."""

    def __init__(self, table: str, key: tuple) -> None:
        self.table, self.key = table, key
        super().__init__(f"{table} would hold {', '.join(str(part) for part in key)} twice; nothing was written.")


def refuse_repeated(cursor: duckdb.DuckDBPyConnection, relation: str, table: str) -> None:
    """Raise RepeatedKey when `relation` (a registered frame or a table, named in code) holds a key of
    `table` more than once."""
    columns = ", ".join(KEYS[table])
    repeated = cursor.execute(f"select {columns} from {relation} group by all having count(*) > 1 limit 1").fetchone()
    if repeated is not None:
        raise RepeatedKey(table, tuple(repeated))


def refuse_repeated_in_tables(cursor: duckdb.DuckDBPyConnection) -> None:
    """Every keyed table, whole (a build that loads them in bulk checks once, before its commit)."""
    for table in KEYS:
        refuse_repeated(cursor, table, table)
