"""Hardening the loader against hostile and broken files: each is refused with a plain problem, nothing is
written, and the refusal is in the audit log."""

from __future__ import annotations

import datetime as dt
import io
import threading
import zipfile

import pytest
from openpyxl import Workbook

from taskforce.core.config import INTAKE
from taskforce.core.spreadsheet import looks_like_formula, neutralise, safe_file_name
from taskforce.returns import intake
from tests.conftest import LATEST_WEEK, scalar

NOW = dt.datetime(2026, 11, 28, 9, 0)
WEEK = LATEST_WEEK.isoformat()


def _csv(*lines: str) -> bytes:
    return ("week_ending,org_code,measure_code,value\n" + "\n".join(lines) + "\n").encode()


def _load(con, name: str, raw: bytes):
    return intake.load(con, name, raw, "analyst", NOW, confirm_warnings=True)


def _refused_and_recorded(con, name: str, raw: bytes) -> list[str]:
    """Load a file that must be refused; return its problems' messages after checking that nothing but the
    audit record was written."""
    values = scalar(con, "select count(*) from weekly_return")
    outcome, checked = _load(con, name, raw)
    assert outcome.status == "rejected", outcome
    assert scalar(con, "select count(*) from weekly_return") == values
    assert scalar(con, "select status from upload where id = $id", {"id": outcome.upload_id}) == "rejected"
    assert scalar(con, "select count(*) from upload_error where upload_id = $id", {"id": outcome.upload_id}) >= 1
    return [p.message for p in checked.errors]


def _sheet_xml(dimension: str, body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{body}</sheetData></worksheet>'
    )


def _workbook_with_sheet(sheet_xml: str) -> bytes:
    """A real workbook from openpyxl, with its first sheet's XML replaced."""
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active.append(["week_ending", "org_code", "oic_arrests"])  # type: ignore[union-attr]
    workbook.save(buffer)
    source, target = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = sheet_xml.encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            out.writestr(item, data)
    return target.getvalue()


def test_a_sheet_declaring_a_million_rows_by_16384_columns_is_read_by_what_it_holds(con):
    """Given a 5 KB workbook whose sheet declares A1:XFD1048576, when it is loaded, then only its real cells
    are read (no padding to the declared size) and the return loads."""
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>week_ending</t></is></c><c r="B1" t="inlineStr"><is><t>'
        'org_code</t></is></c><c r="C1" t="inlineStr"><is><t>oic_arrests</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{WEEK}</t></is></c><c r="B2" t="inlineStr"><is><t>kent'
        '</t></is></c><c r="C2"><v>7</v></c></row>'
    )
    raw = _workbook_with_sheet(_sheet_xml("A1:XFD1048576", rows))
    assert len(raw) < 10_000
    outcome, _ = _load(con, "declared.xlsx", raw)
    assert outcome.status == "committed"


def test_a_sheet_with_too_many_columns_is_refused(con):
    cells = "".join(
        f'<c r="{chr(65 + n // 26) if n >= 26 else ""}{chr(65 + n % 26)}1"><v>{n}</v></c>'
        for n in range(INTAKE.maximum_columns + 5)
    )
    raw = _workbook_with_sheet(_sheet_xml("A1:A1", f'<row r="1">{cells}</row>'))
    assert any("columns" in message for message in _refused_and_recorded(con, "wide.xlsx", raw))


@pytest.mark.parametrize(
    "name, xml",
    [
        (
            "entity bomb",
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;'
            '&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t>'
            "</is></c></row></sheetData></worksheet>",
        ),
        (
            "external entity",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>',
        ),
        (
            "truncated",
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
            'main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>week',
        ),
    ],
)
def test_a_hostile_or_damaged_workbook_is_refused_plainly(con, name, xml):
    messages = _refused_and_recorded(con, f"{name}.xlsx", _workbook_with_sheet(xml))
    assert any("damaged or not a plain .xlsx" in message for message in messages), messages


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_opened(con):
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/worksheets/sheet1.xml", b"<x>" + b" " * (120 * 1024 * 1024) + b"</x>")
    assert any("unpacks to" in message for message in _refused_and_recorded(con, "bomb.xlsx", target.getvalue()))


