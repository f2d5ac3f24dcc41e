"""Loading weekly returns: every rule refuses a file that breaks it (naming row and column, changing no data),
a sound file commits atomically, a resubmission supersedes and keeps history."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import subprocess
import sys

import pytest
from openpyxl import load_workbook

from taskforce.core.config import INTAKE, uploads_folder
from taskforce.core.db import connect
from taskforce.returns import intake, validation
from taskforce.returns.templates import return_template
from tests.conftest import LATEST_WEEK, PROJECT_ROOT

NOW = dt.datetime(2026, 11, 28, 10, 0)
DATA_TABLES = [
    "weekly_return",
    "weekly_return_history",
    "org",
    "measure",
    "recommendation",
    "rec_update",
    "milestone",
    "event",
    "setting_history",
    "org_week_value",
    "org_week_receipt",
]
WEEK = LATEST_WEEK.isoformat()


def checksums(connection) -> dict[str, tuple]:
    return {
        table: connection.execute(f"select count(*), sum(hash(t)) from {table} t").fetchone() for table in DATA_TABLES
    }


def _audit_rows(connection) -> tuple[int, int]:
    return (
        connection.execute("select count(*) from upload").fetchone()[0],
        connection.execute("select count(*) from upload_error").fetchone()[0],
    )


def _csv(*rows: str, header: str = "week_ending,org_code,measure_code,value") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


GOOD_ROW = f"{WEEK},gwent,oic_arrests,3"
BAD_FILES = [
    (
        "missing columns",
        _csv("2026-11-22,gwent,3", header="week_ending,org_code,arrests"),
        1,
        None,
        "Required columns missing",
    ),
    (
        "unknown organisation",
        _csv(GOOD_ROW, f"{WEEK},Gwnet Police,oic_arrests,3"),
        3,
        "org_code",
        "Did you mean gwent (Gwent Police)?",
    ),
    ("unknown measure", _csv(GOOD_ROW, f"{WEEK},gwent,oic_charge,1"), 3, "measure_code", "Did you mean oic_charges?"),
    ("not a Sunday", _csv("2026-11-21,gwent,oic_arrests,3"), 2, "week_ending", "is not a Sunday"),
    ("future week", _csv("2026-12-06,gwent,oic_arrests,3"), 2, "week_ending", "has not ended yet"),
    ("before the series", _csv("2022-12-25,gwent,oic_arrests,3"), 2, "week_ending", "Before the series starts"),
    ("not a date", _csv("22 Nov,gwent,oic_arrests,3"), 2, "week_ending", "Not a date"),
    ("not a number", _csv(f"{WEEK},gwent,oic_arrests,three"), 2, "value", "Not a number"),
    ("negative", _csv(f"{WEEK},gwent,oic_arrests,-2"), 2, "value", "Negative"),
    ("fractional count", _csv(f"{WEEK},gwent,oic_arrests,2.5"), 2, "value", "Not a whole number"),
    ("duplicate key", _csv(GOOD_ROW, f"{WEEK},GWENT,oic_arrests,4"), 3, "value", "already on row 2"),
    ("formula", _csv(GOOD_ROW, f"{WEEK},gwent,oic_charges,=1+1"), 3, "value", "looks like a spreadsheet formula"),
    ("formula in a name", _csv(f"{WEEK},@SUM(A1),oic_charges,1"), 2, "org_code", "looks like a spreadsheet formula"),
    (
        "wide, unknown column",
        _csv(f"{WEEK},gwent,3,1", header="week_ending,org_code,oic_arrests,arrests_total"),
        1,
        "arrests_total",
        "Unknown column",
    ),
    ("empty value", _csv(f"{WEEK},gwent,oic_arrests,"), 2, "value", "The value is empty"),
]


@pytest.mark.parametrize("name, raw, row, column, message", BAD_FILES, ids=[case[0] for case in BAD_FILES])
def test_a_file_that_breaks_a_rule_is_refused_and_changes_no_data(con, name, raw, row, column, message):
    before, (uploads, errors) = checksums(con), _audit_rows(con)
    outcome, checked = intake.load(con, f"{name}.csv", raw, "analyst", NOW)
    assert outcome.status == "rejected"
    problem = next(p for p in checked.errors if message in p.message)
    assert (problem.row, problem.column) == (row, column)
    assert checksums(con) == before
    after_uploads, after_errors = _audit_rows(con)
    assert after_uploads == uploads + 1 and after_errors > errors
    status = con.execute("select status from upload where id = $id", {"id": outcome.upload_id}).fetchone()[0]
    assert status == "rejected"


@pytest.mark.parametrize(
    "name, raw, message",
    [
        ("empty", b"", "The file is empty."),
        ("header only", b"week_ending,org_code,measure_code,value\n", "header but no data rows"),
        ("utf-16", "week_ending,org_code,measure_code,value\n".encode("utf-16"), "not text in UTF-8 or Windows-1252"),
        ("too large", b"x" * (INTAKE.maximum_bytes + 1), "the largest accepted is 20 MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(con, name, raw, message):
    before = checksums(con)
    outcome, checked = intake.load(con, f"{name}.csv", raw, "analyst", NOW)
    assert outcome.status == "rejected"
    assert any(message in p.message for p in checked.errors), checked.errors
    assert checksums(con) == before


def test_every_problem_is_listed_not_only_the_first(con):
    raw = _csv("2026-11-21,gwent,oic_arrests,3", f"{WEEK},nowhere,oic_arrests,3", f"{WEEK},gwent,oic_arrests,-1")
    _, checked = intake.load(con, "many.csv", raw, "analyst", NOW)
    assert [p.row for p in checked.errors] == [2, 3, 4]


def test_utf8_with_bom_and_windows_1252_are_accepted(con):
    bom = b"\xef\xbb\xbf" + _csv(f"{WEEK},gwent,oic_arrests,3")
    assert intake.load(con, "bom.csv", bom, "analyst", NOW)[0].status == "committed"
    windows = _csv(f'{WEEK},gwent,cash_seized_gbp,"£1,250"').decode().encode("cp1252")
    outcome, checked = intake.load(con, "windows.csv", windows, "analyst", NOW, confirm_warnings=True)
    assert outcome.status == "committed", checked.problems
    value = con.execute(
        """select value from weekly_return where org_code = 'gwent' and week_ending = $w
        and measure_code = 'cash_seized_gbp'""",
        {"w": LATEST_WEEK},
    ).fetchone()[0]
    assert value == 1250


def test_a_sound_file_commits_every_value_and_bumps_the_data_version(con):
    version = int(con.execute("select value from meta where key = 'data_version'").fetchone()[0])
    raw = _csv(
        f"{WEEK},gwent,oic_arrests,3", f"{WEEK},Gwent Police,oic_charges,1", "22/11/2026, LINCOLNSHIRE ,oic_arrests,2"
    )
    outcome, _ = intake.load(con, "good.csv", raw, "analyst@police.example", NOW)
    assert outcome.status == "committed"
    rows = con.execute(
        "select org_code, measure_code, value from weekly_return where upload_id = $id order by all",
        {"id": outcome.upload_id},
    ).fetchall()
    assert rows == [("gwent", "oic_arrests", 3.0), ("gwent", "oic_charges", 1.0), ("lincolnshire", "oic_arrests", 2.0)]
    assert int(con.execute("select value from meta where key = 'data_version'").fetchone()[0]) == version + 1
    assert (
        con.execute("select uploaded_by from upload where id = $id", {"id": outcome.upload_id}).fetchone()[0]
        == "analyst@police.example"
    )


def test_the_raw_file_is_kept_under_its_sha256(con):
    raw = _csv(f"{WEEK},gwent,oic_arrests,3")
    _, checked = intake.load(con, "kept.csv", raw, "analyst", NOW)
    assert (uploads_folder() / f"{checked.sha256}.csv").read_bytes() == raw


def test_loading_the_same_file_twice_changes_nothing(con):
    raw = _csv(f"{WEEK},gwent,oic_arrests,3")
    first, _ = intake.load(con, "once.csv", raw, "analyst", NOW)
    before, audit = checksums(con), _audit_rows(con)
    second, _ = intake.load(con, "once-again.csv", raw, "analyst", NOW)
    assert second.status == "already loaded" and second.upload_id == first.upload_id
    assert checksums(con) == before and _audit_rows(con) == audit


def test_a_resubmission_supersedes_and_keeps_the_earlier_value_in_history(con):
    """Given Kent's committed return for week ending 22 Nov 2026, when Kent resubmits that week with a corrected
    arrests figure, then the live value is the new one and the old one stays in history."""
    old = con.execute(
        """select value, upload_id from weekly_return where org_code = 'kent' and week_ending = $w
        and measure_code = 'oic_arrests'""",
        {"w": LATEST_WEEK},
    ).fetchone()
    outcome, _ = intake.load(con, "kent_v3.csv", _csv(f"{WEEK},kent,oic_arrests,{old[0] + 1:g}"), "analyst", NOW)
    assert outcome.status == "committed"
    live = con.execute(
        """select value from weekly_return where org_code = 'kent' and week_ending = $w
        and measure_code = 'oic_arrests'""",
        {"w": LATEST_WEEK},
    ).fetchone()[0]
    assert live == old[0] + 1
    kept = con.execute(
        """select value, upload_id from weekly_return_history where superseded_by_upload_id = $id""",
        {"id": outcome.upload_id},
    ).fetchall()
    assert kept == [old]


def test_the_preview_shows_new_and_replaced_values_before_anything_is_written(con):
    before = checksums(con)
    current = con.execute(
        """select value from weekly_return where org_code = 'kent' and week_ending = $w
        and measure_code = 'oic_arrests'""",
        {"w": LATEST_WEEK},
    ).fetchone()[0]
    checked = validation.validate(
        con, "p.csv", _csv(f"{WEEK},kent,oic_arrests,{current + 5:g}", f"{WEEK},gwent,oic_arrests,2"), NOW.date()
    )
    changes = validation.preview(con, checked.rows).set_index("org_code")
    assert changes.loc["kent", "change"] == "Replaces" and changes.loc["kent", "current_value"] == current
    assert changes.loc["gwent", "change"] == "New"
    assert checksums(con) == before


def test_an_implausible_value_waits_for_confirmation(con):
    before = checksums(con)
    raw = _csv(f"{WEEK},gwent,oic_arrests,400")
    outcome, checked = intake.load(con, "big.csv", raw, "analyst", NOW)
    assert outcome.status == "needs confirmation"
    assert "far above" in checked.warnings[0].message
    assert checksums(con) == before
    assert intake.load(con, "big.csv", raw, "analyst", NOW, confirm_warnings=True)[0].status == "committed"


def test_more_charges_than_arrests_is_a_warning_not_an_error(con):
    _, checked = intake.load(
        con, "c.csv", _csv(f"{WEEK},gwent,oic_arrests,1", f"{WEEK},gwent,oic_charges,9"), "analyst", NOW
    )
    assert not checked.errors
    assert any("charges against" in w.message for w in checked.warnings)


def test_the_excel_template_filled_in_loads(con):
    template = return_template("gwent", "Gwent Police", LATEST_WEEK, "OFFICIAL-SENSITIVE")
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook["Return"]
    header = [cell.value for cell in sheet[1]]
    for index, code in enumerate(header[2:], start=3):
        sheet.cell(row=2, column=index, value=0 if code != "oic_arrests" else 4)
    assert workbook["Definitions"]["A1"].value.startswith("OFFICIAL-SENSITIVE")
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome, checked = intake.load(con, "gwent.xlsx", buffer.getvalue(), "analyst", NOW)
    assert outcome.status == "committed", checked.problems
    assert len(checked.rows) == len(header) - 2


def test_a_formula_in_an_excel_file_is_refused(con):
    template = return_template("gwent", "Gwent Police", LATEST_WEEK, "OFFICIAL-SENSITIVE")
    workbook = load_workbook(io.BytesIO(template))
    workbook["Return"]["C2"] = "=1+2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    outcome, checked = intake.load(con, "formula.xlsx", buffer.getvalue(), "analyst", NOW)
    assert outcome.status == "rejected"
    assert any(p.row == 2 and "formula" in p.message for p in checked.errors)


# The command line's ingest, with the last step inside its transaction made to wait: the test kills it there.
PAUSED_INGEST = """
import sys, time
from taskforce.returns import storage
bump = storage.bump_data_version
def bump_then_wait(cursor):
    bump(cursor)
    print("paused before commit", flush=True)
    time.sleep(60)
