"""The big tables hold no index (migration 013): the writer holds their keys. A repeated key is refused before
anything is written and the whole write rolls back, whether it comes from an upload, the command line's ingest
or a resubmission; the migration that dropped the keys kept every row. Each test bypasses the upload's own
validation (which names the repeated row to the analyst), so it fails when the writer's check is switched off."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from taskforce.cli import EXIT_REJECTED, main
from taskforce.core.db import connect
from taskforce.returns import intake, storage, validation
from taskforce.store import keys, schema
from tests.conftest import LATEST_WEEK
from tests.unit.test_returns import checksums

NOW = dt.datetime(2026, 11, 28, 10, 0)
KEYED = tuple(keys.KEYS)
WEEK = LATEST_WEEK - dt.timedelta(weeks=4)  # a week the demo holds returns for


def _repeated(week: dt.date = WEEK, values: tuple[float, float] = (3, 4)) -> pd.DataFrame:
    """Two rows for the same organisation, week and measure, as validation would pass them if it let one by."""
    return pd.DataFrame(
        {
            "week_ending": [week, week],
            "org_code": ["gwent", "gwent"],
            "measure_code": ["oic_arrests", "oic_arrests"],
            "value": list(values),
            "row": [2, 3],
        }
    )


@pytest.fixture
def validation_lets_a_repeat_by(monkeypatch):
    """Validation as if it missed the repeated key: only the writer's check stands in the way."""

    def validate(con, file_name, raw, today):
        del con, today
        return validation.Validated(file_name, hashlib.sha256(raw).hexdigest(), len(raw), _repeated())

    monkeypatch.setattr(intake, "validate", validate)


def _live_values(con, week: dt.date = WEEK) -> list[tuple]:
    return con.execute(
        "select value from weekly_return where week_ending = $week and org_code = 'gwent' "
        "and measure_code = 'oic_arrests'",
        {"week": week},
    ).fetchall()


def test_the_big_tables_hold_no_primary_key(con):
    constrained = con.execute(
        "select distinct table_name from duckdb_constraints() where constraint_type in "
        "('PRIMARY KEY', 'UNIQUE') and table_name in (select unnest($tables))",
        {"tables": list(KEYED)},
    ).fetchall()
    assert constrained == []


def test_a_commit_with_a_repeated_key_writes_nothing(con):
    before = checksums(con)
    uploads = con.execute("select count(*) from upload").fetchone()[0]
    checked = validation.Validated("twice.csv", "0" * 64, 10, _repeated())
    with pytest.raises(keys.RepeatedKey, match="twice"):
        storage.commit(con, checked, "analyst", NOW)
    assert checksums(con) == before
    assert con.execute("select count(*) from upload").fetchone()[0] == uploads


def test_an_upload_with_a_repeated_key_is_refused_and_changes_no_data(con, validation_lets_a_repeat_by):
    before = checksums(con)
    outcome, checked = intake.load(con, "twice.csv", b"week_ending,org_code,measure_code,value\n", "analyst", NOW)
    assert outcome.status == "rejected"
    assert "twice" in checked.errors[0].message
    assert checksums(con) == before


def test_a_resubmission_with_a_repeated_key_keeps_the_value_it_would_replace(con, validation_lets_a_repeat_by):
    live, history = _live_values(con), con.execute("select count(*) from weekly_return_history").fetchone()[0]
    assert len(live) == 1  # the demo holds gwent's arrests for the week: this upload would replace them
    outcome, _ = intake.load(con, "resubmitted.csv", b"a resubmission", "analyst", NOW)
    assert outcome.status == "rejected"
    assert _live_values(con) == live
    assert con.execute("select count(*) from weekly_return_history").fetchone()[0] == history


def test_the_command_line_ingest_refuses_a_repeated_key(
    writable_db_path, tmp_path, monkeypatch, validation_lets_a_repeat_by
):
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    file = tmp_path / "twice.csv"
    file.write_text("week_ending,org_code,measure_code,value\n")
    reading = duckdb.connect(str(writable_db_path), read_only=True)
    before = checksums(reading)
    reading.close()
    assert main(["ingest", str(file), "--db", str(writable_db_path)]) == EXIT_REJECTED
    reading = duckdb.connect(str(writable_db_path), read_only=True)
    try:
        assert checksums(reading) == before
        assert len(_live_values(reading)) == 1
    finally:
        reading.close()


def test_a_bulk_load_with_a_repeated_key_is_refused(con):
    con.execute("insert into weekly_return select * from weekly_return limit 1")
    with pytest.raises(keys.RepeatedKey):
        keys.refuse_repeated_in_tables(con)


def _version_12_store(path: Path, monkeypatch) -> duckdb.DuckDBPyConnection:
    """A store at version 12 (keys on the big tables) holding returns, history and their rollups."""
    con = connect(path)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:12])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 12)
    schema.ensure_schema(con)
    monkeypatch.undo()
    con.execute("""insert into upload values (1, 'a.csv', 'x', 10, timestamp '2026-11-24 09:00', 'me', 'committed',
                   3, 0, null, false), (2, 'b.csv', 'y', 10, timestamp '2026-11-25 09:00', 'me', 'committed',
                   1, 0, null, false)""")
    con.execute("""insert into weekly_return values (date '2026-11-22', 'kent', 'oic_arrests', 5, 2),
                   (date '2026-11-22', 'kent', 'oic_charges', 2, 1),
                   (date '2026-11-15', 'gwent', 'oic_arrests', 1, 1)""")
    con.execute("""insert into weekly_return_history values
                   (date '2026-11-22', 'kent', 'oic_arrests', 4, 1, 2, timestamp '2026-11-25 09:00')""")
    con.execute("""insert into org_week_value values (date '2026-11-22', 'kent', 'oic_arrests', 5, 1),
                   (date '2026-11-22', 'kent', 'oic_charges', 2, 1),
                   (date '2026-11-15', 'gwent', 'oic_arrests', 1, 1)""")
    con.execute("""insert into org_week_receipt values
                   (date '2026-11-22', 'kent', timestamp '2026-11-24 09:00', timestamp '2026-11-25 09:00', 2),
                   (date '2026-11-15', 'gwent', timestamp '2026-11-24 09:00', timestamp '2026-11-24 09:00', 1)""")
    return con


def test_the_migration_that_drops_the_keys_keeps_every_row(tmp_path, monkeypatch):
    con = _version_12_store(tmp_path / "v12.duckdb", monkeypatch)
    tables = [*KEYED, "weekly_return_history"]
    before = {table: sorted(con.execute(f"select * from {table}").fetchall()) for table in tables}
    assert (
        con.execute(
            "select count(*) from duckdb_constraints() where constraint_type = 'PRIMARY KEY' "
            "and table_name = 'weekly_return'"
        ).fetchone()[0]
        == 1
    )
    assert schema.ensure_schema(con) == schema.SCHEMA_VERSION
    assert {table: sorted(con.execute(f"select * from {table}").fetchall()) for table in tables} == before
    assert (
        con.execute(
            "select count(*) from duckdb_constraints() where constraint_type = 'PRIMARY KEY' "
            "and table_name in (select unnest($tables))",
            {"tables": list(KEYED)},
        ).fetchone()[0]
        == 0
    )
    # the views over the renamed tables still read them
    assert con.execute("select count(*) from return_status").fetchone()[0] == 2
    assert con.execute("select count(*) from org_week_figure").fetchone()[0] >= 3