@pytest.mark.parametrize(
    "value, expected",
    [
        ("nan", "Not a number"),
        ("inf", "Not a number"),
        ("-inf", "formula"),
        ("1e308", "more than one"),
        ("1e999", "Not a number"),
        ("5000", "more than one"),
    ],
)
def test_impossible_values_are_errors_not_warnings(con, value, expected):
    messages = _refused_and_recorded(con, "impossible.csv", _csv(f"{WEEK},kent,oic_arrests,{value}"))
    assert any(expected in message for message in messages), messages


def test_money_that_is_not_a_number_never_reaches_the_commit(con):
    messages = _refused_and_recorded(con, "money.csv", _csv(f"{WEEK},kent,cash_seized_gbp,nan"))
    assert any("Not a number" in message for message in messages)


def test_an_unquoted_thousands_separator_makes_a_ragged_row_that_is_refused(con):
    """Given 1,250 written without quotes (so the row has five cells), then the row is refused, not loaded as 1."""
    messages = _refused_and_recorded(con, "ragged.csv", _csv(f"{WEEK},kent,cash_seized_gbp,1,250"))
    assert any("row has 5 cells but the header has 4" in message for message in messages)


@pytest.mark.parametrize(
    "header, row",
    [
        ("week_ending,org_code,org_code,oic_arrests", f"{WEEK},kent,essex,3"),
        ("week_ending,org_code,measure_code,value,value", f"{WEEK},kent,oic_arrests,3,4"),
    ],
)
def test_a_column_named_twice_is_refused(con, header, row):
    raw = f"{header}\n{row}\n".encode()
    assert any("appears twice" in message for message in _refused_and_recorded(con, "twice.csv", raw))


@pytest.mark.parametrize("cell", ["=1+1", "+1+1", "-1+cmd|' /C calc'!A0", "@SUM(1+1)", "\t=1", '=HYPERLINK("x")'])
def test_the_upload_check_catches_every_formula_form(cell):
    assert looks_like_formula(cell)


@pytest.mark.parametrize("cell", ["-3", "+4", "1,250", "12.5", "-0.5", "Kent", "2026-11-22", ""])
def test_plain_values_are_not_formulas(cell):
    assert not looks_like_formula(cell)


def test_downloads_make_formula_cells_and_file_names_inert():
    assert neutralise('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert neutralise("-1+cmd|' /C calc'!A0") == "'-1+cmd|' /C calc'!A0"
    assert neutralise("-3") == "-3" and neutralise(-3) == -3
    assert safe_file_name("problems_=cmd|calc.csv.csv") == "problems__cmd_calc.csv.csv"
    assert not safe_file_name("=evil.csv").startswith("=")


def test_a_junk_file_lists_its_first_problems_and_counts_the_rest(con):
    junk = _csv(*[f"{WEEK},nowhere-{n},oic_arrests,x" for n in range(3000)])
    outcome, checked = _load(con, "junk.csv", junk)
    assert outcome.status == "rejected"
    assert len(checked.problems) == INTAKE.maximum_problems + 1
    assert "more problems not listed" in checked.problems[-1].message
    assert (
        scalar(con, "select count(*) from upload_error where upload_id = $id", {"id": outcome.upload_id})
        == INTAKE.maximum_problems + 1
    )


def test_two_analysts_committing_at_once_both_succeed_one_after_the_other(con):
    """Given two sessions of the one dashboard process, when both commit a return at the same moment, then
    both are loaded (their writes take turns) and neither sees a conflict."""
    files = {"kent": _csv(f"{WEEK},kent,oic_arrests,21"), "essex": _csv(f"{WEEK},essex,oic_arrests,22")}
    outcomes, start = {}, threading.Barrier(2)

    def commit(name: str) -> None:
        start.wait()
        outcomes[name] = _load(con, f"{name}.csv", files[name])[0].status

    threads = [threading.Thread(target=commit, args=(name,)) for name in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == {"kent": "committed", "essex": "committed"}
    assert (
        scalar(
            con,
            f"select value from weekly_return where org_code = 'kent' and week_ending = '{WEEK}' "
            "and measure_code = 'oic_arrests'",
        )
        == 21
    )
