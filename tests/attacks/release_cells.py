"""The release's cells as the attacks see them: every cell with its base variables and true value, which of them
the release hides and which are small (primary), for a fixed 4-week period and its four weeks. Shared by the
attack on the release itself and the attacks on what the pages, CSVs and the pack render."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from taskforce.core.queries import run_query
from taskforce.release import protected, universe
from taskforce.release.protection import Cell


def inputs_for(db, first: dt.date, last: dt.date, threshold: int = 4) -> protected._Inputs:
    """The release's inputs over the weeks `first` to `last` (with the 4 weeks before, for the first period)."""
    figures = run_query(db, "release_figures", {"from": first - dt.timedelta(weeks=4), "to": last})
    for column in ("week_ending", "reported_week"):
        figures[column] = pd.to_datetime(figures[column]).dt.date
    by_week = {week: rows for week, rows in figures.groupby("week_ending")}
    return protected._Inputs(
        by_week,
        {week: protected._digest(rows) for week, rows in by_week.items()},
        universe.Geography.from_groups(run_query(db, "org_groups", {})),
        threshold,
    )


def period_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The ends of the fixed 4-week periods that the weeks `first` to `last` fall in and that have ended."""
    weeks = (last - first).days // 7 + 1
    ends = {universe.period_of(first + dt.timedelta(weeks=n))[1] for n in range(weeks)}
    return sorted(end for end in ends if end <= last)


def block(inputs: protected._Inputs, group: universe.MeasureGroup, last: dt.date) -> tuple[list[Cell], set, set]:
    """A period and its four weeks: the cells, and which are hidden and which are small."""
    first = universe.period_of(last)[0]
    cells, hidden, primary = [], set(), set()
    for week in [first + dt.timedelta(weeks=n) for n in range(universe.PERIOD_WEEKS)]:
        week_cells, result = protected.protect_week(inputs, group, week)
        cells += week_cells
        hidden |= result.hidden
        primary |= result.primary
    period_cells, result = protected.protect_period(inputs, group, last)
    return cells + period_cells, hidden | result.hidden, primary | result.primary


def group_of(code: str) -> universe.MeasureGroup:
    return next(group for group in protected.measure_groups() if code in group.codes)
