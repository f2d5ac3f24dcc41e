"""The official wording of the recommendations, loaded by an administrator over the illustrative text."""

from __future__ import annotations

import csv
import datetime as dt
import io

import duckdb

from taskforce.core.db import bump_data_version, transaction

OFFICIAL_COLUMNS = ["number", "title", "text", "addressed_to", "owner", "due_date"]
MAXIMUM_TITLE = 120


def wording_problems(content: str) -> tuple[list[str], list[dict]]:
    """Check a CSV of the 10 recommendations' official wording; (problems, rows) with row numbers as a
    spreadsheet shows them (the header is row 1)."""
    reader = csv.DictReader(io.StringIO(content))
    if reader.fieldnames is None:
        return ["The file is empty."], []
    header = [name.strip() for name in reader.fieldnames]
    if header != OFFICIAL_COLUMNS:
        return [f"Row 1: the header must be {','.join(OFFICIAL_COLUMNS)}; it is {','.join(header)}."], []
    problems, rows, seen = [], [], set()
    for row_number, raw in enumerate(reader, start=2):
        row = {key.strip(): (value or "").strip() for key, value in raw.items() if key is not None}
        problems += _wording_row_problems(row_number, row, seen)
        rows.append(row)
    missing = sorted(set(range(1, 11)) - seen)
    if missing:
        problems.append(f"Recommendations missing from the file: {', '.join(map(str, missing))}.")
    return problems, rows


def _wording_row_problems(row_number: int, row: dict, seen: set[int]) -> list[str]:
    problems = []
    number = row.get("number", "")
    if not number.isdigit() or not 1 <= int(number) <= 10:
        problems.append(f"Row {row_number}, number: {number!r} is not a recommendation number from 1 to 10.")
    elif int(number) in seen:
        problems.append(f"Row {row_number}, number: recommendation {number} appears twice.")
    else:
        seen.add(int(number))
    for column in ("title", "text", "addressed_to", "owner"):
        if not row.get(column):
            problems.append(f"Row {row_number}, {column}: empty.")
    if len(row.get("title", "")) > MAXIMUM_TITLE:
        problems.append(f"Row {row_number}, title: longer than {MAXIMUM_TITLE} characters.")
    try:
        dt.date.fromisoformat(row.get("due_date", ""))
    except ValueError:
        problems.append(f"Row {row_number}, due_date: {row.get('due_date')!r} is not a date as YYYY-MM-DD.")
    return problems


def load_official_wording(con: duckdb.DuckDBPyConnection, content: str) -> list[str]:
    """Replace the recommendations' wording and metadata in one transaction, keeping every status report.
    Returns the problems; nothing is written unless there are none."""
    problems, rows = wording_problems(content)
    if problems:
        return problems
    with transaction(con) as cursor:
        for row in rows:
            cursor.execute(
                """update recommendation set short_title = $title, text = $text, addressed_to = $addressed_to,
                          owner = $owner, due_date = $due_date, illustrative = false
                   where number = $number""",
                {
                    "title": row["title"],
                    "text": row["text"],
                    "addressed_to": row["addressed_to"],
                    "owner": row["owner"],
                    "due_date": dt.date.fromisoformat(row["due_date"]),
                    "number": int(row["number"]),
                },
            )
        bump_data_version(cursor)
    return []
