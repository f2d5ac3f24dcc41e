"""Organisations compared over a period: a rate from each one's summed parts, and those furthest behind."""

from __future__ import annotations

import pandas as pd

from taskforce.analysis import funnel
from taskforce.measures.registry import Measure


def rate_by_organisation(
    period_totals: pd.DataFrame, item: Measure, index: list[str], column: str | None = None
) -> pd.DataFrame:
    """One row per organisation: its base measures summed over the period (from the org_period_totals query)
    and the measure from those sums, in `column` (default the measure's code). A rate over a period is the
    ratio of the sums; None where the denominator is zero."""
    table = period_totals.pivot_table(index=index, columns="measure_code", values="value", aggfunc="sum").reset_index()
    table.columns.name = None
    table[column or item.code] = [item.value_from(row) for row in table.to_dict("records")]
    return table


def furthest_behind(
    table: pd.DataFrame, rate_column: str, base_column: str, minimum_base: float, count: int = 10
) -> pd.DataFrame:
    """The `count` lowest rates among organisations whose base (say, taskings received) reaches `minimum_base`:
    a rate of 1 out of 2 says little, so small bases are not ranked."""
    ranked = table[table[base_column] >= minimum_base].dropna(subset=[rate_column])
    return ranked.nsmallest(count, rate_column)


def meeting_target(rates: pd.Series, target: float) -> tuple[int, int]:
    """(how many organisations meet the target, how many have a rate at all)."""
    known = rates.dropna()
    return int((known >= target).sum()), len(known)


def rank_on_base(
    table: pd.DataFrame, rate_column: str, base_column: str, minimum: float = funnel.RANK_MINIMUM_BASE
) -> pd.Series:
    """Each organisation's rank by rate (1 the highest) among those whose base reaches `minimum`; none below it,
    so a rate of 200% on 1 arrest is shown but never ranked first."""
    return table[rate_column].where(funnel.rankable(table[base_column], minimum)).rank(ascending=False, method="min")