storage.bump_data_version = bump_then_wait
from taskforce.cli import main
main(["ingest", sys.argv[1], "--db", sys.argv[2], "--confirm-warnings"])
"""


def test_a_process_killed_during_a_commit_leaves_the_database_as_it_was(writable_db_path, tmp_path):
    """Given a load paused after writing inside its transaction, when the process is killed before COMMIT,
    then reopening the database shows exactly the tables as they were."""
    con = connect(writable_db_path)
    before = checksums(con)
    con.close()
    file = tmp_path / "kent.csv"
    file.write_bytes(_csv(f"{WEEK},kent,oic_arrests,99", f"{WEEK},essex,oic_arrests,98"))
    environment = {**os.environ, "TASKFORCE_UPLOADS": str(tmp_path / "up")}
    loader = subprocess.Popen(
        [sys.executable, "-c", PAUSED_INGEST, str(file), str(writable_db_path)],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert loader.stdout.readline().strip() == "paused before commit"
    finally:
        loader.send_signal(signal.SIGKILL)
        loader.wait(timeout=30)
    con = connect(writable_db_path)
    assert checksums(con) == before
    con.close()


def test_the_command_line_exit_codes(writable_db_path, tmp_path, capsys, monkeypatch):
    from taskforce.cli import main

    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(_csv(f"{WEEK},gwent,oic_arrests,3"))
    bad.write_bytes(_csv("2026-11-21,gwent,oic_arrests,3"))
    assert main(["ingest", str(good), "--db", str(writable_db_path), "--by", "analyst"]) == 0
    assert main(["ingest", str(bad), "--db", str(writable_db_path)]) == 1
    assert "row 2, week_ending: Saturday 21/11/2026 is not a Sunday" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "absent.csv"), "--db", str(writable_db_path)]) == 2
    assert main(["ingest"]) == 2


def test_the_command_line_says_when_a_program_outside_the_tools_holds_the_database(writable_db_path, tmp_path):
    """Given a program other than the taskforce's tools holding the store open (the dashboards never do), when
    a file is ingested, then it says so plainly and exits 1."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb,time; c=duckdb.connect({str(writable_db_path)!r}); "
            "print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        file = tmp_path / "r.csv"
        file.write_bytes(_csv(f"{WEEK},gwent,oic_arrests,3"))
        completed = subprocess.run(
            [sys.executable, "-m", "taskforce", "ingest", str(file), "--db", str(writable_db_path)],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert completed.returncode == 1
        assert "held open by a program other than the taskforce's tools" in completed.stderr
    finally:
        holder.kill()
