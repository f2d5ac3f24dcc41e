"""Six rules that a one-line change once broke without any test noticing (the principal engineer's mutations):
the 8-week carry-forward cap of a stock, limits from the average moving range (not a standard deviation), exact
Poisson limits where XmR ones mean nothing, the snapshot pointer moved only after the copy, the pointer replaced
by a rename (never written in place), and no percentage change on a base under 10. Each test pins its rule
exactly, on data whose right answer is worked out here, so breaking the rule fails it (`make mutants` checks)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from taskforce.analysis import variation
from taskforce.core.formats import SMALL_BASE, percent_change_allowed
from taskforce.release import tables
from taskforce.store import snapshots
from taskforce.store.schema import ensure_schema

FIRST_WEEK = dt.date(2026, 1, 4)


def _week(n: int) -> dt.date:
    return FIRST_WEEK + dt.timedelta(weeks=n)


@pytest.fixture
def store_with_a_stock() -> duckdb.DuckDBPyConnection:
    """A stock returned once by one force (week 0), while another force returns a flow for 14 weeks, so the
    series runs on long past the stock's 8 weeks of carrying."""
    con = duckdb.connect()
    ensure_schema(con)
    for code, aggregation in (("trained", "stock"), ("arrests", "flow")):
        con.execute(
            "insert into measure (code, label, short_label, unit, kind, aggregation, category, definition, "
            "source, display_order) values ($code, $code, $code, 'n', 'count', $aggregation, 'c', 'd', 's', 1)",
            {"code": code, "aggregation": aggregation},
        )
    con.execute("insert into org_week_value values ($week, 'A', 'trained', 7, 1)", {"week": _week(0)})
    for n in range(15):
        con.execute("insert into org_week_value values ($week, 'B', 'arrests', 3, 1)", {"week": _week(n)})
    return con


def test_a_stock_is_carried_forward_for_exactly_eight_weeks_and_no_more(store_with_a_stock):
    carried = store_with_a_stock.execute(
        "select week_ending from org_week_figure where org_code = 'A' and carried order by week_ending"
    ).fetchall()
    assert [row[0] for row in carried] == [_week(n) for n in range(1, 9)]


BASELINE = [50, 58, 47, 55, 49, 60, 46, 52, 51, 57, 48, 54, 50, 59, 45, 53, 52, 56, 49, 55]


def test_xmr_limits_are_the_mean_plus_or_minus_2_66_average_moving_ranges():
    """Worked by hand: mean 52.3, average moving range 6.789 (129/19), so 34.24 to 70.36; a standard deviation
    (4.2) would give 39.7 to 64.9."""
    series = pd.Series(BASELINE + [52], index=range(21), dtype="float64")
    control = variation.xmr(series, count=False)
    assert control is not None and control.method == variation.XMR
    mean = sum(BASELINE) / len(BASELINE)
    moving_range = sum(abs(b - a) for a, b in zip(BASELINE, BASELINE[1:], strict=False)) / (len(BASELINE) - 1)
    assert control.limits.centre == pytest.approx(mean)
    assert control.limits.lower == pytest.approx(mean - 2.66 * moving_range)
    assert control.limits.upper == pytest.approx(mean + 2.66 * moving_range)


def test_a_small_count_gets_exact_poisson_limits_not_xmr_ones():
    """A mean of 3 a week: XmR limits would run below zero and call nothing; the exact Poisson ones are used."""
    values = [3, 2, 4, 3, 1, 5, 3, 2, 4, 3, 3, 2, 4, 3, 1, 5, 3, 2, 4, 3, 3]
    control = variation.xmr(pd.Series(values, dtype="float64"))
    assert control is not None and control.method == variation.POISSON
    low, high = variation.poisson_range(3.0)
    assert (control.limits.lower, control.limits.upper) == (low, high)


def test_a_count_that_never_varies_gets_poisson_limits_so_one_more_is_not_a_signal():
    """Twenty weeks of exactly 20: the moving range is nil, so XmR limits would be 20 to 20 and 21 a special
    cause; a count of 20 a week varies by chance, and 21 is within its Poisson limits."""
    control = variation.xmr(pd.Series([20.0] * 20 + [21.0]))
    assert control is not None and control.method == variation.POISSON
    assert control.limits.lower < 21 < control.limits.upper
    assert control.rules == ()


def _store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    folder.mkdir(mode=0o750)
    path = folder / "taskforce.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t as select 1 as x")
    con.execute("checkpoint")
    con.close()
    return path


def _pointer(store: Path) -> Path:
    return snapshots.snapshot_folder(store) / snapshots.POINTER


def test_the_pointer_moves_only_after_the_copy_is_whole(tmp_path, monkeypatch):
    store = _store(tmp_path)
    first = snapshots.publish(store)

    def copy_dies(*_args, **_kwargs):
        raise OSError("the disk filled during the copy")

    monkeypatch.setattr(snapshots, "copy_durably", copy_dies)
    with pytest.raises(OSError):
        snapshots.publish(store, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert _pointer(store).read_text().strip() == first.name
    assert snapshots.current(store) == first


def test_the_pointer_is_replaced_by_a_rename_never_written_in_place(tmp_path):
    """A pointer rewritten in place can be read half written; a rename is atomic, so each publish leaves a
    new file (a new inode) under the name, and no partial file behind."""
    store = _store(tmp_path)
    snapshots.publish(store, dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    before = _pointer(store).stat().st_ino
    second = snapshots.publish(store, dt.datetime(2030, 1, 2, tzinfo=dt.UTC))
    assert _pointer(store).stat().st_ino != before
    assert _pointer(store).read_text().strip() == second.name
    assert not list(_pointer(store).parent.glob("*.partial"))


def test_no_percentage_change_on_a_base_under_ten():
    assert SMALL_BASE == 10
    assert not percent_change_allowed(9)
    assert not percent_change_allowed(9.99)
    assert percent_change_allowed(10)
    assert tables.change(20, 9) is None
    assert tables.change(20, 10) == pytest.approx(1.0)
    assert tables.change(20, -12) == pytest.approx(-32 / 12)  # the base's size, not its sign
