"""Loading weekly returns: validate every cell (collecting every problem), preview what would change, then
commit everything in one transaction or nothing. The dashboard's upload page and `python -m taskforce ingest`
run this same code."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from taskforce.core import private
from taskforce.core.calendar import SERIES_START
from taskforce.core.config import uploads_folder
from taskforce.core.db import bump_data_version, transaction
from taskforce.core.kinds import MeasureKind
from taskforce.core.spreadsheet import looks_like_formula
from taskforce.measures.registry import measure, reported_codes
from taskforce.measures.vocabulary import Severity, UploadOutcome
from taskforce.returns.files import Problem, read_return_file
from taskforce.store import keys, rollups

MAXIMUM_PROBLEMS = 200  # listed, shown and kept in the audit log; the rest are counted
IMPLAUSIBLE_FACTOR = 3  # a value this many times the organisation's highest in 12 weeks (and 10 more) is queried


@dataclass
class Validated:
    file_name: str
    sha256: str
    size_bytes: int
    rows: pd.DataFrame  # week_ending, org_code, measure_code, value, row (valid cells only)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.WARNING]


def _suggest(text: str, choices: dict[str, str]) -> str:
    """' Did you mean kent (Kent Police)?' when a close match exists."""
    match = difflib.get_close_matches(text.lower(), list(choices), n=1, cutoff=0.6)
    return f" Did you mean {choices[match[0]]}?" if match else ""


def _org_lookup(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, str], dict[str, str]]:
    """Accepted spellings (code, name, short name; any case and spacing) to codes; and suggestions."""
    orgs = (
        con.cursor()
        .execute("""select code, name, short_name from org where expected_to_return
                                   union all select code, name, code from org_unit""")
        .fetchall()
    )
    accepted, suggestions = {}, {}
    for code, name, short in orgs:
        for spelling in (code, name, short):
            accepted[_plain(spelling)] = code
            suggestions[spelling.lower()] = f"{code} ({name})"
    return accepted, suggestions


def _plain(text: str) -> str:
    return re.sub(r"[\s_\-]+", "-", text.strip().lower())


def _parse_week(text: str) -> dt.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    return None


def _parse_value(text: str) -> float | None:
    """A finite number ("1,250", "£3,400" and "12.5" are numbers; "nan", "inf" and "1e999" are not)."""
    cleaned = text.replace(",", "").replace("£", "").strip()
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def validate(con: duckdb.DuckDBPyConnection, file_name: str, raw: bytes, today: dt.date) -> Validated:
    """Every problem in a file, each with its row, column and value, in words a force analyst understands. The
    preview and the commit both run this, so a file found sound is loaded by the same checks. A file that no
    check foresaw is refused with a plain problem, never an exception."""
    try:
        return _validate(con, file_name, raw, today)
    except Exception:
        return Validated(
            file_name,
            hashlib.sha256(raw).hexdigest(),
            len(raw),
            pd.DataFrame(),
            [
                Problem(
                    None,
                    None,
                    None,
                    "The file could not be checked: it is damaged or not a plain return. Save it again "
                    "as CSV or .xlsx from the template.",
                )
            ],
        )


def _validate(con: duckdb.DuckDBPyConnection, file_name: str, raw: bytes, today: dt.date) -> Validated:
    read = read_return_file(file_name, raw, reported_codes())
    result = Validated(file_name, hashlib.sha256(raw).hexdigest(), len(raw), pd.DataFrame(), list(read.problems))
    if not read.cells:
        return result
    known = _Known(con)
    first_week = series_start(con)
    seen: dict[tuple, int] = {}
    good = []
    for cell in read.cells:
        problems = _formula_problems(cell)
        if problems:
            result.problems += problems
            continue
        week, value = _parse_week(cell.week_ending), _parse_value(cell.value)
        org, code = known.orgs.get(_plain(cell.org_code)), known.measures.get(_plain(cell.measure_code))
        # A suggestion ("Did you mean ...?") costs a fuzzy match; past the problems that will be listed, none is
        # shown, so none is worked out (a junk file is refused in seconds, not minutes).
        problems += _week_problems(cell, week, today, first_week)
        problems += known.code_problems(cell, org, code, suggest=len(result.problems) < MAXIMUM_PROBLEMS)
        problems += _value_problems(cell, value, code)
        if not problems and (week, org, code) in seen:
            problems.append(
                Problem(
                    cell.row,
                    cell.value_column,
                    cell.value,
                    f"The same organisation, week and measure is already on row {seen[(week, org, code)]}.",
                )
            )
        seen.setdefault((week, org, code), cell.row)
        if problems:
            result.problems += problems
        else:
            good.append({"week_ending": week, "org_code": org, "measure_code": code, "value": value, "row": cell.row})
    result.rows = pd.DataFrame(good, columns=["week_ending", "org_code", "measure_code", "value", "row"])
    if not result.errors:
        result.problems += plausibility_warnings(con, result.rows)
    result.problems = bounded(result.problems)
    return result


class _Known:
    """The organisations and measures a return may name, in every accepted spelling, and suggestions."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.orgs, self.org_suggestions = _org_lookup(con)
        self.measures = {_plain(code): code for code in reported_codes()}
        self.measure_suggestions = {code: code for code in reported_codes()}

    def code_problems(self, cell, org: str | None, code: str | None, suggest: bool) -> list[Problem]:
        problems = []
        if org is None:
            hint = _suggest(cell.org_code, self.org_suggestions) if suggest else ""
            problems.append(
                Problem(cell.row, "org_code", cell.org_code, f"Unknown organisation {cell.org_code!r}." + hint)
            )
        if code is None:
            hint = _suggest(cell.measure_code, self.measure_suggestions) if suggest else ""
            problems.append(
                Problem(cell.row, "measure_code", cell.measure_code, f"Unknown measure {cell.measure_code!r}." + hint)
            )
        return problems


