"""The weekly briefing assembled once, for every caller: the Weekly briefing page (through `ui/data.py`), the
pack the page downloads and issues, and the command line's export-briefing and digest all call `assemble`, so
what a leader is shown, what is issued and what is mailed are built the same way from the same snapshot."""

from __future__ import annotations

import datetime as dt
from functools import partial

import duckdb

from taskforce.briefing import contents
from taskforce.core.queries import run_query
from taskforce.release.build import Release, build_release


def assemble(
    con: duckdb.DuckDBPyConnection,
    week: dt.date,
    data_taken: dt.datetime,
    source: str = "",
    status_date: dt.date | None = None,
    wider_circulation: bool = False,
    threshold: int | None = None,
    release: Release | None = None,
) -> contents.Briefing:
    """The week's briefing from the snapshot `con` reads: the debrief target that snapshot holds, recommendation
    status as at `status_date` (else the data-up-to date), and for wider circulation every figure from the
    protected release (the one given, else the release of `week` built at `threshold`)."""
    runner = partial(run_query, con)
    if wider_circulation and release is None:
        if threshold is None:
            raise ValueError("a briefing for wider circulation needs the disclosure threshold or its release")
        release = build_release(runner, threshold, week)
    return contents.build_briefing(
        runner,
        week,
        contents.current_debrief_target(con),
        data_taken,
        status_date,
        source,
        release=release if wider_circulation else None,
    )
