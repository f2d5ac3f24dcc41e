"""The week as one release, assembled once from named queries: its "data up to" position, its headline week,
the periods it offers for wider circulation and the protected cells behind every figure shown in wider circulation.
Pages, slides, exports and messages take a Release; none works out its own date or its own suppression."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from taskforce.release import periods, revisions
from taskforce.release.periods import ReleasePeriod
from taskforce.release.position import DataPosition, position_from
from taskforce.release.protected import ProtectedCells, protected_release

QueryRunner = Callable[[str, Mapping[str, Any]], pd.DataFrame]


@dataclass(frozen=True)
class Release:
    position: DataPosition
    week: dt.date | None  # the headline week
    offered: tuple[ReleasePeriod, ...]
    protected: ProtectedCells | None  # None when there are no returns yet

    def period(self, name: str) -> ReleasePeriod:
        return next(period for period in self.offered if period.name == name)


def build_release(run_query: QueryRunner, threshold: int, chosen: dt.date | None = None) -> Release:
    position = position_from(run_query("reporting_weeks", {}))
    week = position.headline_week(chosen)
    if week is None:
        return Release(position, None, (), None)
    needed = periods.weeks_needed(week)
    figures = run_query("release_figures", {"from": needed[0], "to": week})
    for column in ("week_ending", "reported_week"):
        figures[column] = pd.to_datetime(figures[column]).dt.date
    protected = protected_release(
        figures, run_query("org_groups", {}), needed, threshold, revisions.issued_figures(run_query, needed)
    )
    return Release(position, week, tuple(periods.offered(week)), protected)
