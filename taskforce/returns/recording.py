"""The audit trail of uploads: every attempt gets an upload row (committed or rejected, with who, when, the
file's name, size and SHA-256), a refused file its problems with row and column, and a file already loaded is
recognised by its SHA-256 while its values are in the store."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from taskforce.core.db import transaction
from taskforce.measures.vocabulary import UploadOutcome
from taskforce.returns.validation import Validated


def already_loaded(con: duckdb.DuckDBPyConnection, sha256: str) -> int | None:
    """The upload that loaded this same file, while its values are in the store (live or superseded): a
    restore to before it undoes them, and the file may then be loaded again."""
    cursor = con.cursor()
    try:
        for (upload_id,) in cursor.execute(
            "select id from upload where sha256 = $sha and status = 'committed' order by id", {"sha": sha256}
        ).fetchall():
            if cursor.execute(
                "select exists (select 1 from weekly_return where upload_id = $id) or exists "
                "(select 1 from weekly_return_history where upload_id = $id)",
                {"id": upload_id},
            ).fetchone() == (True,):
                return int(upload_id)
    finally:
        cursor.close()
    return None


def next_upload_id(cursor) -> int:
    return int(cursor.execute("select coalesce(max(id), 0) + 1 from upload").fetchone()[0])


def record_rejection(con: duckdb.DuckDBPyConnection, checked: Validated, uploaded_by: str, now: dt.datetime) -> int:
    """A refused file in the audit tables: its upload row and every problem listed, in one transaction."""
    with transaction(con) as cursor:
        upload_id = next_upload_id(cursor)
        insert_upload(
            cursor,
            upload_id,
            checked,
            uploaded_by,
            now,
            UploadOutcome.REJECTED,
            0,
            len(checked.errors),
            f"{len(checked.errors)} problem(s)",
        )
        problems = pd.DataFrame(
            [
                {
                    "upload_id": upload_id,
                    "row_number": p.row,
                    "column_name": p.column,
                    "value": p.value,
                    "message": p.message,
                }
                for p in checked.problems
            ]
        )
        cursor.register("problems", problems)
        cursor.execute(
            "insert into upload_error select upload_id, row_number, column_name, value, message from problems"
        )
    return upload_id


def insert_upload(cursor, upload_id, checked, uploaded_by, now, status, accepted, rejected, message) -> None:
    """One upload row, inside the caller's transaction."""
    cursor.execute(
        "insert into upload values ($id, $file, $sha, $size, $at, $by, $status, $accepted, $rejected, $message, false)",
        {
            "id": upload_id,
            "file": checked.file_name[:255],
            "sha": checked.sha256,
            "size": checked.size_bytes,
            "at": now,
            "by": uploaded_by,
            "status": status,
            "accepted": accepted,
            "rejected": rejected,
            "message": message,
        },
    )
