"""The schema is created idempotently and migrated by version."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from taskforce.core.db import connect
from taskforce.store import schema


def test_a_new_database_gets_the_current_schema(tmp_path):
    con = connect(tmp_path / "new.duckdb")
    assert schema.ensure_schema(con) == schema.SCHEMA_VERSION
    tables = {row[0] for row in con.execute("select table_name from information_schema.tables").fetchall()}
    assert {
        "org",
        "measure",
        "weekly_return",
        "weekly_return_history",
        "upload",
        "upload_error",
        "recommendation",
        "milestone",
        "rec_update",
        "event",
        "meta",
    } <= tables


def test_ensuring_the_schema_twice_changes_nothing(tmp_path):
    con = connect(tmp_path / "twice.duckdb")
    schema.ensure_schema(con)
    con.execute("insert into meta values ('marker', 'kept')")
    schema.ensure_schema(con)
    assert con.execute("select value from meta where key = 'marker'").fetchone()[0] == "kept"


def test_an_older_database_is_migrated_step_by_step(tmp_path, monkeypatch):
    """Given a database at the current version, when the code adds a migration, then opening it applies
    only the new step."""
    con = connect(tmp_path / "old.duckdb")
    current = schema.ensure_schema(con)
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + [["create table added_later (x integer)"]])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    assert schema.ensure_schema(con) == current + 1
    assert con.execute("select count(*) from added_later").fetchone()[0] == 0
    assert schema.schema_version(con) == current + 1


def test_a_version_1_database_gains_the_settings_table(tmp_path, monkeypatch):
    con = connect(tmp_path / "v1.duckdb")
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)
    schema.ensure_schema(con)
    monkeypatch.undo()
    assert schema.ensure_schema(con) == schema.SCHEMA_VERSION
    assert con.execute("select count(*) from setting_history").fetchone()[0] == 0


def test_a_database_newer_than_the_code_is_refused(tmp_path):
    con = connect(tmp_path / "newer.duckdb")
    schema.ensure_schema(con)
    con.execute("update meta set value = '99' where key = 'schema_version'")
    with pytest.raises(RuntimeError, match="newer than this code"):
        schema.ensure_schema(con)


def test_a_failed_migration_leaves_the_database_as_it_was(tmp_path, monkeypatch):
    con = connect(tmp_path / "failing.duckdb")
    current = schema.ensure_schema(con)
    broken = [["create table half_done (x integer)", "this is not sql"]]
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS + broken)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    with pytest.raises(duckdb.ParserException):
        schema.ensure_schema(con)
    assert schema.schema_version(con) == current
    exists = con.execute("select count(*) from information_schema.tables where table_name = 'half_done'").fetchone()
    assert exists[0] == 0


def test_a_version_2_database_gains_the_rollups_filled_from_its_returns(tmp_path, monkeypatch):
    """Given a database at version 2 with returns in it, when the code migrates it, then the rollups the
    pages read hold the same totals as the raw returns."""
    con = connect(tmp_path / "v2.duckdb")
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    schema.ensure_schema(con)
    con.execute("""insert into upload values (1, 'a.csv', 'x', 10, timestamp '2026-11-24 09:00', 'me', 'committed',
                   2, 0, null, false)""")
    con.execute("""insert into weekly_return values (date '2026-11-22', 'kent', 'oic_arrests', 5, 1),
                   (date '2026-11-22', 'kent', 'oic_charges', 2, 1)""")
    monkeypatch.undo()
    assert schema.ensure_schema(con) == schema.SCHEMA_VERSION
    assert con.execute("select sum(value) from org_week_value").fetchone()[0] == 7
    assert con.execute("select uploads, first_received_at from org_week_receipt").fetchall() == [
        (1, dt.datetime(2026, 11, 24, 9, 0))
    ]
