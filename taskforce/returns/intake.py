"""Loading weekly returns: validate every cell (collecting every problem), preview what would change, then
commit everything in one transaction or nothing. The dashboard's upload page and `python -m taskforce ingest`
run this same code: `load` takes a file from its bytes to an outcome, through the checks
(`returns/validation.py`), the audit trail of uploads (`returns/recording.py`) and the store and the raw files
kept (`returns/storage.py`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from taskforce.measures.vocabulary import UploadOutcome
from taskforce.returns.files import Problem
from taskforce.returns.recording import already_loaded, record_rejection
from taskforce.returns.storage import commit, keep_raw_file
from taskforce.returns.validation import Validated, validate
from taskforce.store import keys


@dataclass(frozen=True)
class Outcome:
    status: UploadOutcome
    upload_id: int | None
    message: str


def load(
    con: duckdb.DuckDBPyConnection,
    file_name: str,
    raw: bytes,
    uploaded_by: str,
    now: dt.datetime,
    confirm_warnings: bool = False,
) -> tuple[Outcome, Validated]:
    """Validate and, if sound, commit one file; a refused file is recorded in the audit tables only. Whatever
    goes wrong, the attempt is recorded and the outcome says what to do: nothing escapes as an exception."""
    checked = validate(con, file_name, raw, now.date())
    previous = already_loaded(con, checked.sha256)
    if previous is not None:
        return Outcome(
            UploadOutcome.ALREADY_LOADED,
            previous,
            f"This file was already loaded (upload {previous}); nothing was changed.",
        ), checked
    keep_raw_file(raw, checked.sha256, file_name)
    if checked.errors:
        upload_id = record_rejection(con, checked, uploaded_by, now)
        return Outcome(
            UploadOutcome.REJECTED, upload_id, f"Refused: {len(checked.errors)} problem(s); nothing was loaded."
        ), checked
    if checked.warnings and not confirm_warnings:
        return Outcome(
            UploadOutcome.NEEDS_CONFIRMATION, None, f"{len(checked.warnings)} value(s) need confirming before loading."
        ), checked
    try:
        upload_id = commit(con, checked, uploaded_by, now)
    except keys.RepeatedKey as repeated:  # validation refuses these first; the writer holds the rule too
        problem = (
            f"The same organisation, week and measure is in the file twice ({repeated.key[1]}, "
            f"{repeated.key[0]}, {repeated.key[2]}); nothing was loaded."
        )
        return _refused(
            con, checked, problem, "Refused: a value is in the file twice; nothing was loaded.", uploaded_by, now
        )
    except duckdb.Error as error:  # for example another write that could not be taken in turn
        problem = (
            f"The database could not take this load just now ({type(error).__name__}); nothing was loaded. "
            "Try again in a minute."
        )
        return _refused(
            con,
            checked,
            problem,
            "Not loaded: the database could not take it just now; nothing was written. Try again in a minute.",
            uploaded_by,
            now,
        )
    loaded = f"Loaded {len(checked.rows):,} values (upload {upload_id})."
    return Outcome(UploadOutcome.COMMITTED, upload_id, loaded), checked


def _refused(
    con: duckdb.DuckDBPyConnection, checked: Validated, problem: str, message: str, uploaded_by: str, now: dt.datetime
) -> tuple[Outcome, Validated]:
    """A file that passed validation but that the writer could not take: recorded as refused, with why."""
    failed = Validated(
        checked.file_name, checked.sha256, checked.size_bytes, checked.rows, [Problem(None, None, None, problem)]
    )
    return Outcome(UploadOutcome.REJECTED, record_rejection(con, failed, uploaded_by, now), message), failed
