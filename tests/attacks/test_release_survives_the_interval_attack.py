"""The statistician's attack on the protected release, over every week and every fixed period of a year of demo
data: for each hidden small count, the least and greatest value it can take given every cell the release shows.
A count pinned to one whole number has been disclosed. The same attack on the release with a rule switched off
finds disclosures, so the test can tell."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from taskforce.core.queries import run_query
from taskforce.release import protected, protection, universe
from tests.attacks.intervals import exactly_derived
from tests.conftest import LATEST_WEEK

YEAR_START = LATEST_WEEK - dt.timedelta(weeks=51)


@pytest.fixture(scope="module")
def year(db):
    figures = run_query(db, "release_figures", {"from": YEAR_START - dt.timedelta(weeks=4), "to": LATEST_WEEK})
    for column in ("week_ending", "reported_week"):
        figures[column] = pd.to_datetime(figures[column]).dt.date
    groups = run_query(db, "org_groups", {})
    by_week = {week: rows for week, rows in figures.groupby("week_ending")}
    return protected._Inputs(by_week, {week: protected._digest(rows) for week, rows in by_week.items()},
                             universe.Geography.from_groups(groups), 4)


def _periods_in_year() -> list[dt.date]:
    ends = {universe.period_of(YEAR_START + dt.timedelta(weeks=n))[1] for n in range(52)}
    return sorted(end for end in ends if end <= LATEST_WEEK)


def _block(inputs, group, last):
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


def test_no_hidden_count_of_a_year_of_weeks_and_periods_can_be_worked_out(year):
    disclosed, checked = {}, 0
    for group in protected.measure_groups():
        for last in _periods_in_year():
            cells, hidden, primary = _block(year, group, last)
            checked += len(primary)
            disclosed |= exactly_derived(cells, hidden, primary)
    assert checked > 2000  # a year of small counts was attacked, not an empty release
    assert disclosed == {}


@pytest.mark.parametrize("rule", ["secondary", "zeros beside"])
def test_the_attack_finds_disclosures_with_a_rule_switched_off(year, monkeypatch, rule):
    if rule == "secondary":
        monkeypatch.setattr(protection, "_first_exposure", lambda *args: None)
    else:
        monkeypatch.setattr(protection, "_zeros_beside", lambda *args: set())
    monkeypatch.setattr(protected, "_MEMO", protected._Memo())
    group = next(group for group in protected.measure_groups() if group.codes == ("oic_arrests",))
    found = {}
    for last in _periods_in_year():
        cells, hidden, primary = _block(year, group, last)
        found |= exactly_derived(cells, hidden, primary, lower=1.0 if rule == "zeros beside" else 0.0)
    assert found
