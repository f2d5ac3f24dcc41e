"""Reading a weekly return file into cells, whatever its shape: the long CSV, or the wide sheet forces fill
in (CSV or Excel). Every cell keeps its spreadsheet row number and column name, so a problem can say where."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from openpyxl import load_workbook

MAXIMUM_BYTES = 20 * 1024 * 1024  # the same limit as the server's upload limit (.streamlit/config.toml)
LONG_COLUMNS = ["week_ending", "org_code", "measure_code", "value"]
KEY_COLUMNS = ["week_ending", "org_code"]


@dataclass(frozen=True)
class Problem:
    row: int | None  # as a spreadsheet shows it: the header is row 1
    column: str | None
    value: str | None
    message: str
    severity: str = "error"  # error (refused) | warning (the analyst must confirm)


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
        return None, Problem(None, None, None, "The file is not text in UTF-8 or Windows-1252 (it looks like UTF-16 "
                                              "or a binary file). Save it as 'CSV UTF-8' and load it again.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding), None
        except UnicodeDecodeError:
            continue
    return None, Problem(None, None, None, "The file's encoding is neither UTF-8 nor Windows-1252. Save it as "
                                          "'CSV UTF-8' and load it again.")


def _csv_rows(text: str) -> list[list[str]]:
    # A comma-separated file read as text; no sniffing, which guesses wrong on small files.
    return [row for row in csv.reader(io.StringIO(text))]


def _xlsx_rows(raw: bytes) -> tuple[list[list[str]], list[Problem]]:
    """The first sheet's cells as text; formulas are refused (a return holds values, and a formula can carry
    a payload)."""
    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        return [], [Problem(None, None, None, "The file is not a readable Excel workbook (.xlsx).")]
    sheet = workbook.worksheets[0]
    rows, problems = [], []
    header: list[str] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        texts = []
        for index, value in enumerate(values):
            text = "" if value is None else (value.isoformat()[:10] if hasattr(value, "isoformat") else str(value))
            if isinstance(value, str) and value.startswith("="):
                column = header[index] if index < len(header) else f"column {index + 1}"
                problems.append(Problem(number, column, value, "This cell holds a formula; enter the value itself."))
                text = ""
            texts.append(text)
        if number == 1:
            header = texts
        rows.append(texts)
    workbook.close()
    return rows, problems


def read_return_file(file_name: str, raw: bytes, reported_measures: list[str]) -> ReadFile:
    """Cells from a long or wide return (CSV or .xlsx). Problems here stop validation: the file cannot be read."""
    result = ReadFile()
    if not raw.strip():
        result.problems.append(Problem(None, None, None, "The file is empty."))
        return result
    if len(raw) > MAXIMUM_BYTES:
        result.problems.append(Problem(None, None, None, f"The file is {len(raw) / 1024 / 1024:.1f} MB; the largest "
                                                         f"accepted is {MAXIMUM_BYTES // 1024 // 1024} MB."))
        return result
    if file_name.lower().endswith(".xlsx"):
        rows, problems = _xlsx_rows(raw)
        result.problems += problems
    elif file_name.lower().endswith(".csv"):
        text, problem = decode(raw)
        if problem:
            result.problems.append(problem)
            return result
        rows = _csv_rows(text)
    else:
        result.problems.append(Problem(None, None, file_name, "Only .csv and .xlsx files are accepted."))
        return result
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        result.problems.append(Problem(None, None, None, "The file has a header but no data rows." if rows
                                       else "The file is empty."))
        return result
    _cells_from_rows(rows, reported_measures, result)
    return result


def _cells_from_rows(rows: list[list[str]], reported_measures: list[str], result: ReadFile) -> None:
    header = [normalise_header(name) for name in rows[0]]
    if set(LONG_COLUMNS) <= set(header):
        result.shape = "long"
        index = {name: header.index(name) for name in LONG_COLUMNS}
        for number, row in enumerate(rows[1:], start=2):
            values = {name: row[index[name]].strip() if index[name] < len(row) else "" for name in LONG_COLUMNS}
            result.cells.append(Cell(number, values["week_ending"], values["org_code"], values["measure_code"],
                                     values["value"], "value"))
        return
    missing = [name for name in KEY_COLUMNS if name not in header]
    measure_columns = [name for name in header if name in reported_measures]
    if missing or not measure_columns:
        wanted = ", ".join(missing) if missing else "at least one measure column (for example oic_arrests)"
        result.problems.append(Problem(1, None, ",".join(rows[0]),
                                       f"Required columns missing: {wanted}. A return has either the columns "
                                       f"{', '.join(LONG_COLUMNS)}, or week_ending, org_code and one column per "
                                       "measure."))
        return
    result.shape = "wide"
    unknown = [name for name in header if name and name not in KEY_COLUMNS + reported_measures]
    for name in unknown:
        result.problems.append(Problem(1, name, name, f"Unknown column {name!r}: not a measure code."))
    for number, row in enumerate(rows[1:], start=2):
        values = dict(zip(header, [value.strip() for value in row], strict=False))
        for name in measure_columns:
            if values.get(name, "") != "":
                result.cells.append(
                    Cell(number, values.get("week_ending", ""), values.get("org_code", ""), name, values[name], name)
                )
