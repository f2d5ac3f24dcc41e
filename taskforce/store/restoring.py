"""Restoring the data as it stood in a snapshot, without letting the record go back in time.

A candidate is believed only when it is a regular file of the snapshot folder (never a symbolic link) that
opens as a DuckDB database of this project: its `meta` names a schema version no newer than this code's and
the same kind of database as the store (demo or live). It is copied, migrated to this code's schema with this
code's reference data, and given what must never be undone: the audit of uploads and refusals made since
(`upload` and `upload_error` rows; an upload whose values the restore takes away says so, and its file may be
loaded again) and every issued pack the store holds and the candidate lacks (so an edited snapshot cannot drop
or renumber one). Only then does it replace the store and is it published. A candidate that fails a check
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from pathlib import Path

import duckdb

from taskforce.core.calendar import LONDON
from taskforce.core.db import OFFLINE_CONFIG, connect, single, transaction
from taskforce.store import reference, snapshots, writing
from taskforce.store.creating import database_kind
from taskforce.store.schema import ensure_schema, schema_version

SHOWN_AT_MOST = 5  # missing tables and columns named in a refusal; the rest are counted
# What a restore carries forward from the store, table by table: the audit past the candidate's newest upload,
# and every issued pack the candidate lacks (an edited snapshot may have dropped one, or renumbered it), each
# with the rows of the candidate it takes the place of.
CARRIED = {
    "upload": ("id > $upload", "upload"),
    "upload_error": ("upload_id > $upload", "upload"),
    "issued_pack": ("not list_contains($packs, pack_id)", "packs"),
    "issued_figure": ("not list_contains($packs, pack_id)", "packs"),
}
_REPLACED = {
    "issued_pack": "(week_ending, issue_number) in (select (week_ending, issue_number) from carried)",
    "issued_figure": "pack_id in (select pack_id from carried) or pack_id not in (select pack_id from issued_pack)",
}


# Kept whole from the store, whatever the candidate holds: the briefing's actions (their state now and every change)
# and the mail sent, which are records of what was decided and said, not data a restore may take back. Each with
# the sequence its ids come from, moved on past the store's newest.
KEPT_WHOLE = {
    "briefing_action": ("action_id", "briefing_action_id"),
    "briefing_action_change": ("change_id", "briefing_action_change_id"),
    "mail_log": ("mail_id", "mail_log_id"),
}


class NotRestorable(Exception):
    """The candidate is not a snapshot of this project that this code can bring back; nothing was changed."""


@dataclass(frozen=True)
class Restored:
    snapshot: snapshots.Snapshot  # the newest snapshot, holding the restored data
    uploads_carried: int
    packs_carried: int
    store_unreadable: str  # why the old store could not be read (nothing was carried forward), or ''


def restoring_path(store: Path) -> Path:
    return Path(store).with_name(Path(store).name + ".restoring")


def restore(store: Path, chosen: snapshots.Snapshot, now: dt.datetime | None = None) -> Restored:
    """Make the store what it was in `chosen`, with the audit and the issued packs made since carried forward,
    and publish it as the newest snapshot (the history in between is kept, so a restore can be undone). The
    caller holds the writer's turn. Raises NotRestorable, before anything changes, for a candidate that is not
    a snapshot of this project; writing.NotPublished when the restored store could not be published."""
    store, staging = Path(store), restoring_path(store)
    _copy_candidate(store, chosen.path, staging)
    try:
        carried, unreadable = _prepare(staging, store, chosen, now or dt.datetime.now(dt.UTC))
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    published = writing.put_in_place(staging, store)
    return Restored(published, carried.get("upload", 0), carried.get("issued_pack", 0), unreadable)


def _copy_candidate(store: Path, candidate: Path, staging: Path) -> None:
    reading = snapshots.open_snapshot(store, candidate)
    if reading is None:
        raise NotRestorable(
            f"{candidate} is not a snapshot: it is a symbolic link, not a regular file, a second "
            "link to a file, or not a DuckDB database. Nothing was changed."
        )
    with reading:
        snapshots.copy_durably(reading, staging)


def _prepare(staging: Path, store: Path, chosen: snapshots.Snapshot, now: dt.datetime) -> tuple[dict[str, int], str]:
    """Check the copy is ours, migrate it, and carry forward what the store has gained since; returns how many
    rows of each kind were carried, and why the store could not be read ('' when it could)."""
    try:
        con = connect(staging)
    except duckdb.Error as failure:
        raise NotRestorable(
            f"{chosen.path} does not open as a DuckDB database ({failure}). Nothing was changed."
        ) from failure
    try:
        kind = _checked_and_migrated(con, chosen)
        newest = _newest_keys(con)
        since, unreadable = _gained_since(store, newest, kind)
        with transaction(con) as cursor:
            reference.refresh_owned_reference(cursor)
            carried = _carry_forward(cursor, since)
            cursor.execute(
                "update upload set message = coalesce(message || '; ', '') || $undone "
                "where id > $newest and status = 'committed'",
                {
                    "undone": f"its values were undone by the restore of {chosen.label} on "
                    f"{now.astimezone(LONDON):%d %b %Y %H:%M}",
                    "newest": newest["upload"],
                },
            )
            _sequence_beyond(cursor, "issued_pack_id", since.get("newest_pack", 0))
            _keep_whole(cursor, since)
            _data_version_beyond(cursor, since.get("data_version", 0))
        con.execute("checkpoint")
    finally:
        con.close()
    return carried, unreadable


def _checked_and_migrated(con: duckdb.DuckDBPyConnection, chosen: snapshots.Snapshot) -> str:
    """The kind of database the candidate records, once it is at this code's schema."""
    try:
        version, kind = schema_version(con), database_kind(con)
    except (duckdb.Error, ValueError) as failure:
        raise NotRestorable(
            f"{chosen.path} is not a database of this dashboard ({failure}). Nothing was changed."
        ) from failure
    if version == 0 or kind is None:
        raise NotRestorable(
            f"{chosen.path} is not a database of this dashboard: it records no schema version or "
            "kind. Nothing was changed."
        )
    try:
        ensure_schema(con)
    except RuntimeError as failure:
        raise NotRestorable(f"{failure} Nothing was changed.") from failure
    _check_complete(con, chosen)
    return str(kind)