def _formula_problems(cell) -> list[Problem]:
    return [
        Problem(cell.row, column, text, "This cell looks like a spreadsheet formula; enter the value itself.")
        for column, text in (
            ("week_ending", cell.week_ending),
            ("org_code", cell.org_code),
            ("measure_code", cell.measure_code),
            (cell.value_column, cell.value),
        )
        if looks_like_formula(text)
    ]


def bounded(problems: list[Problem]) -> list[Problem]:
    """The first MAXIMUM_PROBLEMS problems and one more that counts the rest: a junk file's list stays readable
    and the audit tables stay small."""
    if len(problems) <= MAXIMUM_PROBLEMS:
        return problems
    rest = len(problems) - MAXIMUM_PROBLEMS
    errors = sum(p.severity == Severity.ERROR for p in problems[MAXIMUM_PROBLEMS:])
    return problems[:MAXIMUM_PROBLEMS] + [
        Problem(
            None,
            None,
            None,
            f"And {rest:,} more problems not listed "
            f"({errors:,} of them errors): fix those above and load the file "
            "again to see the rest.",
            Severity.ERROR if errors else Severity.WARNING,
        )
    ]


def series_start(con: duckdb.DuckDBPyConnection) -> dt.date:
    """The first week the series holds: January 2023, or earlier where a benchmark database's history is longer."""
    row = con.cursor().execute("select value from meta where key = 'series_start'").fetchone()
    return min(dt.date.fromisoformat(row[0]), SERIES_START) if row else SERIES_START


def _week_problems(cell, week: dt.date | None, today: dt.date, first_week: dt.date) -> list[Problem]:
    if week is None:
        return [
            Problem(
                cell.row,
                "week_ending",
                cell.week_ending,
                "Not a date: write the week ending as YYYY-MM-DD or DD/MM/YYYY.",
            )
        ]
    if week.weekday() != 6:
        return [
            Problem(
                cell.row, "week_ending", cell.week_ending, f"{week:%A %d/%m/%Y} is not a Sunday: weeks end on Sunday."
            )
        ]
    if week > today:
        return [Problem(cell.row, "week_ending", cell.week_ending, "This week has not ended yet.")]
    if week < first_week:
        return [
            Problem(
                cell.row,
                "week_ending",
                cell.week_ending,
                f"Before the series starts (week ending {first_week:%d/%m/%Y}).",
            )
        ]
    return []


def _value_problems(cell, value: float | None, code: str | None) -> list[Problem]:
    if cell.value == "":
        return [Problem(cell.row, cell.value_column, cell.value, "The value is empty: enter 0 for none.")]
    if value is None:
        return [Problem(cell.row, cell.value_column, cell.value, "Not a number.")]
    if value < 0:
        return [Problem(cell.row, cell.value_column, cell.value, "Negative: a count cannot be below 0.")]
    limit = measure(code).maximum if code else None
    if limit is not None and value > limit:
        return [
            Problem(
                cell.row,
                cell.value_column,
                cell.value,
                f"{value:,.0f} is more than one organisation can return for this measure in a week (at most "
                f"{limit:,.0f}): check the figure and its unit.",
            )
        ]
    if code and measure(code).kind == MeasureKind.COUNT and value != int(value):
        return [Problem(cell.row, cell.value_column, cell.value, "Not a whole number: this measure is a count.")]
    return []


