"""Figures are rebuilt only when what they draw changes."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from taskforce import charts
from taskforce.core.memo import fingerprint, memoised


def test_equal_tables_share_a_fingerprint_and_any_change_breaks_it():
    table = pd.DataFrame({"week": [dt.date(2026, 11, 15), dt.date(2026, 11, 22)], "value": [3.0, 4.0]})
    assert fingerprint(table) == fingerprint(table.copy())
    assert fingerprint(table) != fingerprint(table.assign(value=[3.0, 5.0]))
    assert fingerprint(table) != fingerprint(table.iloc[::-1])  # order is drawn, so it counts
    assert fingerprint(table) != fingerprint(table.rename(columns={"value": "other"}))
    assert fingerprint(table) != fingerprint(table.astype({"value": "int64"}))


def test_an_argument_that_cannot_be_fingerprinted_is_refused():
    with pytest.raises(TypeError):
        fingerprint(object())


def test_a_builder_runs_once_for_equal_inputs_and_again_for_new_ones():
    calls = []

    @memoised
    def build(table: pd.DataFrame, title: str) -> list:
        calls.append(title)
        return [title, len(table)]

    table = pd.DataFrame({"x": [1, 2]})
    first = build(table, "a")
    assert build(table.copy(), "a") is first
    assert build(table, "b") is not first
    assert build(pd.DataFrame({"x": [1, 3]}), "a") is not first
    assert calls == ["a", "b", "a"]


def test_a_memoised_chart_is_the_same_figure_for_the_same_numbers():
    """As on a rerun: the same numbers arrive as a new table, made the same way."""

    def weekly(values):
        return pd.Series(values, index=pd.date_range("2026-11-01", periods=3, freq="W"))

    first = charts.sparkline(weekly([1.0, 2.0, 3.0]))
    assert charts.sparkline(weekly([1.0, 2.0, 3.0])) is first
    assert charts.sparkline(weekly([2.0, 4.0, 6.0])) is not first


def test_a_memoised_table_comes_back_as_the_callers_own_copy():
    @memoised
    def doubled(table: pd.DataFrame) -> pd.DataFrame:
        return table.assign(x=table["x"] * 2)

    table = pd.DataFrame({"x": [1, 2]})
    first = doubled(table)
    first["x"] = 0
    assert doubled(table)["x"].tolist() == [2, 4]


def test_a_measure_is_fingerprinted_by_its_fields():
    from taskforce.measures.registry import measure

    assert fingerprint(measure("oic_arrests")) == fingerprint(measure("oic_arrests"))
    assert fingerprint(measure("oic_arrests")) != fingerprint(measure("oic_charges"))


def test_clear_all_forgets_every_builders_results():
    from taskforce.core.memo import clear_all

    def weekly():
        return pd.Series([1.0, 2.0], index=pd.date_range("2026-11-01", periods=2, freq="W"))

    first = charts.sparkline(weekly())
    assert charts.sparkline(weekly()) is first
    clear_all()
    assert charts.sparkline(weekly()) is not first


def test_the_fingerprint_reads_every_kind_of_column_it_is_given():
    """The digest reads a column's memory (Arrow buffers, NumPy arrays), not its pickle: each kind of column
    still tells equal from unequal, including a slice of a shared Arrow buffer and categories under equal
    codes."""
    table = pd.DataFrame(
        {
            "name": pd.array(["a", "b", "c"], dtype="string[pyarrow]"),
            "plain": ["a", "b", "c"],
            "value": [1.0, 2.0, 3.0],
            "whole": pd.array([1, None, 3], dtype="Int64"),
            "week": pd.to_datetime(["2026-11-08", "2026-11-15", "2026-11-22"]),
            "kind": pd.Categorical(["x", "y", "x"]),
            "day": [dt.date(2026, 11, 8), None, dt.date(2026, 11, 22)],
        }
    )
    assert fingerprint(table) == fingerprint(table.copy(deep=True))
    for column, other in [
        ("name", ["a", "b", "d"]),
        ("plain", ["a", "b", "d"]),
        ("value", [1.0, 2.0, 4.0]),
        ("whole", pd.array([1, 2, 3], dtype="Int64")),
        ("week", pd.to_datetime(["2026-11-08", "2026-11-15", "2026-11-29"])),
        ("kind", pd.Categorical(["p", "q", "p"])),
        ("day", [dt.date(2026, 11, 8), None, None]),
    ]:
        assert fingerprint(table) != fingerprint(table.assign(**{column: other})), column
    assert fingerprint(table.iloc[:2].reset_index(drop=True)) != fingerprint(table.iloc[1:].reset_index(drop=True))
    assert fingerprint(table.iloc[1:]) != fingerprint(table.iloc[1:].reset_index(drop=True))  # the index counts
