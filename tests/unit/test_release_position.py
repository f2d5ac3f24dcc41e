"""One 'data up to' date, decided from the returns and never from the clock."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from taskforce.release.position import position_from

NOV_22, NOV_15, NOV_8 = dt.date(2026, 11, 22), dt.date(2026, 11, 15), dt.date(2026, 11, 8)


def _weeks(*rows):
    return pd.DataFrame(rows, columns=["week_ending", "returns_complete", "returns_partial", "returns_expected"])


def test_a_provisional_newest_week_is_the_data_up_to_date_and_the_headline_is_the_latest_complete_one():
    position = position_from(_weeks((NOV_22, 28, 3, 49), (NOV_15, 46, 1, 49), (NOV_8, 49, 0, 49)))
    assert position.data_up_to == NOV_22 and position.provisional
    assert position.headline_week() == NOV_15
    assert position.status_date == NOV_22 and position.chase_week == NOV_22
    assert position.words() == (
        "Data up to week ending 22 Nov 2026 (provisional: 28 of 49 returns); latest complete week ends 15 Nov 2026"
    )


def test_ninety_percent_of_expected_returns_complete_makes_a_week_complete():
    position = position_from(_weeks((NOV_22, 44, 0, 49), (NOV_15, 45, 0, 49)))
    assert position.latest_complete is not None and position.latest_complete.week_ending == NOV_15
    assert position.is_provisional(NOV_22) and not position.is_provisional(NOV_15)


def test_a_chosen_earlier_week_is_the_headline_week_and_a_week_beyond_the_data_is_not():
    position = position_from(_weeks((NOV_22, 49, 0, 49), (NOV_15, 49, 0, 49)))
    assert position.headline_week(NOV_15) == NOV_15
    assert position.headline_week(dt.date(2026, 11, 29)) == NOV_22
    assert position.words() == "Data up to week ending 22 Nov 2026 (complete: 49 of 49 returns)"


def test_no_returns_at_all():
    position = position_from(_weeks())
    assert position.data_up_to is None and position.headline_week() is None
    assert position.words() == "No returns loaded yet"


def test_recommendation_status_is_as_at_the_data_up_to_date_for_the_headline_week_and_at_an_earlier_weeks_end():
    """Never the clock: the headline week (and the provisional one after it) read status as at the data-up-to
    date; an earlier week chosen to look back reads it as it stood at that week's end."""
    position = position_from(_weeks((NOV_22, 28, 3, 49), (NOV_15, 46, 1, 49), (NOV_8, 49, 0, 49)))
    assert position.status_date_for(NOV_15) == NOV_22 and position.status_date_for(NOV_22) == NOV_22
    assert position.status_date_for(NOV_8) == NOV_8
    assert position_from(_weeks()).status_date_for(NOV_8) == NOV_8