def plausibility_warnings(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> list[Problem]:
    """Values that are possible but unlikely: far above the organisation's recent range, or more charges than
    arrests in a week. The analyst must confirm them; they are not errors."""
    if rows.empty:
        return []
    cursor = con.cursor()
    cursor.register("incoming", rows)
    recent = cursor.execute("""
        select i.row, i.org_code, i.measure_code, i.value, max(r.value) as recent_max
        from incoming i
        join weekly_return r on r.org_code = i.org_code and r.measure_code = i.measure_code
            and r.week_ending between i.week_ending - interval 84 day and i.week_ending - interval 7 day
        group by all""").df()
    cursor.close()
    warnings = [
        Problem(
            int(row.row),
            row.measure_code,
            f"{row.value:g}",
            f"{row.value:,.0f} is far above this organisation's highest in the previous 12 weeks "
            f"({row.recent_max:,.0f}). Check it before you confirm.",
            Severity.WARNING,
        )
        for row in recent.itertuples(index=False)
        if row.value > max(IMPLAUSIBLE_FACTOR * row.recent_max, row.recent_max + 10)
    ]
    wide = rows.pivot_table(index=["org_code", "week_ending"], columns="measure_code", values="value", aggfunc="sum")
    if {"oic_arrests", "oic_charges"} <= set(wide.columns):
        for (org, week), parts in wide.iterrows():
            if parts["oic_charges"] > parts["oic_arrests"] + 2:
                row = rows[
                    (rows["org_code"] == org) & (rows["week_ending"] == week) & (rows["measure_code"] == "oic_charges")
                ]["row"].iloc[0]
                warnings.append(
                    Problem(
                        int(row),
                        "oic_charges",
                        f"{parts['oic_charges']:g}",
                        f"{parts['oic_charges']:,.0f} charges against {parts['oic_arrests']:,.0f} "
                        f"arrests in the week: possible (charges can follow earlier arrests), but "
                        f"check it.",
                        Severity.WARNING,
                    )
                )
    return warnings


def preview(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> pd.DataFrame:
    """What committing would change: each value as new, replacing an earlier one (old against new), or the
    same as now."""
    cursor = con.cursor()
    cursor.register("incoming", rows)
    changes = cursor.execute("""
        select i.org_code, o.name as org_name, i.week_ending, i.measure_code, r.value as current_value,
               i.value as new_value,
               case when r.value is null then 'New' when r.value <> i.value then 'Replaces' else 'Unchanged' end
                   as change
        from incoming i
        join org o on o.code = i.org_code
        left join weekly_return r using (week_ending, org_code, measure_code)
        order by o.name, i.week_ending, i.measure_code""").df()
    cursor.close()
    return changes


@dataclass(frozen=True)
class Outcome:
    status: UploadOutcome
    upload_id: int | None
    message: str


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


def keep_raw_file(raw: bytes, sha256: str, file_name: str) -> Path:
    """The file as received, named by its SHA-256, so any load can be traced to its bytes."""
    path = private.folder(uploads_folder()) / f"{sha256}{Path(file_name).suffix.lower()}"
    if not path.exists():
        private.write_bytes(path, raw)
    return path


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


def _next_upload_id(cursor) -> int:
    return int(cursor.execute("select coalesce(max(id), 0) + 1 from upload").fetchone()[0])


def record_rejection(con: duckdb.DuckDBPyConnection, checked: Validated, uploaded_by: str, now: dt.datetime) -> int:
    with transaction(con) as cursor:
        upload_id = _next_upload_id(cursor)
        _insert_upload(
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


def _insert_upload(cursor, upload_id, checked, uploaded_by, now, status, accepted, rejected, message) -> None:
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


def commit(con: duckdb.DuckDBPyConnection, checked: Validated, uploaded_by: str, now: dt.datetime) -> int:
    """Everything in one transaction: the upload record, earlier values moved to history, the new values
    made live, and the data version bumped. If anything fails, or the process dies, nothing is written; a
    key repeated in the rows (keys.RepeatedKey) is refused before anything is."""
    with transaction(con) as cursor:
        cursor.register("incoming", checked.rows)
        keys.refuse_repeated(cursor, "incoming", "weekly_return")  # before anything is written
        upload_id = _next_upload_id(cursor)
        _insert_upload(
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
