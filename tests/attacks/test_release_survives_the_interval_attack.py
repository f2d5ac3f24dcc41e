"""The statistician's attack on the protected release, over every week and every fixed period of a year of demo
data: for each hidden small count, the least and greatest value it can take given every cell the release shows.
A count pinned to one whole number has been disclosed. The same attack on the release with a rule switched off
finds disclosures, so the test can tell."""

from __future__ import annotations

import datetime as dt

import pytest

from taskforce.release import protected, protection
from tests.attacks import release_cells
from tests.attacks.intervals import exactly_derived
from tests.conftest import LATEST_WEEK

YEAR_START = LATEST_WEEK - dt.timedelta(weeks=51)


@pytest.fixture(scope="module")
def year(db):
    return release_cells.inputs_for(db, YEAR_START, LATEST_WEEK)


def _periods_in_year() -> list[dt.date]:
    return release_cells.period_ends(YEAR_START, LATEST_WEEK)


_block = release_cells.block


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
    monkeypatch.setattr(protected, "_MEMO", protected.new_memo())
    group = next(group for group in protected.measure_groups() if group.codes == ("oic_arrests",))
    found = {}
    for last in _periods_in_year():
        cells, hidden, primary = _block(year, group, last)
        found |= exactly_derived(cells, hidden, primary, lower=1.0 if rule == "zeros beside" else 0.0)
    assert found
