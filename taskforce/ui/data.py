"""One DuckDB connection per process, and query results cached on the query, its parameters and the
data version, so that a committed write shows at once and nothing stale is served (ARCHITECTURE.md, Caching)."""
from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from taskforce.analysis import overview
from taskforce.analysis.headlines import default_week
from taskforce.briefing import archive, slides
from taskforce.core import db
from taskforce.core.calendar import london_now, london_today
from taskforce.core.config import database_path, protective_marking
from taskforce.core.queries import run_query
from taskforce.store import targets
from taskforce.store.opening import NoDatabase, bring_up_to_date


@st.cache_resource(show_spinner="Opening the database…")
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    bring_up_to_date(path)
    return db.connect(path)


# The connections already open, by path: every query asks for the connection, and Streamlit's resource cache
# hashes its arguments on each lookup (a few milliseconds a rerun, with twenty sessions in turn).
_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}


def connection() -> duckdb.DuckDBPyConnection:
    """The process's connection; a page stops with a plain message if another program holds the file."""
    path = str(database_path())
    if path in _OPEN:
        return _OPEN[path]
    try:
        _OPEN[path] = _connection(path)
        return _OPEN[path]
    except NoDatabase:
        st.error(
            f"There is no database at {database_path()}. For the demo, run `make run` (or `python -m taskforce "
            "build-demo`); to go live, create an empty database with `python -m taskforce init-db`.",
            icon=":material/database:",
        )
        st.stop()
    except duckdb.IOException:
        st.error(
            "The database is in use by another program (for example a demo build or a load from the command "
            "line), which DuckDB does not allow while the dashboard runs. Try again when it has finished.",
            icon=":material/lock:",
        )
        st.stop()


def data_version() -> int:
    """What the cached results are keyed on. Read from the database again only after this process has
    committed a transaction (no other process can write while the dashboard holds the file)."""
    connection()  # opens the connection first, so a locked file gets its plain message
    return _data_version(str(database_path()), db.commits_in_process())


@functools.lru_cache(maxsize=8)
def _data_version(path: str, commits: int) -> int:
    return db.data_version(_OPEN[path])


@functools.lru_cache(maxsize=1024)
def _cached_query(path: str, name: str, params: tuple[tuple[str, Any], ...], version: int) -> pd.DataFrame:
    return run_query(_connection(path), name, {key: list(value) if isinstance(value, tuple) else value
                                               for key, value in params})


def query(name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A named query's result, from the cache when the data has not changed since it was run.

    The cached frame is shared by every session, in a plain LRU keyed on the query, its parameters and the
    data version: st.cache_data pickled and unpickled the frame on every read, and Streamlit's hashing of the
    arguments cost more than the lookup, an eighth of a trends rerun under load between them. Each caller
    gets a shallow copy of its own: pandas 3 copies on write, so nothing a caller does to its copy, columns
    and values included, reaches the shared frame (tests/app/test_cached_results_stay_unchanged.py)."""
    items = tuple(sorted((key, tuple(value) if isinstance(value, list) else value)
                         for key, value in (params or {}).items()))
    version = data_version()
    return _cached_query(str(database_path()), name, items, version).copy(deep=False)


def clear_query_cache() -> None:
    """Forget every cached query result (for a cold measurement, or a test that counts queries)."""
    _cached_query.cache_clear()


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_weekly_overview(path: str, week: dt.date, version: int, status_date: dt.date) -> overview.WeeklyOverview:
    return overview.weekly_overview(lambda name, params: run_query(_connection(path), name, params), week,
                                    status_date)


def status_date(week: dt.date) -> dt.date:
    """The as-of date of recommendation status for a week, the same on every page."""
    return overview.status_as_of(week, default_week(query("reporting_weeks")), london_today())


def weekly_overview(week: dt.date) -> overview.WeeklyOverview:
    version = data_version()
    return _cached_weekly_overview(str(database_path()), week, version, status_date(week))


def events() -> pd.DataFrame:
    """The dated events with plain dates (end_date None for a single day), for marking time charts."""
    table = query("events")
    return table.assign(
        event_date=pd.to_datetime(table["event_date"]).dt.date,
        end_date=[None if pd.isna(day) else pd.Timestamp(day).date() for day in table["end_date"]],
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _cached_briefing(path: str, week: dt.date, version: int, status_date: dt.date) -> slides.Briefing:
    con = _connection(path)
    return slides.build_briefing(lambda name, params: run_query(con, name, params), week,
                                 targets.current_value(con, "debrief_rate_target"), london_now(), status_date)


def weekly_briefing(week: dt.date) -> slides.Briefing:
    version = data_version()
    return _cached_briefing(str(database_path()), week, version, status_date(week))


@st.cache_data(show_spinner="Building the pack…", max_entries=16)
def _cached_pack(path: str, week: dt.date, version: int, marking: str, wider_circulation: bool) -> bytes:
    from taskforce.briefing.pack import build_pack  # python-pptx, imported when a pack is first asked for

    return build_pack(_cached_briefing(path, week, version, status_date(week)), marking, wider_circulation)


def briefing_pack(week: dt.date, wider_circulation: bool) -> bytes:
    version = data_version()
    return _cached_pack(str(database_path()), week, version, protective_marking(), wider_circulation)


@st.cache_data(show_spinner="Checking what has been revised since…", max_entries=64)
def _cached_revisions(path: str, pack_id: int, week: dt.date, version: int, status_date: dt.date,
                      wider_circulation: bool) -> pd.DataFrame:
    briefing = _cached_briefing(path, week, version, status_date)
    return archive.revisions(_connection(path), pack_id, briefing.overview, wider_circulation)


def revised_since(pack_id: int, week: dt.date, wider_circulation: bool = False) -> pd.DataFrame:
    """The figures of an issued pack that differ now: figure, as briefed, now, why."""
    return _cached_revisions(str(database_path()), pack_id, week, data_version(), status_date(week),
                             wider_circulation)


def latest_issue(week: dt.date) -> pd.Series | None:
    """The newest issued pack for a week, if it was issued."""
    packs = query("issued_packs")
    issued = packs[pd.to_datetime(packs["week_ending"]).dt.date == week]
    return issued.iloc[0] if len(issued) else None


def issue_pack(week: dt.date, wider_circulation: bool, issued_by: str) -> archive.IssuedPack:
    """Store this week's pack, exactly the file the download button gives, as issued now."""
    return archive.issue(connection(), weekly_briefing(week), briefing_pack(week, wider_circulation), issued_by,
                         london_now(), wider_circulation)


def issued_file(pack_id: int) -> tuple[str, bytes]:
    return archive.issued_file(connection(), pack_id)
