"""Reading a weekly return file into cells, whatever its shape: the long CSV, or the wide sheet forces fill
in (CSV or Excel). Every cell keeps its spreadsheet row number and column name, so a problem can say where."""

from __future__ import annotations

import csv
import io
import re
import time
import zipfile
from dataclasses import dataclass, field

from openpyxl import load_workbook

from taskforce.core.config import INTAKE
from taskforce.core.spreadsheet import looks_like_formula
from taskforce.measures.vocabulary import Severity

LONG_COLUMNS = ["week_ending", "org_code", "measure_code", "value"]
KEY_COLUMNS = ["week_ending", "org_code"]


@dataclass(frozen=True)
class Problem:
    row: int | None  # as a spreadsheet shows it: the header is row 1
    column: str | None
    value: str | None
    message: str
    severity: Severity = Severity.ERROR


@dataclass
class Cell:
    row: int
    week_ending: str
    org_code: str
    measure_code: str
    value: str
    value_column: str  # the column the value came from (value, or the measure's column in a wide sheet)


@dataclass
class ReadFile:
    cells: list[Cell] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    shape: str = ""  # long | wide


def normalise_header(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 (with or without a byte-order mark) or Windows-1252; anything else is refused."""
    if b"\x00" in raw[:4096]:
        return None, Problem(
            None,
            None,
            None,
            "The file is not text in UTF-8 or Windows-1252 (it looks like UTF-16 "
            "or a binary file). Save it as 'CSV UTF-8' and load it again.",
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding), None
        except UnicodeDecodeError:
            continue
    return None, Problem(
        None,
        None,
        None,
        "The file's encoding is neither UTF-8 nor Windows-1252. Save it as 'CSV UTF-8' and load it again.",
    )


class Unreadable(ValueError):
    """The file cannot be read within the limits, or is not what its name says; the message says why."""


def _csv_rows(text: str, deadline: float) -> list[list[str]]:
    # A comma-separated file read as text; no sniffing, which guesses wrong on small files.
    rows = []
    try:
        for row in csv.reader(io.StringIO(text)):
            _check_size(rows, row, deadline)
            rows.append(row)
    except csv.Error as error:
        raise Unreadable(f"Row {len(rows) + 1} is not well-formed CSV ({error}).") from None
    return rows


def _check_size(rows: list, row: list, deadline: float) -> None:
    """Stop reading a file past the limits, whatever it declares about itself."""
    if len(rows) >= INTAKE.maximum_rows:
        raise Unreadable(
            f"The file has more than {INTAKE.maximum_rows:,} rows; a weekly return has far fewer. Split it."
        )
    if len(row) > INTAKE.maximum_columns:
        raise Unreadable(
            f"Row {len(rows) + 1} has more than {INTAKE.maximum_columns} columns; a return has at most "
            f"{INTAKE.maximum_columns}."
        )
    if time.monotonic() > deadline:
        raise Unreadable(f"The file took more than {INTAKE.maximum_seconds} seconds to read; it is not a plain return.")


def _xlsx_rows(raw: bytes, deadline: float) -> tuple[list[list[str]], list[Problem]]:
    """The first sheet's cells as text; formulas are refused (a return holds values, and a formula can carry
    a payload). The workbook is checked before it is opened (its unpacked size), the sheet is read with its
    declared size ignored (a tiny file can declare 16,384 columns by a million rows), and XML is parsed by
    defusedxml (no entity expansion, no external entities)."""
    _check_unpacked_size(raw)
    rows, problems = [], []
    header: list[str] = []
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # type: ignore[union-attr]  # read-only sheets: iterate what is there
        cells = sheet.iter_rows(max_col=INTAKE.maximum_columns + 1, max_row=INTAKE.maximum_rows + 1, values_only=True)
        for number, values in enumerate(cells, start=1):
            texts = [_cell_text(value, number, index, header, problems) for index, value in enumerate(values)]
            while texts and texts[-1] == "":
                texts.pop()
            _check_size(rows, texts, deadline)
            if number == 1:
                header = texts
            rows.append(texts)
        workbook.close()
    except Unreadable:
        raise
    except Exception:  # openpyxl and the XML parser raise many kinds for a damaged or hostile file
        raise Unreadable(
            "The workbook is damaged or not a plain .xlsx: save it again from Excel as an .xlsx "
            "workbook, or send the return as CSV."
        ) from None
    return rows, problems


def _check_unpacked_size(raw: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        raise Unreadable("The file is not an .xlsx workbook (it is not a zip archive).") from None
    if unpacked > INTAKE.maximum_unpacked_bytes:
        raise Unreadable(
            f"The workbook unpacks to {unpacked / 1024 / 1024:,.0f} MB; the largest accepted is "
            f"{INTAKE.maximum_unpacked_bytes // 1024 // 1024} MB."
        )


def _cell_text(value, row: int, index: int, header: list[str], problems: list[Problem]) -> str:
    if isinstance(value, str) and looks_like_formula(value):
        column = header[index] if index < len(header) else f"column {index + 1}"
        problems.append(Problem(row, column, value, "This cell holds a formula; enter the value itself."))
        return ""
    if value is None:
        return ""
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)


def read_return_file(file_name: str, raw: bytes, reported_measures: list[str]) -> ReadFile:
    """Cells from a long or wide return (CSV or .xlsx). Problems here stop validation: the file cannot be read."""
    result = ReadFile()
    if not raw.strip():
        result.problems.append(Problem(None, None, None, "The file is empty."))
        return result
    if len(raw) > INTAKE.maximum_bytes:
        result.problems.append(
            Problem(
                None,
                None,
                None,
                f"The file is {len(raw) / 1024 / 1024:.1f} MB; the largest "
                f"accepted is {INTAKE.maximum_bytes // 1024 // 1024} MB.",
            )
        )
        return result
    deadline = time.monotonic() + INTAKE.maximum_seconds
    try:
        if file_name.lower().endswith(".xlsx"):
            rows, problems = _xlsx_rows(raw, deadline)
            result.problems += problems
        elif file_name.lower().endswith(".csv"):
            text, problem = decode(raw)
            if problem or text is None:
                result.problems.append(problem or Problem(None, None, None, "The file cannot be read as text."))
                return result
            rows = _csv_rows(text, deadline)
        else:
            result.problems.append(Problem(None, None, file_name, "Only .csv and .xlsx files are accepted."))
            return result
    except Unreadable as reason:
        result.problems.append(Problem(None, None, None, str(reason)))
        return result
    numbered = [(number, row) for number, row in enumerate(rows, start=1) if any(cell.strip() for cell in row)]
    if len(numbered) < 2:
        result.problems.append(
            Problem(None, None, None, "The file has a header but no data rows." if numbered else "The file is empty.")
        )
        return result
    _cells_from_rows(numbered, reported_measures, result)
    return result


def _cells_from_rows(rows: list[tuple[int, list[str]]], reported_measures: list[str], result: ReadFile) -> None:
    """Cells from the numbered rows (the header first). A header that names a column twice, or a row with more
    cells than the header, is refused: either would load a value from the wrong place."""
    header = [normalise_header(name) for name in rows[0][1]]
    result.problems += _repeated_columns(header) + _ragged_rows(rows, len(header))
    if result.problems:
        return
    if set(LONG_COLUMNS) <= set(header):
        result.shape = "long"
        week, org, code, value = (header.index(name) for name in LONG_COLUMNS)
        result.cells = [
            Cell(number, _at(row, week), _at(row, org), _at(row, code), _at(row, value), "value")
            for number, row in rows[1:]
        ]
        return
    missing = [name for name in KEY_COLUMNS if name not in header]
    measure_columns = [name for name in header if name in reported_measures]
    if missing or not measure_columns:
        wanted = ", ".join(missing) if missing else "at least one measure column (for example oic_arrests)"
        result.problems.append(
            Problem(
                1,
                None,
                ",".join(rows[0][1]),
                f"Required columns missing: {wanted}. A return has either the columns "
                f"{', '.join(LONG_COLUMNS)}, or week_ending, org_code and one column per "
                "measure.",
            )
        )
        return
    result.shape = "wide"
    unknown = [name for name in header if name and name not in KEY_COLUMNS + reported_measures]
    for name in unknown:
        result.problems.append(Problem(1, name, name, f"Unknown column {name!r}: not a measure code."))
    for number, row in rows[1:]:
        values = dict(zip(header, [value.strip() for value in row], strict=False))
        for name in measure_columns:
            if values.get(name, "") != "":
                result.cells.append(
                    Cell(number, values.get("week_ending", ""), values.get("org_code", ""), name, values[name], name)
                )


def _at(row: list[str], index: int) -> str:
    """The cell at `index`, stripped; a short row's missing cell is empty."""
    return row[index].strip() if index < len(row) else ""


def _repeated_columns(header: list[str]) -> list[Problem]:
    problems, first_seen = [], {}
    for position, name in enumerate(header, start=1):
        if not name:
            continue
        if name in first_seen:
            problems.append(
                Problem(
                    1,
                    name,
                    name,
                    f"The column {name!r} appears twice (columns {first_seen[name]} and {position}): keep one.",
                )
            )
        first_seen.setdefault(name, position)
    return problems


def _ragged_rows(rows: list[tuple[int, list[str]]], width: int) -> list[Problem]:
    return [
        Problem(
            number,
            None,
            ",".join(row),
            f"This row has {len(_trimmed(row))} cells but the header has "
            f"{width}. A number written with a comma (1,250) must be in quotes, "
            "or written without the comma.",
        )
        for number, row in rows[1:]
        if len(_trimmed(row)) > width
    ]


def _trimmed(row: list[str]) -> list[str]:
    """The row without empty cells at its end (a spreadsheet often saves a few)."""
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    return row[:end]