_CATALOGUE = (
    "select t.table_name, t.table_type, c.column_name from information_schema.tables t "
    "join information_schema.columns c on c.table_catalog = t.table_catalog "
    "and c.table_schema = t.table_schema and c.table_name = t.table_name "
    "where t.table_catalog = current_database() and t.table_schema = 'main'"
)


def _catalogue(con: duckdb.DuckDBPyConnection) -> set[tuple[str, str, str]]:
    """Every table and view of the database, with its kind and each of its columns."""
    return set(con.execute(_CATALOGUE).fetchall())


@functools.cache
def _fresh_catalogue() -> frozenset[tuple[str, str, str]]:
    """What this code's schema defines: the catalogue of a store created afresh (in memory)."""
    con = duckdb.connect(config=dict(OFFLINE_CONFIG))
    try:
        ensure_schema(con)
        return frozenset(_catalogue(con))
    finally:
        con.close()


def _check_complete(con: duckdb.DuckDBPyConnection, chosen: snapshots.Snapshot) -> None:
    """A migrated candidate holds every table and view, and every column, this code's schema defines: its
    `meta` may claim a version whose tables are not all there (refused ingests would then fail)."""
    held = _catalogue(con)
    tables = {table for table, _, _ in held}
    missing = sorted(
        {table if table not in tables else f"{table}.{column}" for table, kind, column in _fresh_catalogue() - held}
    )
    if missing:
        shown = ", ".join(missing[:SHOWN_AT_MOST]) + (
            f" and {len(missing) - SHOWN_AT_MOST} more" if len(missing) > SHOWN_AT_MOST else ""
        )
        raise NotRestorable(
            f"{chosen.path} is not a whole database of this dashboard: it lacks {shown}, which "
            "its schema version should hold. Nothing was changed."
        )


