"""Checking a weekly return: every problem in a file, each with its row, column and value, in words a force
analyst understands, and what loading it would change. The checks run on whole columns: each distinct text of a
column (a week, an organisation, a measure, a value with its measure) is parsed and judged once, by the one
function that says what is wrong with it, and only the cells with a problem are then gone through one by one,
in file order, for their messages; a file of 50,000 values with 52 weeks and 49 organisations parses 52 weeks
and 49 names, not 50,000 of each."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import math
import re
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import duckdb
import numpy as np
import pandas as pd

from taskforce.core.calendar import SERIES_START
from taskforce.core.config import INTAKE
from taskforce.core.kinds import MeasureKind
from taskforce.core.spreadsheet import looks_like_formula
from taskforce.measures.registry import measure, reported_codes
from taskforce.measures.vocabulary import Severity
from taskforce.returns.files import Cell, Problem, read_return_file

TEXT_COLUMNS = ("week_ending", "org_code", "measure_code")


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
    table = _Columns(read.cells, _Known(con), today, series_start(con))
    sound = table.sound()
    for position in (~sound).to_numpy().nonzero()[0]:
        result.problems += table.problems_of(int(position), suggest=len(result.problems) < INTAKE.maximum_problems)
    result.rows = table.rows(sound)
    if not result.errors:
        result.problems += plausibility_warnings(con, result.rows)
    result.problems = bounded(result.problems)
    return result


def _each_distinct(column: pd.Series, judge: Callable[[Hashable], object]) -> pd.Series:
    """`judge` of every cell of a column, worked out once for each distinct value; what it gives is kept as it
    is (a None stays None, never NaN)."""
    codes, distinct = pd.factorize(column, use_na_sentinel=False)
    judged = np.empty(len(distinct), dtype=object)
    for index, value in enumerate(distinct):
        judged[index] = judge(value)
    return pd.Series(judged[codes], index=column.index, dtype=object)


def _judging(value_text: str = "", value_column: str = "") -> Cell:
    """A cell standing for every cell with the same text, to judge whether a check finds a problem (its row and
    the other texts are not read by the checks, only written into their messages)."""
    return Cell(0, "", "", "", value_text, value_column)


class _Columns:
    """A file's cells as columns, each distinct text parsed and judged once: the week, organisation, measure
    and value of every cell, whether it holds a formula, and the first cell naming each week, organisation and
    measure (a later one repeats it)."""

    def __init__(self, cells: list[Cell], known: _Known, today: dt.date, first_week: dt.date) -> None:
        self.cells, self.known, self.today, self.first_week = cells, known, today, first_week
        # Plain Python objects, not Arrow strings: every column is gone through once in Python.
        self.text = pd.DataFrame(
            {
                "week_ending": pd.Series([c.week_ending for c in cells], dtype=object),
                "org_code": pd.Series([c.org_code for c in cells], dtype=object),
                "measure_code": pd.Series([c.measure_code for c in cells], dtype=object),
                "value": pd.Series([c.value for c in cells], dtype=object),
                "value_column": pd.Series([c.value_column for c in cells], dtype=object),
                "row": pd.Series([c.row for c in cells], dtype="int64"),
            }
        )
        text = self.text
        self.week = _each_distinct(text["week_ending"], _parse_week)
        self.org = _each_distinct(text["org_code"], lambda name: known.orgs.get(_plain(name)))
        self.code = _each_distinct(text["measure_code"], lambda name: known.measures.get(_plain(name)))
        self.value = _each_distinct(text["value"], _parse_value)
        self.formula = pd.Series(False, index=text.index)
        for column in (*TEXT_COLUMNS, "value"):
            self.formula |= _each_distinct(text[column], looks_like_formula).astype(bool)
        self.first_row = self._first_rows()

    def _first_rows(self) -> pd.Series:
        """For each cell without a formula, the row of the first such cell with its week, organisation and
        measure as parsed (an unknown one is None), in file order; a formula's cell keeps its own row."""
        first: dict[tuple, int] = {}
        keys = zip(self.week, self.org, self.code, strict=True)
        return pd.Series(
            [
                row if formula else first.setdefault(key, row)
                for key, row, formula in zip(keys, self.text["row"], self.formula, strict=True)
            ],
            index=self.text.index,
        )

    def sound(self) -> pd.Series:
        """True for each cell with no problem, judged on whole columns."""
        week_fine = _each_distinct(
            self.text["week_ending"],
            lambda text: not _week_problems(_judging(), _parse_week(text), self.today, self.first_week),
        )
        judged = pd.Series(
            list(zip(self.text["value"], self.code, self.text["value_column"], strict=True)),
            index=self.text.index,
            dtype=object,
        )
        value_fine = _each_distinct(
            judged, lambda key: not _value_problems(_judging(key[0], key[2]), _parse_value(key[0]), key[1])
        )
        return (
            ~self.formula
            & week_fine.astype(bool)
            & self.org.notna()
            & self.code.notna()
            & value_fine.astype(bool)
            & self.first_row.eq(self.text["row"])
        )

    def problems_of(self, position: int, suggest: bool) -> list[Problem]:
        """Every problem of one cell, in the order and words the checks give them."""
        cell = self.cells[position]
        formula = _formula_problems(cell)
        if formula:
            return formula
        week, value = self.week.iat[position], self.value.iat[position]
        org, code = self.org.iat[position], self.code.iat[position]
        problems = _week_problems(cell, week, self.today, self.first_week)
        problems += self.known.code_problems(cell, org, code, suggest=suggest)
        problems += _value_problems(cell, value, code)
        first = int(self.first_row.iat[position])
        if not problems and first != cell.row:
            problems.append(
                Problem(
                    cell.row,
                    cell.value_column,
                    cell.value,
                    f"The same organisation, week and measure is already on row {first}.",
                )
            )
        return problems

    def rows(self, sound: pd.Series) -> pd.DataFrame:
        """The sound cells as values to load: week_ending, org_code, measure_code, value, row."""
        return pd.DataFrame(
            {
                "week_ending": self.week[sound].tolist(),
                "org_code": self.org[sound].tolist(),
                "measure_code": self.code[sound].tolist(),
                "value": self.value[sound].astype(float).tolist(),
                "row": self.text["row"][sound].tolist(),
            },
            columns=["week_ending", "org_code", "measure_code", "value", "row"],
        )


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
    """The first INTAKE.maximum_problems problems and one more that counts the rest: a junk file's list stays readable
    and the audit tables stay small."""
    if len(problems) <= INTAKE.maximum_problems:
        return problems
    rest = len(problems) - INTAKE.maximum_problems
    errors = sum(p.severity == Severity.ERROR for p in problems[INTAKE.maximum_problems :])
    return problems[: INTAKE.maximum_problems] + [
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
    arrests in a week. The analyst must confirm them; they are not errors. Both are judged in SQL on the whole
    file; only the values queried come back."""
    if rows.empty:
        return []
    cursor = con.cursor()
    try:
        cursor.register("incoming", rows)
        recent = cursor.execute(
            """
            select i.row, i.measure_code, i.value, max(r.value) as recent_max
            from incoming i
            join weekly_return r on r.org_code = i.org_code and r.measure_code = i.measure_code
                and r.week_ending between i.week_ending - interval 84 day and i.week_ending - interval 7 day
            group by all
            having i.value > greatest($factor * max(r.value), max(r.value) + 10)
            order by i.row""",
            {"factor": INTAKE.implausible_factor},
        ).df()
        charges = cursor.execute("""
            select org_code, week_ending,
                   sum(value) filter (where measure_code = 'oic_charges') as charges,
                   sum(value) filter (where measure_code = 'oic_arrests') as arrests,
                   min(row) filter (where measure_code = 'oic_charges') as row
            from incoming
            group by org_code, week_ending
            having charges > arrests + 2
            order by org_code, week_ending""").df()
    finally:
        cursor.close()
    return [
        Problem(
            int(row.row),
            row.measure_code,
            f"{row.value:g}",
            f"{row.value:,.0f} is far above this organisation's highest in the previous 12 weeks "
            f"({row.recent_max:,.0f}). Check it before you confirm.",
            Severity.WARNING,
        )
        for row in recent.itertuples(index=False)
    ] + [
        Problem(
            int(row.row),
            "oic_charges",
            f"{row.charges:g}",
            f"{row.charges:,.0f} charges against {row.arrests:,.0f} arrests in the week: possible (charges can "
            "follow earlier arrests), but check it.",
            Severity.WARNING,
        )
        for row in charges.itertuples(index=False)
    ]


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
