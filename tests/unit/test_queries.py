"""Named queries: every value is a bound parameter, and only files in queries/ can run."""

from __future__ import annotations

import re

import duckdb
import pytest

from taskforce.core.config import QUERIES_DIR
from taskforce.core.queries import UnknownQuery, available_queries, run_query, sql_text
from tests.conftest import LATEST_WEEK, scalar

QUERY_FILES = sorted(QUERIES_DIR.glob("*.sql"))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_query_file_says_what_it_returns_its_grain_and_its_parameters(path):
    header = [line for line in path.read_text().splitlines() if line.startswith("--")]
    assert header, f"{path.name} has no header comment"
    text = "\n".join(header)
    assert "Grain:" in text and "Params:" in text


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_files_hold_no_string_formatting_placeholders(path):
    body = path.read_text()
    assert not re.search(r"\{[a-z_]*\}|%s|%\([a-z_]+\)s", body), "values must be $named parameters"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_every_parameter_a_query_names_is_declared_in_its_header(path):
    body = path.read_text()
    header = "\n".join(line for line in body.splitlines() if line.startswith("--"))
    code = "\n".join(line for line in body.splitlines() if not line.startswith("--"))
    for parameter in set(re.findall(r"\$([a-z_]+)", code)):
        assert f"${parameter}" in header, f"${parameter} not declared in the header of {path.name}"


def test_a_value_that_looks_like_sql_is_bound_not_executed(db):
    """Given a week parameter carrying an injection attempt, when the query runs, then DuckDB treats it as a
    value (and refuses it as a date), and the tables are untouched."""
    organisations = scalar(db, "select count(*) from org")
    with pytest.raises(duckdb.Error):
        run_query(db, "returns_for_week", {"week": "2026-11-22'; drop table org; --"})
    assert scalar(db, "select count(*) from org") == organisations


def test_a_text_parameter_is_compared_as_a_value(db):
    result = run_query(db, "national_weekly_totals", {"from": LATEST_WEEK, "to": LATEST_WEEK})
    assert not result.empty


@pytest.mark.parametrize("name", ["../pyproject", "reporting_weeks.sql", "Reporting_Weeks", "no_such_query", ""])
def test_only_named_files_in_the_queries_folder_can_run(name):
    with pytest.raises(UnknownQuery):
        sql_text(name)


def test_the_query_list_is_the_files_in_the_folder():
    assert available_queries() == [path.stem for path in QUERY_FILES]
