"""The data a page reads: a thin Streamlit facade over the reader (`store/reading.py`: the newest published
snapshot, read-only, one connection per snapshot per process, query results kept on the data key) and over the
library's builders, whose results are kept on the same data key (`core/memo.on_data_key`), so a load published
by any writer shows on the next rerun and nothing stale is served. What the facade adds is Streamlit's: a
notice while the store is brought up to date, and the page stopped with the reason when it cannot be read.
Writes live in `ui/writes.py` (the store in the writer's turn, then a new snapshot; ARCHITECTURE.md,
Snapshots); `store_change`, `change_debrief_target` and `issue_pack` are named here too for the pages that call them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from taskforce.analysis import overview, revisions
from taskforce.briefing import contents, issued_packs, weekly
from taskforce.core import memo
from taskforce.core.calendar import london_now, london_today
from taskforce.core.config import database_path, protective_marking
from taskforce.core.disclosure import configured_threshold
from taskforce.release.build import Release, build_release
from taskforce.store import catalogue, reading, snapshots, targets
from taskforce.store import writing as writing_store
from taskforce.store.pack_key import read_pack_key
from taskforce.ui import writes
from taskforce.ui.writes import change_debrief_target, store_change

__all__ = ["change_debrief_target", "store_change"]  # writes, named here too where pages have always called them

SHARED_SETTLE_SECONDS = catalogue.SETTLE_SECONDS  # a shared file is read once unchanged for this long
CATALOGUE_CHECK_SECONDS = reading.CATALOGUE_CHECK_SECONDS


def _readers() -> reading.Readers:
    return reading.READERS


class _Notice:
    """A notice on the page only while the store is being brought up to date: no element is added to the page
    on the every-query path, where there is nothing to say."""

    def __init__(self) -> None:
        self.shown: Any = None

    def say(self, message: str) -> None:
        if self.shown is None:
            self.shown = st.empty()
        self.shown.info(message, icon=":material/hourglass:")

    def clear(self) -> None:
        if self.shown is not None:
            self.shown.empty()


def _snapshot_path() -> str:
    """The newest published snapshot, with a notice while the store is first brought up to date, and the page
    stopped with what to do when there is nothing that can be read."""
    notice = _Notice()
    try:
        return _readers().snapshot_path(notice.say)
    except FileNotFoundError:
        st.error(
            f"There is no database at {database_path()}. For the demo, run `make run` (or `python -m taskforce "
            "build-demo`); to go live, create an empty database with `python -m taskforce init-db`.",
            icon=":material/database:",
        )
    except duckdb.IOException:
        st.error(
            "The database is held by a program other than the taskforce's own tools, so its first snapshot "
            "cannot be published. Try again when it has finished.",
            icon=":material/lock:",
        )
    except writing_store.NotPublished as failure:  # only when there is no snapshot at all to read
        st.error(
            f"No snapshot of the data has been published, and one cannot be now: {failure.why}.",
            icon=":material/database:",
        )
    finally:
        notice.clear()
    st.stop()
    raise AssertionError("st.stop ends the script run")


def connection() -> duckdb.DuckDBPyConnection:
    """A read-only connection to the newest published snapshot, shared by every session in this process."""
    return _readers().connection(_snapshot_path())


def debrief_target() -> float:
    """The debrief rate target as the administrator last set it, in the snapshot the page reads."""
    return targets.current_value(connection(), "debrief_rate_target")


def shared_datasets() -> tuple[catalogue.DatasetState, ...]:
    """What the last look found for each shared dataset: the file it reads, its rows, any refused files."""
    connection()
    return _readers().partner_folders.current()


def wait_for_partner_folders(timeout: float) -> bool:
    """Look in the partner folders now and wait for the result (for a test or a benchmark that has just put a
    file there; pages never wait). True when the look finished within `timeout` seconds."""
    return _readers().partner_folders.wait(timeout)


def shared_dataset(name: str) -> catalogue.DatasetState:
    return next(state for state in shared_datasets() if state.dataset.name == name)


def current_snapshot() -> snapshots.Snapshot:
    """The snapshot the page is reading."""
    return snapshots.at(Path(_snapshot_path()))


def data_key() -> str:
    """What the cached results are keyed on: the snapshot being read and the partner extracts behind its views.
    A new snapshot, or a new extract, is a new key; nothing stale is served."""
    return _readers().data_key(_snapshot_path())


def query(name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """A named query's result, from the cache when the data has not changed since it was run. The cached frame
    is shared by every session and each caller gets a shallow copy of its own: pandas 3 copies on write, so
    nothing a caller does to its copy reaches the shared frame (tests/app/test_cached_results_stay_unchanged.py)."""
    return reading.cached_query(data_key(), name, params)


def clear_query_cache() -> None:
    """Forget every cached result, data results and figures (for a cold measurement, or a test that counts
    queries)."""
    memo.clear_all()


@memo.on_data_key(16)
def _release(key: str, threshold: int, chosen: dt.date | None) -> Release:
    return build_release(_readers().runner_for(key), threshold, chosen)


def release(chosen: dt.date | None = None) -> Release:
    """The week as one release: its data-up-to position, its headline week (the chosen one, else the newest
    complete week) and the protected cells every wider-circulation figure is read from. Built once per data
    version and week, shared by every session (a Release is frozen)."""
    return _release(data_key(), configured_threshold(), chosen)


@memo.on_data_key(16)
def _late_return_revisions(key: str, data_up_to: dt.date | None) -> dict[str, revisions.Revisions]:
    return revisions.revisions(_readers().runner_for(key), data_up_to)


def week_revisions() -> dict[str, revisions.Revisions]:
    """How much late returns have added to the settled weeks before the data-up-to week, by measure (a frozen
    result shared by every session, once per data version)."""
    return _late_return_revisions(data_key(), release().position.data_up_to)


@memo.on_data_key(256)
def _weekly_overview(key: str, week: dt.date, status_date: dt.date) -> overview.WeeklyOverview:
    return overview.weekly_overview(_readers().runner_for(key), week, status_date)


def status_date(week: dt.date | None = None) -> dt.date:
    """The as-of date of recommendation status, the same on every page and never the clock's: the release's
    data-up-to date (for an earlier week chosen to look back, that week's end)."""
    position = release().position
    if week is None:
        return position.status_date or london_today()  # no returns at all: nothing else to go by
    return position.status_date_for(week)


def weekly_overview(week: dt.date, wider: bool = False) -> overview.WeeklyOverview:
    """The overview of a week; for wider circulation (`wider`), the one the release's briefing holds: every
    figure from the protected release."""
    if wider:
        return weekly_briefing(week, wider=True).overview
    return _weekly_overview(data_key(), week, status_date(week))


def events() -> pd.DataFrame:
    """The dated events with plain dates (end_date None for a single day), for marking time charts. Made once
    per data key and shared, as query results are (each caller gets a shallow copy): every trend chart asks."""
    return _events(data_key())


@memo.on_data_key(4)
def _events(key: str) -> pd.DataFrame:
    table = reading.cached_query(key, "events")
    return table.assign(
        event_date=pd.to_datetime(table["event_date"]).dt.date,
        end_date=[None if pd.isna(day) else pd.Timestamp(day).date() for day in table["end_date"]],
    )


@memo.on_data_key(64)
def _briefing(key: str, week: dt.date, status_date: dt.date, source: str, wider: bool = False) -> contents.Briefing:
    threshold = configured_threshold()
    return weekly.assemble(
        _readers().reader_for(key),
        week,
        london_now(),
        source,
        status_date,
        wider_circulation=wider,
        release=_release(key, threshold, week) if wider else None,
    )


def weekly_briefing(week: dt.date, wider: bool = False) -> contents.Briefing:
    """The week's slides; for wider circulation (`wider`), every figure read from the protected release."""
    return _briefing(data_key(), week, status_date(week), current_snapshot().label, wider)


@memo.on_data_key(16)
def _pack(key: str, week: dt.date, marking: str, wider_circulation: bool, source: str) -> bytes:
    from taskforce.briefing.pack import build_pack  # python-pptx, imported when a pack is first asked for

    return build_pack(_briefing(key, week, status_date(week), source, wider_circulation), marking, wider_circulation)


def briefing_pack(week: dt.date, wider_circulation: bool) -> bytes:
    with st.spinner("Building the pack…"):
        return _pack(data_key(), week, protective_marking(), wider_circulation, current_snapshot().label)


@memo.on_data_key(64)
def _revisions(
    key: str, pack_id: int, week: dt.date, status_date: dt.date, source: str, wider_circulation: bool
) -> pd.DataFrame:
    briefing = _briefing(key, week, status_date, source, wider_circulation)
    return issued_packs.revisions(_readers().reader_for(key), pack_id, briefing.overview, wider_circulation)


def revised_since(pack_id: int, week: dt.date, wider_circulation: bool = False) -> pd.DataFrame:
    """The figures of an issued pack that differ now: figure, as briefed, now, why."""
    with st.spinner("Checking what has been revised since…"):
        return _revisions(data_key(), pack_id, week, status_date(week), current_snapshot().label, wider_circulation)


def latest_issue(week: dt.date) -> pd.Series | None:
    """The newest issued pack for a week, if it was issued."""
    packs = query("issued_packs")
    issued = packs[pd.to_datetime(packs["week_ending"]).dt.date == week]
    return issued.iloc[0] if len(issued) else None


def issue_pack(week: dt.date, wider_circulation: bool, issued_by: str) -> issued_packs.IssuedPack:
    """Issue this week's pack: read here (the briefing, the file the download button gives and the snapshot it
    was built from), written by `writes.issue_built_pack`."""
    briefing, content = weekly_briefing(week, wider_circulation), briefing_pack(week, wider_circulation)
    built_from = issued_packs.built_from(connection(), current_snapshot().name)
    return writes.issue_built_pack(briefing, content, built_from, wider_circulation, issued_by)


def issued_file(pack_id: int) -> issued_packs.IssuedFile:
    """An issued pack, its checksum and its seal checked (issued_packs.PackAltered, PackKeyMissing when not)."""
    return issued_packs.issued_file(connection(), pack_id, read_pack_key(database_path()))