def _newest_keys(con: duckdb.DuckDBPyConnection) -> dict:
    """The candidate's newest upload and the packs it holds."""
    return {
        "upload": int(single(con.execute("select coalesce(max(id), 0) from upload").fetchone())[0]),
        "packs": [row[0] for row in con.execute("select pack_id from issued_pack").fetchall()],
    }


def _gained_since(store: Path, newest: dict, kind: str) -> tuple[dict, str]:
    """The store's rows the candidate lacks (CARRIED), its newest pack and its data version;
    ({}, why) when the store cannot be read (missing or damaged: nothing can be carried, and the restore is
    what mends it)."""
    if not store.exists():
        return {}, f"there is no store at {store}"
    try:
        con = connect(store)
    except duckdb.IOException as failure:
        if "lock" in str(failure).lower():
            raise  # held by a program other than the taskforce's tools
        return {}, str(failure).splitlines()[0]
    try:
        if str(database_kind(con)) != kind:
            raise NotRestorable(
                f"The snapshot is a {kind} database and the store at {store} is not: a restore "
                "never mixes demo and live data. Nothing was changed."
            )
        gained: dict = {
            table: con.sql(f"select * from {table} where {where}", params={name: newest[name]}).to_arrow_table()
            for table, (where, name) in CARRIED.items()
        }  # names from the fixed lists above
        gained |= {f"whole:{table}": con.sql(f"select * from {table}").to_arrow_table() for table in KEPT_WHOLE}
        gained["newest_pack"] = int(
            single(con.execute("select coalesce(max(pack_id), 0) from issued_pack").fetchone())[0]
        )
        gained["data_version"] = int(
            single(
                con.execute(
                    "select coalesce(max(cast(value as bigint)), 0) from meta where key = 'data_version'"
                ).fetchone()
            )[0]
        )
    finally:
        con.close()
    return gained, ""


def _carry_forward(cursor: duckdb.DuckDBPyConnection, since: dict) -> dict[str, int]:
    carried = {}
    for table in CARRIED:
        rows = since.get(table)
        carried[table] = 0 if rows is None else rows.num_rows
        if carried[table]:
            cursor.register("carried", rows)
            if table in _REPLACED:
                cursor.execute(f"delete from {table} where {_REPLACED[table]}")  # from the fixed list above
            cursor.execute(f"insert into {table} by name select * from carried")  # table from CARRIED
            cursor.unregister("carried")
    return carried


def _keep_whole(cursor: duckdb.DuckDBPyConnection, since: dict) -> None:
    """The store's actions and mail log replace the candidate's (nothing when the store could not be read)."""
    for table, (key, sequence) in KEPT_WHOLE.items():  # names from the fixed list above
        rows = since.get(f"whole:{table}")
        if rows is None:
            continue
        cursor.execute(f"delete from {table}")
        if rows.num_rows:
            cursor.register("kept", rows)
            cursor.execute(f"insert into {table} by name select * from kept")
            cursor.unregister("kept")
            newest = single(cursor.execute(f"select coalesce(max({key}), 0) from {table}").fetchone())[0]
            _sequence_beyond(cursor, sequence, int(newest))


def _sequence_beyond(cursor: duckdb.DuckDBPyConnection, sequence: str, value: int) -> None:
    """Move a sequence on until its next value is past `value` (DuckDB has no setval)."""
    while value and int(single(cursor.execute(f"select nextval('{sequence}')").fetchone())[0]) < value:
        continue  # the sequence name is a constant of this module


def _data_version_beyond(cursor: duckdb.DuckDBPyConnection, store_version: int) -> None:
    """The data version only ever goes up, across a restore too."""
    cursor.execute(
        "update meta set value = cast(greatest(cast(value as bigint), $store) + 1 as varchar) "
        "where key = 'data_version'",
        {"store": store_version},
    )
