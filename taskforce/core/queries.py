"""Run the named SQL files in queries/ with bound parameters.

Every value reaches DuckDB as a bound `$parameter`; no SQL is ever built from a value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

import duckdb
import pandas as pd

from taskforce.core.config import QUERIES_DIR

QUERY_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class UnknownQuery(ValueError):
    pass


def available_queries() -> list[str]:
    return sorted(path.stem for path in QUERIES_DIR.glob("*.sql"))


@cache
def sql_text(name: str) -> str:
    """The text of queries/<name>.sql; the name must be a plain identifier of a file that exists."""
    if not QUERY_NAME.match(name) or not (QUERIES_DIR / f"{name}.sql").is_file():
        raise UnknownQuery(f"No query named {name!r} in {QUERIES_DIR}")
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run_query(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """Run one named query on its own cursor (connections are not thread-safe; cursors are)."""
    cursor = con.cursor()
    try:
        return cursor.execute(sql_text(name), dict(params or {})).df()
    finally:
        cursor.close()
