"""Building a demo database: the schema, the reference data and the synthetic history, written beside the
old file and moved into place only when complete."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb
import pandas as pd

from taskforce.core.calendar import last_complete_week_ending
from taskforce.core.db import connect, transaction
from taskforce.demo import actions, generator, recommendations
from taskforce.store import catalogue, keys, reference, rollups
from taskforce.store.creating import DatabaseKind, record_kind
from taskforce.store.schema import ensure_schema


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


def build_demo_database(
    path: Path, as_of: dt.date, seed: int = generator.DEFAULT_SEED, scale: int = 1, with_actions: bool = True
) -> generator.DemoBuild:
    """(Re)build the database at `path` with reference data and the demo history. The new file is written
    beside the old one and moved into place only when complete, so a failed build leaves nothing half-made.
    At `scale` N (for benchmarks), every organisation reports through N units and the history is longer. The
    briefing's agreed actions (demo/actions.py) are recorded unless `with_actions` is False."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(path.name + ".building")
    _remove_database_files(staging)

    orgs = reference.organisations().query("expected_to_return").reset_index(drop=True)
    weeks = generator.week_endings(as_of, scale)
    senders = generator.senders(orgs, scale)
    values = generator.generate_values(weeks, senders, seed)
    receipts = generator.plan_receipts(weeks, orgs, seed)
    uploads, returns, history = generator.assemble_returns(weeks, orgs, values, receipts, as_of, seed, scale)
    units = senders.loc[senders["unit_code"].ne(senders["code"]), ["unit_code", "code", "unit_name"]].set_axis(
        ["code", "org_code", "name"], axis=1
    )
    updates, milestones = recommendations.generate_updates(as_of, seed)

    con = connect(staging)
    try:
        ensure_schema(con)
        with transaction(con) as cursor:
            reference.load_reference(cursor)
            cursor.execute("delete from milestone")
            for table_name, frame in (
                ("org_unit", units),
                ("milestone", milestones),
                ("upload", uploads),
                ("weekly_return", returns),
                ("weekly_return_history", history),
                ("rec_update", updates),
            ):
                _insert(cursor, table_name, frame)
            rollups.rebuild(cursor)
            keys.refuse_repeated_in_tables(cursor)  # the tables have no index to hold their keys
            record_kind(cursor, DatabaseKind.DEMO)
            settings = {
                "demo_as_of": as_of.isoformat(),
                "demo_seed": str(seed),
                "demo_scale": str(scale),
                "series_start": weeks[0].isoformat(),
                "data_version": "1",
            }
            for key, value in settings.items():
                cursor.execute("insert or replace into meta values ($key, $value)", {"key": key, "value": value})
        if with_actions:
            actions.record_demo_actions(con, weeks[-1])
        con.execute("checkpoint")
    finally:
        con.close()
    _remove_database_files(path)
    os.replace(staging, path)
    return generator.DemoBuild(
        path, as_of, seed, len(weeks), len(returns), len(uploads), len(updates), scale, len(units)
    )


PARTNER_HISTORY_WEEKS = 104


def write_partner_extracts(root: Path, as_of: dt.date, seed: int = generator.DEFAULT_SEED) -> Path:
    """Put the demo's synthetic Border Force extract where the catalogue says Border Force puts its files,
    named as made on `as_of` with "synthetic" in the name (pages label it so). Earlier synthetic extracts are
    removed; a real one is never touched. Returns the file written."""
    folder = catalogue.dataset("border_force_port_detections").location(root)
    folder.mkdir(parents=True, exist_ok=True)
    last = last_complete_week_ending(as_of)
    weeks = [last - dt.timedelta(weeks=n) for n in range(PARTNER_HISTORY_WEEKS - 1, -1, -1)]
    table = generator.port_detections(weeks, seed)
    path = folder / f"port_detections_synthetic_{as_of.isoformat()}.parquet"
    partial = path.with_name(path.name + ".partial")
    table.to_parquet(partial, index=False)
    catalogue.put_in_place(partial, path)  # whole at once: a dashboard looking now sees the old file or the new one
    for previous in folder.glob("*synthetic*.parquet"):
        if previous != path:
            previous.unlink()
    return path
