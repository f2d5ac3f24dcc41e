"""Analysis that used to sit in the views, now in the library: rankings, the force matrix, the projection table,
rolling rates and last year's line, and a force's returns record in words."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from taskforce.analysis import rankings
from taskforce.analysis.force_profile import returns_record_words
from taskforce.analysis.trends import a_year_on, comparison_overlays, rolling_measure
from taskforce.measures.registry import measure
from taskforce.recommendations import force_matrix
from taskforce.recommendations.forecast import projection_table

WEEKS = [dt.date(2026, 10, 4) + dt.timedelta(weeks=n) for n in range(6)]


def _weekly_parts(arrests: list[float], charges: list[float], weeks=WEEKS) -> pd.DataFrame:
    rows = [
        {"period_start": w, "group_name": "National", "measure_code": "oic_arrests", "value": a}
        for w, a in zip(weeks, arrests, strict=True)
    ]
    rows += [
        {"period_start": w, "group_name": "National", "measure_code": "oic_charges", "value": c}
        for w, c in zip(weeks, charges, strict=True)
    ]
    return pd.DataFrame(rows)


def test_a_rolling_rate_is_the_ratio_of_the_summed_parts_not_a_mean_of_weekly_ratios():
    """Given 4 weeks with 1 charge from 1 arrest, then 0 from 9, 0 from 9 and 0 from 1,
    then the 4-week charge rate is 1 in 20 (5%), not the mean of 100%, 0%, 0% and 0% (25%)."""
    parts = _weekly_parts([1, 9, 9, 1, 10, 10], [1, 0, 0, 0, 5, 5])
    rate = rolling_measure(parts, measure("charge_rate"))
    assert pd.isna(rate.iloc[2])  # no rate until the window is full
    assert rate.iloc[3] == 1 / 20
    assert rate.iloc[5] == 10 / 30


def test_a_rolling_count_is_the_weekly_mean():
    parts = _weekly_parts([4, 8, 12, 16, 20, 24], [0] * 6)
    assert rolling_measure(parts, measure("oic_arrests")).iloc[3] == 10


def test_last_years_line_lines_up_with_this_years_weeks():
    earlier = pd.Series([5.0, 6.0], index=[dt.date(2025, 10, 5), dt.date(2025, 10, 12)])
    moved = a_year_on(earlier)
    assert list(moved.index) == [dt.date(2026, 10, 4), dt.date(2026, 10, 11)]
    assert list(moved) == [5.0, 6.0]


def test_the_overlays_start_at_the_first_week_shown():
    recent = _weekly_parts([4, 8, 12, 16, 20, 24], [1] * 6)
    earlier = _weekly_parts([1, 2, 3, 4, 5, 6], [0] * 6, [w - dt.timedelta(weeks=52) for w in WEEKS])
    overlays = comparison_overlays(recent, earlier, measure("oic_arrests"), WEEKS[3])
    assert list(overlays["Rolling 4-week average"].index) == WEEKS[3:]
    assert list(overlays["Same weeks last year"].index) == WEEKS


PERIOD_TOTALS = pd.DataFrame(
    [
        {"org_name": name, "rocu_region": "South East", "measure_code": code, "value": value}
        for name, received, completed in [("Kent", 40, 10), ("Essex", 2, 0), ("Sussex", 20, 18), ("Surrey", 0, 0)]
        for code, value in (("taskings_received", received), ("taskings_completed", completed))
    ]
)


def test_a_rate_by_organisation_is_the_ratio_of_its_sums_and_none_without_a_base():
    table = rankings.rate_by_organisation(PERIOD_TOTALS, measure("tasking_completion"), ["org_name", "rocu_region"])
    rates = dict(zip(table["org_name"], table["tasking_completion"], strict=True))
    assert rates["Kent"] == 0.25 and rates["Sussex"] == 0.9 and pd.isna(rates["Surrey"])


def test_small_bases_are_not_ranked_among_those_furthest_behind():
    """Essex completed 0 of 2: a rate on so small a base says little, so it is not listed as furthest behind."""
    table = rankings.rate_by_organisation(PERIOD_TOTALS, measure("tasking_completion"), ["org_name"], "rate")
    behind = rankings.furthest_behind(table, "rate", "taskings_received", minimum_base=10)
    assert behind["org_name"].tolist() == ["Kent", "Sussex"]


def test_meeting_a_target_counts_only_organisations_with_a_rate():
    assert rankings.meeting_target(pd.Series([0.6, 0.4, None, 0.5]), 0.5) == (2, 3)


MATRIX = pd.DataFrame(
    {
        "recommendation": [3, 3, 3, 7],
        "force_name": ["Kent", "Essex", "Avon", "Kent"],
        "status": ["Off track", "On track", "No return", "Off track"],
    }
)


def test_the_force_matrix_counts_every_status_in_the_one_order():
    counts = force_matrix.status_counts(MATRIX)
    assert list(counts.columns) == ["Complete", "On track", "At risk", "Off track", "Not started", "No return"]
    assert counts.loc[3].tolist() == [0, 1, 0, 1, 0, 1]


def test_who_is_behind_on_a_recommendation_is_a_ranked_list_overdue_first_with_how_long():
    """Given recommendation 4, due 31 Mar 2026, as at 29 Nov 2026: every force not complete is overdue (8
    months), ranked before anything else, then no report before off track before at risk, least complete
    first; a complete force is not behind. Before the due date, a force on track is not behind either.
    (Before: counts per status and a 46-row grid of colour, and no "how long".)"""
    matrix = pd.DataFrame(
        {
            "recommendation": 4,
            "force_name": ["Kent", "Essex", "Avon", "Dorset", "Gwent", "Surrey"],
            "rocu_region": "SEROCU",
            "status": ["At risk", "On track", "No return", "Complete", "Off track", "Off track"],
            "percent_complete": [60, 80, None, 100, 40, 20],
            "due_date": dt.date(2026, 3, 31),
            "last_update": [dt.date(2026, 11, 1)] * 2 + [None] + [dt.date(2026, 11, 1)] * 3,
        }
    )
    behind = force_matrix.behind_on(matrix, 4, dt.date(2026, 11, 29))
    assert behind["Force"].tolist() == ["Avon", "Surrey", "Gwent", "Kent", "Essex"]
    assert set(behind["Status"]) == {"Overdue"} and set(behind["Overdue by"]) == {"8 months"}
    assert behind["Last report said"].tolist() == ["No return", "Off track", "Off track", "At risk", "On track"]
    assert behind["Rank"].tolist() == [1, 2, 3, 4, 5]
    not_yet_due = force_matrix.behind_on(matrix.assign(due_date=dt.date(2027, 3, 31)), 4, dt.date(2026, 11, 29))
    assert not_yet_due["Force"].tolist() == ["Avon", "Surrey", "Gwent", "Kent"]
    assert set(not_yet_due["Overdue by"]) == {""} and "Overdue" not in set(not_yet_due["Status"])


def test_the_projection_table_flags_a_projection_after_the_due_date():
    as_of = dt.date(2026, 11, 1)
    recommendations = pd.DataFrame(
        [
            {
                "number": 4,
                "short_title": "Roles",
                "status": "On track",
                "percent_complete": 40,
                "due_date": dt.date(2026, 12, 1),
            }
        ]
    )
    history = pd.DataFrame(
        {
            "recommendation": 4,
            "as_of_date": [dt.date(2026, 8, 2), dt.date(2026, 9, 6), dt.date(2026, 10, 4)],
            "percent_complete": [20, 30, 40],
        }
    )
    row = projection_table(recommendations, history, as_of).iloc[0]
    assert row["After due date"] == "Likely after due date"
    assert row["Projected completion"] != "none"


def test_a_forces_returns_record_in_words():
    record = pd.DataFrame({"receipt_status": ["On time", "On time", "Late", "Missing"], "uploads": [1, 2, 1, 0]})
    assert returns_record_words(record) == "On time 2, late 1, missing 1; resubmitted 1."
