"""Trend comparisons: rates per period, rolling averages, the same weeks last year, and the SQL behind them."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from taskforce.analysis.trends import describe_series, rolling_average, same_weeks_last_year, series_by_group
from taskforce.core.formats import format_value
from taskforce.core.queries import run_query
from taskforce.measures.registry import measure
from tests.conftest import LATEST_WEEK, scalar

WEEK = dt.timedelta(weeks=1)


def _rows(values: dict[str, list[float]], start: dt.date, group: str = "All organisations") -> pd.DataFrame:
    records = []
    for code, series in values.items():
        for n, value in enumerate(series):
            records.append(
                {"period_start": start + n * WEEK, "group_name": group, "measure_code": code, "value": value}
            )
    return pd.DataFrame(records)


def test_a_rate_with_a_zero_denominator_is_no_data_not_zero_or_infinity():
    rows = _rows({"oic_charges": [2, 0], "oic_arrests": [4, 0]}, dt.date(2026, 1, 4))
    table = series_by_group(rows, measure("charge_rate"))
    assert table["value"].iloc[0] == 0.5
    assert pd.isna(table["value"].iloc[1])
    assert format_value(measure("charge_rate"), None) == "no data"


def test_a_rolling_average_starts_only_when_the_window_is_full():
    series = pd.Series([4.0, 8.0, 6.0, 2.0, 10.0])
    averaged = rolling_average(series, 4)
    assert averaged.iloc[:3].isna().all()
    assert averaged.iloc[3] == 5.0 and averaged.iloc[4] == 6.5


def test_same_weeks_last_year_compares_like_with_like():
    last = dt.date(2026, 11, 22)
    start = last - dt.timedelta(weeks=52 + 11)
    values = [10.0] * 12 + [0.0] * 40 + [12.0] * 12  # last year's 12 weeks at 10, this year's at 12
    result = same_weeks_last_year(_rows({"oic_arrests": values}, start), measure("oic_arrests"), last)
    assert (result.current, result.previous, result.weeks_compared) == (144.0, 120.0, 12)
    assert result.words(measure("oic_arrests")) == "Up 20% on the same 12 weeks last year (144 against 120)."


def test_a_missing_week_is_left_out_of_both_years_not_read_as_a_fall():
    last = dt.date(2026, 11, 22)
    start = last - dt.timedelta(weeks=52 + 11)
    rows = _rows({"oic_arrests": [10.0] * 12 + [0.0] * 40 + [12.0] * 12}, start)
    missing = last - dt.timedelta(weeks=3)
    rows = rows[rows["period_start"] != missing]
    result = same_weeks_last_year(rows, measure("oic_arrests"), last)
    assert (result.current, result.previous, result.weeks_compared) == (132.0, 110.0, 11)
    assert "Only 11 of the 12 weeks have returns in both years." in result.words(measure("oic_arrests"))


def test_a_rate_is_compared_in_points():
    last = dt.date(2026, 11, 22)
    start = last - dt.timedelta(weeks=52 + 11)
    rows = _rows(
        {"oic_charges": [4.0] * 12 + [0.0] * 40 + [6.0] * 12, "oic_arrests": [10.0] * 12 + [1.0] * 40 + [10.0] * 12},
        start,
    )
    words = same_weeks_last_year(rows, measure("charge_rate"), last).words(measure("charge_rate"))
    assert words == "Up 20.0 points on the same 12 weeks last year (60.0% against 40.0%)."


def test_no_overlap_gives_no_comparison():
    result = same_weeks_last_year(
        _rows({"oic_arrests": [1.0]}, dt.date(2026, 11, 22)), measure("oic_arrests"), dt.date(2026, 11, 22)
    )
    assert result.words(measure("oic_arrests")) == "No comparison with the same 12 weeks last year: no data."


def _trend(db, **params):
    defaults = {
        "period": "week",
        "split": "national",
        "forces": [],
        "measures": ["oic_arrests"],
        "from": LATEST_WEEK - dt.timedelta(weeks=30),
        "to": LATEST_WEEK,
    }
    return run_query(db, "trend_series", {**defaults, **params})


def test_monthly_flows_are_the_sum_of_the_weeks_ending_in_the_month(db):
    rows = _trend(db, period="month")
    october = rows[pd.to_datetime(rows["period_start"]).dt.date == dt.date(2026, 10, 1)]["value"].item()
    direct = scalar(
        db,
        """select sum(value) from weekly_return where measure_code = 'oic_arrests'
        and week_ending between date '2026-10-01' and date '2026-10-31'""",
    )
    assert october == direct


def test_a_stock_takes_its_value_in_the_last_week_of_the_period(db):
    rows = _trend(db, period="month", measures=["ocg_mapped"])
    october = rows[pd.to_datetime(rows["period_start"]).dt.date == dt.date(2026, 10, 1)]["value"].item()
    direct = scalar(
        db,
        """select sum(value) from weekly_return where measure_code = 'ocg_mapped'
        and week_ending = date '2026-10-25'""",
    )
    assert october == direct


def test_regions_count_forces_only_and_add_up_to_the_forces_total(db):
    regions = _trend(db, split="region")
    agencies = _trend(db, split="agency")
    by_week_regions = regions.groupby("period_start")["value"].sum()
    forces = agencies[agencies["group_name"] == "Police forces"].set_index("period_start")["value"]
    pd.testing.assert_series_equal(by_week_regions, forces, check_names=False)


def test_chosen_forces_only(db):
    rows = _trend(db, split="force", forces=["kent", "essex"])
    assert set(rows["group_name"]) == {"Kent Police", "Essex Police"}


def test_a_chart_description_names_the_span_latest_and_highest():
    rows = _rows({"oic_arrests": [3.0, 9.0, 5.0]}, dt.date(2026, 1, 4))
    text = describe_series(measure("oic_arrests"), series_by_group(rows, measure("oic_arrests")), "Weekly")
    assert text == (
        "OIC arrests, weekly, from 4 Jan 2026 to 18 Jan 2026. All organisations: latest 5 "
        "(18 Jan 2026), highest 9 (11 Jan 2026)."
    )


def test_the_crossings_series_says_which_months_are_official_provisional_or_partial():
    """Given the committed Home Office series, the words come from its status column, not from the page."""
    from taskforce.analysis.crossings import series_status_words
    from taskforce.demo.generator import small_boat_series

    arrivals = small_boat_series()
    words = series_status_words(arrivals)
    last_official = arrivals.loc[arrivals["status"] == "official", "month"].max()
    assert f"official quarterly statistics to {pd.Timestamp(last_official):%B %Y}" in words
    partial = arrivals.loc[arrivals["status"] == "partial", "month"]
    assert all(f"{pd.Timestamp(month):%B %Y}" in words for month in partial)


def test_a_series_for_wider_circulation_hides_small_counts_and_what_would_give_them_away():
    """Given regional counts each week (whose national total is published), a count of 3 is hidden, and so is
    another in the same week and in the same region, so no total less the others recovers it."""
    from taskforce.analysis.trends import for_wider_circulation

    weeks = [dt.date(2026, 11, 1), dt.date(2026, 11, 8)]
    table = pd.DataFrame(
        [
            {"period_start": w, "group_name": g, "value": v}
            for w, values in zip(weeks, [[3, 20, 30], [12, 25, 31]], strict=True)
            for g, v in zip(["North", "South", "East"], values, strict=True)
        ]
    )
    shown, hidden = for_wider_circulation(table)
    gaps = shown[shown["value"].isna()]
    assert hidden == len(gaps) >= 3
    assert gaps.groupby("period_start").size().min() >= 2 and gaps.groupby("group_name").size().min() >= 2
    assert list(dict.fromkeys(shown["group_name"])) == ["North", "South", "East"]


def test_a_change_under_half_a_per_cent_reads_level_not_down_0_percent():
    from taskforce.analysis.trends import YearOnYear
    from taskforce.measures.registry import measure

    arrests = measure("oic_arrests")
    assert YearOnYear(825, 829, 12, 12).change_words(arrests) == "level (within 0.5%)"
    assert YearOnYear(820, 829, 12, 12).change_words(arrests) == "down 1%"
    assert YearOnYear(900, 829, 12, 12).change_words(arrests) == "up 9%"
