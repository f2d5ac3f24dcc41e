"""Shared fixtures: one demo database built once per test session, as of a fixed date."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core.db import connect
from taskforce.demo.build import build_demo_database, write_partner_extracts

PROJECT_ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 28)  # a Saturday: the last complete week ends Sunday 22 November 2026
LATEST_WEEK = dt.date(2026, 11, 22)
SEED = 20250515


@contextmanager
def _environment(name: str, value: Path) -> Iterator[None]:
    """The variable set for the session (the app and every command it starts read it), then put back."""
    previous = os.environ.get(name)
    os.environ[name] = str(value)
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = previous


@pytest.fixture(scope="session", autouse=True)
def shared_data(tmp_path_factory) -> Path:
    """The partner agencies' folders for the test session: the real Home Office series as committed, and the
    demo's synthetic Border Force extract as of AS_OF. TASKFORCE_SHARED_DATA points at them, and
    TASKFORCE_SHARED_COPIES at a folder of the session's own for the readers' copies of them."""
    root = tmp_path_factory.mktemp("shared")
    shutil.copytree(PROJECT_ROOT / "data" / "shared" / "home_office", root / "home_office")
    write_partner_extracts(root, AS_OF, SEED)
    with (
        _environment("TASKFORCE_SHARED_DATA", root),
        _environment("TASKFORCE_SHARED_COPIES", tmp_path_factory.mktemp("shared_copies")),
    ):
        yield root


@pytest.fixture
def own_shared_data(tmp_path, monkeypatch) -> Path:
    """A partner-data folder of the test's own, for a test that runs build-demo (which writes the synthetic
    Border Force extract there, as of its own date): the session's folder, which the pages read, stays as
    it is."""
    root = tmp_path / "own_shared"
    monkeypatch.setenv("TASKFORCE_SHARED_DATA", str(root))
    return root


@contextmanager
def new_server_process(store: Path, partner_folders: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The dashboard's data module as a newly started server has it (no snapshot open, no look in the partner
    folders yet), on this store and these partner folders; its background look stops when the block ends."""
    from taskforce.store import reading
    from taskforce.ui import data

    monkeypatch.setenv("TASKFORCE_DB", str(store))
    monkeypatch.setenv("TASKFORCE_SHARED_DATA", str(partner_folders))
    readers = reading.Readers()
    monkeypatch.setattr(reading, "READERS", readers)
    try:
        yield data
    finally:
        readers.close()


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory) -> Path:
    """The one demo build of the test session. It is never opened after it is built: every fixture that needs a
    demo database gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "taskforce.duckdb"
    build_demo_database(path, as_of=AS_OF, seed=SEED)
    return path


def copy_of_demo(template: Path, folder: Path) -> Path:
    path = folder / "taskforce.duckdb"
    shutil.copyfile(template, path)
    path.chmod(0o640)  # as the library makes a store: the writers and servers refuse one others may read
    return path


@pytest.fixture(scope="session")
def demo_db_path(demo_db_template, tmp_path_factory) -> Path:
    """A demo database for the whole session, read by many tests; TASKFORCE_DB points at it for the app and
    the CLI."""
    path = copy_of_demo(demo_db_template, tmp_path_factory.mktemp("db"))
    with _environment("TASKFORCE_DB", path):
        yield path


@pytest.fixture(scope="session")
def db(demo_db_path, demo_db_template, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    """A connection to the session's demo data, with the same settings the dashboard uses, for the direct SQL
    the pages are checked against. It opens an identical copy of its own, not the store the app publishes
    from: a result this connection leaves unread keeps a transaction open, and the store's checkpoint before
    each publish would wait on it."""
    con = connect(copy_of_demo(demo_db_template, tmp_path_factory.mktemp("direct_sql")))
    yield con
    con.close()


def count_in(path: Path, sql: str) -> int:
    """One number from a database file that no fixture holds open (opened and closed again for the check)."""
    con = connect(path)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None):
    """One value from a direct SQL query: the independent check that pages and library are compared with."""
    return con.cursor().execute(sql, params or {}).fetchone()[0]


@pytest.fixture
def writable_db_path(demo_db_template, tmp_path) -> Path:
    """A private copy of the demo database for a test that writes."""
    return copy_of_demo(demo_db_template, tmp_path)


@pytest.fixture(scope="session")
def demo_db_template_without_actions(tmp_path_factory) -> Path:
    """The demo built without its agreed actions (taskforce/demo/actions.py), for the tests of recording the
    first action; never opened after it is built, like demo_db_template."""
    path = tmp_path_factory.mktemp("template_without_actions") / "taskforce.duckdb"
    build_demo_database(path, as_of=AS_OF, seed=SEED, with_actions=False)
    return path


@pytest.fixture
def store_without_actions(demo_db_template_without_actions, tmp_path) -> Path:
    """A private copy of the demo with no action agreed yet, for a test that records the first."""
    return copy_of_demo(demo_db_template_without_actions, tmp_path)


SHARED_BOUNDARIES = PROJECT_ROOT.parent / "shared" / "geo" / "police_force_areas_ew_dec2020.geojson"


@pytest.fixture(scope="session")
def boundary_dir(tmp_path_factory) -> Path:
    """A geo folder holding the ONS test copy of the boundaries (from ../shared, never committed)."""
    if not SHARED_BOUNDARIES.is_file():
        pytest.skip(f"the test boundary file {SHARED_BOUNDARIES} is not beside the project")
    folder = tmp_path_factory.mktemp("geo")
    shutil.copyfile(SHARED_BOUNDARIES, folder / "police_force_areas.geojson")
    return folder


def run_page(page: str, **query) -> AppTest:
    """AppTest of pages/<page>.py with query parameters, run once; a generous timeout for a busy machine."""
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()
