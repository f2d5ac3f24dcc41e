"""The periods a release offers for wider circulation: fixed, never rolling or custom."""

from __future__ import annotations

import datetime as dt

import pytest

from taskforce.measures.registry import measure
from taskforce.release.periods import FOUR_WEEKS_NAME, TWELVE_WEEKS_NAME, WEEK_NAME, offered, weeks_needed
from taskforce.release.protected import ProtectedCells
from taskforce.release.universe import period_of

NOV_22 = dt.date(2026, 11, 22)


def test_a_release_offers_the_week_and_the_latest_complete_fixed_periods():
    week, four, twelve = offered(NOV_22)
    assert (week.name, week.first, week.last) == (WEEK_NAME, NOV_22, NOV_22)
    assert four.name == FOUR_WEEKS_NAME and four.weeks == 4 and period_of(four.last)[1] == four.last
    assert four.last <= NOV_22 and (NOV_22 - four.last).days < 28
    assert twelve.name == TWELVE_WEEKS_NAME and twelve.weeks == 12 and twelve.last == four.last
    assert twelve.previous().last == twelve.first - dt.timedelta(weeks=1) and twelve.previous().weeks == 12


def test_releases_a_week_apart_offer_the_same_fixed_periods_or_the_next_one_never_an_overlapping_one():
    for n in range(60):
        week = NOV_22 - dt.timedelta(weeks=n)
        a, b = offered(week)[1], offered(week + dt.timedelta(weeks=1))[1]
        assert a.last == b.last or a.last == b.first - dt.timedelta(weeks=1)


def test_the_weeks_needed_cover_every_period_and_its_previous_one():
    needed = set(weeks_needed(NOV_22))
    for period in offered(NOV_22):
        for release_period in (period, period.previous()):
            assert release_period.first in needed and release_period.last in needed


def test_a_figure_over_a_period_is_hidden_when_any_of_its_parts_is():
    twelve = offered(NOV_22)[2]
    values = {(part, "kent", "oic_arrests"): 20.0 for part in twelve.parts}
    values |= {(part, "kent", "oic_charges"): 10.0 for part in twelve.parts}
    cells = ProtectedCells(values, 4)
    assert cells.figure(twelve, "kent", measure("oic_arrests")) == 60
    assert cells.figure(twelve, "kent", measure("charge_rate")) == pytest.approx(0.5)
    cells = ProtectedCells({**values, (twelve.parts[1], "kent", "oic_charges"): None}, 4)
    assert cells.figure(twelve, "kent", measure("oic_charges")) is None
    assert cells.figure(twelve, "kent", measure("charge_rate")) is None
