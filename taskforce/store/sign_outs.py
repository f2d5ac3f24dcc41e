"""Sign-outs recorded on the server: a sign-in (the ID token's subject and issue time) that has been signed out
is refused from then on, even if its cookie is presented again."""
from __future__ import annotations

import datetime as dt

import duckdb

from taskforce.core.db import transaction


def record_sign_out(con: duckdb.DuckDBPyConnection, subject: str, issued_at: int, at: dt.datetime) -> None:
    with transaction(con) as cursor:
        cursor.execute("insert or ignore into signed_out values ($subject, $issued_at, $at)",
                       {"subject": subject, "issued_at": int(issued_at), "at": at})


def is_signed_out(con: duckdb.DuckDBPyConnection, subject: str, issued_at: int) -> bool:
    """Read afresh on every page run (not cached): a sign-out must take effect at once."""
    cursor = con.cursor()
    try:
        row = cursor.execute("select count(*) from signed_out where subject = $subject and issued_at = $issued_at",
                             {"subject": subject, "issued_at": int(issued_at)}).fetchone()
    finally:
        cursor.close()
    return bool(row and row[0])
