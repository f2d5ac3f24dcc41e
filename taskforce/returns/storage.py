"""Storing a sound return: its values made live in one transaction (earlier values moved to the history, the
rollups refreshed, the data version bumped), and the raw file kept as received, named by its SHA-256."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from taskforce.core import private
from taskforce.core.config import uploads_folder
from taskforce.core.db import bump_data_version, transaction
from taskforce.measures.vocabulary import UploadOutcome
from taskforce.returns.recording import insert_upload, next_upload_id
from taskforce.returns.validation import Validated
from taskforce.store import keys, rollups


def keep_raw_file(raw: bytes, sha256: str, file_name: str) -> Path:
    """The file as received, named by its SHA-256, so any load can be traced to its bytes."""
    path = private.folder(uploads_folder()) / f"{sha256}{Path(file_name).suffix.lower()}"
    if not path.exists():
        private.write_bytes(path, raw)
    return path


def commit(con: duckdb.DuckDBPyConnection, checked: Validated, uploaded_by: str, now: dt.datetime) -> int:
    """Everything in one transaction: the upload record, earlier values moved to history, the new values
    made live, and the data version bumped. If anything fails, or the process dies, nothing is written; a
    key repeated in the rows (keys.RepeatedKey) is refused before anything is."""
    with transaction(con) as cursor:
        cursor.register("incoming", checked.rows)
        keys.refuse_repeated(cursor, "incoming", "weekly_return")  # before anything is written
        upload_id = next_upload_id(cursor)
        insert_upload(
            cursor, upload_id, checked, uploaded_by, now, UploadOutcome.COMMITTED, len(checked.rows), 0, "Loaded"
        )
        cursor.execute(
            """
            insert into weekly_return_history
            select r.week_ending, r.org_code, r.measure_code, r.value, r.upload_id, $upload_id, $now
            from weekly_return r join incoming i using (week_ending, org_code, measure_code)""",
            {"upload_id": upload_id, "now": now},
        )
        cursor.execute("""
            delete from weekly_return r using incoming i
            where r.week_ending = i.week_ending and r.org_code = i.org_code and r.measure_code = i.measure_code""")
        cursor.execute(
            """insert into weekly_return select week_ending, org_code, measure_code, value, $upload_id
                          from incoming""",
            {"upload_id": upload_id},
        )
        cursor.unregister("incoming")
        rollups.refresh(cursor, rollups.touched_keys(cursor, checked.rows["week_ending"], checked.rows["org_code"]))
        bump_data_version(cursor)
    return upload_id
