"""The checks of a return run on whole columns: each distinct text is judged once, and the cells with a problem
are then listed one by one in file order, in the words the cell-by-cell checks always gave (row and column)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from taskforce.core.config import INTAKE
from taskforce.returns import validation
from tests.conftest import LATEST_WEEK

TODAY = dt.date(2026, 11, 28)
WEEK = LATEST_WEEK.isoformat()
EARLIER = (LATEST_WEEK - dt.timedelta(weeks=1)).isoformat()


def _csv(*rows: str) -> bytes:
    return ("\n".join(["week_ending,org_code,measure_code,value", *rows]) + "\n").encode()


def _said(checked: validation.Validated) -> list[tuple]:
    return [(p.row, p.column, p.value, p.message) for p in checked.problems]


def test_each_distinct_week_and_value_is_parsed_once_whatever_the_rows(con, monkeypatch):
    """A backfill of thousands of rows names a few dozen weeks: they are parsed a few dozen times, not once a
    cell (the cell-by-cell checks parsed every cell; 66 times slower than DuckDB's typed reader at 50,700)."""
    parsed: list[str] = []
    parse_week = validation._parse_week

    def counting(text: str):
        parsed.append(text)
        return parse_week(text)

    monkeypatch.setattr(validation, "_parse_week", counting)
    rows = [f"{week},{org},oic_arrests,3" for week in (WEEK, EARLIER) for org in ("kent", "essex", "gwent", "surrey")]
    checked = validation.validate(con, "two_weeks.csv", _csv(*rows), TODAY)
    assert len(checked.rows) == 8 and not checked.errors
    assert len(parsed) <= 2 * 2  # each of the two weeks: parsed, and judged


def test_a_repeat_names_the_first_row_with_its_key_even_when_that_row_has_a_problem(con):
    """The first row naming a week, organisation and measure counts as seen even when its value is refused
    (as the cell-by-cell checks had it), and a formula's row is not counted as seen at all."""
    checked = validation.validate(
        con,
        "repeats.csv",
        _csv(
            f"{WEEK},kent,oic_arrests,=1+2",  # row 2: a formula, never seen
            f"{WEEK},kent,oic_arrests,-4",  # row 3: refused, but seen first
            f"{WEEK},kent,oic_arrests,5",  # row 4: a repeat of row 3
            f"{WEEK},essex,oic_arrests,2",  # row 5: sound
        ),
        TODAY,
    )
    assert _said(checked) == [
        (2, "value", "=1+2", "This cell looks like a spreadsheet formula; enter the value itself."),
        (3, "value", "-4", "Negative: a count cannot be below 0."),
        (4, "value", "5", "The same organisation, week and measure is already on row 3."),
    ]
    assert checked.rows["row"].tolist() == [5]


def test_every_problem_of_a_cell_is_listed_in_the_order_the_checks_give_them(con):
    checked = validation.validate(
        con, "mixed.csv", _csv("2026-11-21,kentt,oic_arest,1.5", f"{WEEK},kent,oic_arrests,"), TODAY
    )
    said = _said(checked)
    assert [(row, column) for row, column, _, _ in said] == [
        (2, "week_ending"),
        (2, "org_code"),
        (2, "measure_code"),
        (3, "value"),
    ]
    assert said[0][3] == "Saturday 21/11/2026 is not a Sunday: weeks end on Sunday."
    assert said[1][3].startswith("Unknown organisation 'kentt'. Did you mean kent")
    assert said[3][3] == "The value is empty: enter 0 for none."


def test_how_many_problems_are_listed_is_a_setting_of_the_intake(con, monkeypatch):
    """The intake's limits live in config (INTAKE): listing fewer problems is one setting."""
    monkeypatch.setattr(validation, "INTAKE", dataclasses.replace(INTAKE, maximum_problems=3))
    checked = validation.validate(
        con, "junk.csv", _csv(*[f"{WEEK},nowhere{n},oic_arrests,1" for n in range(10)]), TODAY
    )
    assert len(checked.problems) == 3 + 1
    assert checked.problems[-1].message.startswith("And 7 more problems not listed (7 of them errors)")
