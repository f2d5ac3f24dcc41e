"""What a pack issued for wider circulation has already made public, as facts the release's protection respects.

A figure a wider pack showed (national OIC arrests in its week, 62) is public from the moment it is issued. When a
return arrives late or is resubmitted, the figure now (64) less the figure as issued is the sum of the changed
organisations' changes: with one organisation changed, its count. So each issued figure is a `known` cell of the
week's protection (the organisations' values as they stood then), and each organisation's change since is a cell
that is never shown; a change from 1 to the threshold is protected like any small count, which hides the figure
now when nothing else would keep it from being read off.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from taskforce.measures.registry import measure, registry
from taskforce.release.protection import Cell
from taskforce.release.universe import SENSITIVE_KINDS

QueryRunner = Callable[[str, Mapping[str, Any]], pd.DataFrame]


@dataclass(frozen=True)
class Change:
    """One organisation's value of one measure in the week, as it stood when the pack was issued and now."""

    org: str
    code: str
    then: float | None
    now: float | None


@dataclass(frozen=True)
class IssuedFigure:
    """A national count of one week as a wider pack showed it, and every return behind it that changed since."""

    pack_id: int
    name: str
    code: str  # the measure shown (a total's own code)
    week: dt.date
    value: float
    changes: tuple[Change, ...]


def counted_measure(label: str):
    """The counted measure a single-week figure of that label shows, else None (a rate is not a count)."""
    return next((item for item in registry().values() if item.label == label and item.kind in SENSITIVE_KINDS), None)


def issued_figures(run_query: QueryRunner, weeks: Iterable[dt.date]) -> dict[dt.date, tuple[IssuedFigure, ...]]:
    """The single-week national counts of every wider pack issued for one of `weeks`, by week, with the changes
    to their returns since each was issued."""
    weeks = set(weeks)
    packs = run_query("issued_packs", {})
    by_week: dict[dt.date, list[IssuedFigure]] = {}
    for pack in packs[packs["wider_circulation"].astype(bool)].itertuples(index=False):
        week = pd.Timestamp(pack.week_ending).date()
        if week in weeks:
            by_week.setdefault(week, []).extend(_pack_figures(run_query, int(pack.pack_id), week))
    return {week: tuple(figures) for week, figures in by_week.items()}


def _pack_figures(run_query: QueryRunner, pack_id: int, week: dt.date) -> list[IssuedFigure]:
    figures = []
    for row in run_query("issued_figures", {"pack": pack_id}).itertuples(index=False):
        item = counted_measure(str(row.figure))
        first, last = pd.Timestamp(row.first_week).date(), pd.Timestamp(row.last_week).date()
        if item is None or pd.isna(row.value) or not first == last == week:
            continue
        changed = run_query(
            "returns_changed_since",
            {"upload": int(row.last_upload_id), "measures": list(item.base_codes), "from": week, "to": week},
        )
        changes = tuple(
            Change(
                str(change.org_code), str(change.measure_code), _number(change.value_then), _number(change.value_now)
            )
            for change in changed.itertuples(index=False)
        )
        figures.append(IssuedFigure(pack_id, str(row.figure), item.code, week, float(row.value), changes))
    return figures


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _variable(org: str, code: str, week: dt.date) -> tuple:
    return (org, code, week)  # the universe's base variable of a flow: organisation, measure, week


def _change_terms(figure: IssuedFigure, change: Change) -> dict[Hashable, float]:
    """now less then, over the current variable and the value as issued (a variable of its own)."""
    terms: dict = {}
    if change.now is not None:
        terms[_variable(change.org, change.code, figure.week)] = 1.0
    if change.then is not None:
        terms[("as issued", figure.pack_id, change.org, change.code, figure.week)] = -1.0
    return terms


def _signed(key: Hashable, value: float, terms: Mapping) -> Cell:
    """A change as a cell of a non-negative value (a fall of 3 is as telling as a rise of 3)."""
    sign = -1.0 if value < 0 else 1.0
    return Cell(key, value * sign, {var: weight * sign for var, weight in terms.items()})


def facts(figure: IssuedFigure, nation: Cell | None) -> tuple[list[Cell], list[Cell]]:
    """The figure as issued (a known cell) and each changed organisation's change since (cells never shown: per
    measure, and over the figure's measures together when it has several), given the nation's cell of that week
    now. Nothing when the figure as issued is not the nation's cell less the changes (it was worked out some
    other way, so it is no plain fact about these variables)."""
    if nation is None:
        return [], []
    changes, known_terms = [], dict(nation.terms)
    by_org: dict[str, tuple[float, dict]] = {}
    for change in figure.changes:
        terms, value = _change_terms(figure, change), (change.now or 0.0) - (change.then or 0.0)
        changes.append(_signed(("changed since issue", figure.pack_id, change.org, change.code), value, terms))
        total, merged = by_org.get(change.org, (0.0, {}))
        by_org[change.org] = (total + value, {**merged, **terms})
        for var, weight in terms.items():
            known_terms[var] = known_terms.get(var, 0.0) - weight
    if abs(nation.value - sum(value for value, _ in by_org.values()) - figure.value) > 1e-6:
        return [], []
    if len(measure(figure.code).base_codes) > 1:
        changes += [
            _signed(("changed since issue", figure.pack_id, org, figure.code), value, terms)
            for org, (value, terms) in by_org.items()
        ]
    known = Cell(
        ("issued", figure.pack_id, figure.name),
        figure.value,
        {var: weight for var, weight in known_terms.items() if abs(weight) > 1e-12},
        level=3,
    )
    return [known], changes
