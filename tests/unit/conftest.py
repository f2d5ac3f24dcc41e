"""Fixtures for the library's unit tests."""

from __future__ import annotations

import pytest

from taskforce.core.db import connect


@pytest.fixture
def con(writable_db_path, tmp_path, monkeypatch):
    """A connection to a private copy of the demo database, with uploaded files kept in the test's folder."""
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    connection = connect(writable_db_path)
    yield connection
    connection.close()
