"""Building the database: schema, reference data and (for demonstration) the synthetic history."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pandas as pd

from taskforce import demo, demo_recommendations, reference
from taskforce.db import connect, transaction
from taskforce.schema import ensure_schema


def _insert(con: duckdb.DuckDBPyConnection, table_name: str, frame: pd.DataFrame) -> None:
    """Append a frame to one of the fixed tables below (never a name from input)."""
    if frame.empty:
        return
    con.register("incoming_rows", frame)
    columns = ", ".join(frame.columns)
    con.execute(f"insert into {table_name} ({columns}) select {columns} from incoming_rows")
    con.unregister("incoming_rows")


def _remove_database_files(path: Path) -> None:
    for candidate in (path, Path(f"{path}.wal")):
        if candidate.exists():
            candidate.unlink()


def build_demo_database(path: Path, as_of: dt.date, seed: int = demo.DEFAULT_SEED) -> demo.DemoBuild:
    """(Re)build the database at `path` with reference data and the demo history. The new file is written
    beside the old one and moved into place only when complete, so a failed build leaves nothing half-made."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".building")
    _remove_database_files(staging)

    orgs = reference.organisations().query("expected_to_return").reset_index(drop=True)
    weeks = demo.week_endings(as_of)
    values = demo.generate_values(weeks, orgs, seed)
    receipts = demo.plan_receipts(weeks, orgs, seed)
    uploads, returns, history = demo.assemble_returns(weeks, orgs, values, receipts, as_of, seed)
    updates, milestones = demo_recommendations.generate_updates(as_of, seed)

    con = connect(staging)
    try:
        ensure_schema(con)
        with transaction(con) as cursor:
            reference.load_reference(cursor)
            cursor.execute("delete from milestone")
            for table_name, frame in (("milestone", milestones), ("upload", uploads), ("weekly_return", returns),
                                      ("weekly_return_history", history), ("rec_update", updates)):
                _insert(cursor, table_name, frame)
            for key, value in (("demo_as_of", as_of.isoformat()), ("demo_seed", str(seed)), ("data_version", "1")):
                cursor.execute("insert or replace into meta values ($key, $value)", {"key": key, "value": value})
        con.execute("checkpoint")
    finally:
        con.close()
    _remove_database_files(path)
    os.replace(staging, path)
    return demo.DemoBuild(path, as_of, seed, len(weeks), len(returns), len(uploads), len(updates))


def ensure_database(path: Path) -> bool:
    """Build the demo database if there is none at `path`, else bring it up to date: the schema migrated
    and the reference tables the repository owns (organisations, measures, events, crossings) refreshed.
    True when it was built now."""
    if Path(path).exists():
        con = connect(path)
        try:
            ensure_schema(con)
            with transaction(con) as cursor:
                reference.refresh_owned_reference(cursor)
        finally:
            con.close()
        return False
    build_demo_database(path, as_of=dt.date.today())
    return True
