"""Regional's ranks: a rate (the charge rate, or a count per 100,000 residents) is ranked only on a base of at
least RANK_MINIMUM_BASE, so a force with 1 arrest and 2 charges (200%) is shown but never ranked first."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import pytest

from taskforce.core.formats import RANK_MINIMUM_BASE
from taskforce.core.queries import run_query
from taskforce.maps import areas
from taskforce.measures.registry import measure
from taskforce.release import regional as released_areas
from taskforce.release.build import build_release
from tests.conftest import LATEST_WEEK

FIRST = LATEST_WEEK - dt.timedelta(weeks=3)


def _table(db, code: str, basis: str) -> pd.DataFrame:
    item = measure(code)
    before = areas.previous_period(FIRST, LATEST_WEEK)
    rows = [
        run_query(db, "map_values", {"measures": list(item.base_codes), "from": first, "to": last})
        for first, last in ((FIRST, LATEST_WEEK), before)
    ]
    table, _ = areas.map_table(*rows, run_query(db, "map_forces"), item, basis, "Force", weeks_in_period=4)
    return table


def _ranked_on_a_small_base(table: pd.DataFrame) -> pd.DataFrame:
    return table[table["rank"].notna() & table["base"].lt(RANK_MINIMUM_BASE)]


@pytest.mark.parametrize(("code", "basis"), [("charge_rate", "Count"), ("oic_arrests", "Per 100,000 residents")])
def test_a_rate_on_a_small_base_is_shown_but_not_ranked(db, code, basis):
    table = _table(db, code, basis)
    small = table[table["base"].lt(RANK_MINIMUM_BASE) & table["shown"].notna()]
    assert not small.empty  # the demo has forces with fewer than 10 arrests in 4 weeks
    assert _ranked_on_a_small_base(table).empty
    assert (table.loc[table["rank"].eq(1), "base"] >= RANK_MINIMUM_BASE).all()
    assert table["rank"].notna().sum() >= 1


def test_with_the_base_rule_switched_off_a_small_base_is_ranked(db, monkeypatch):
    monkeypatch.setattr(areas, "RANK_MINIMUM_BASE", 0)
    assert not _ranked_on_a_small_base(_table(db, "charge_rate", "Count")).empty


def test_a_count_is_ranked_whatever_its_size(db):
    table = _table(db, "oic_arrests", "Count")
    assert table["rank"].notna().sum() == table["shown"].notna().sum()


@pytest.fixture(scope="module")
def release(db):
    return build_release(partial(run_query, db), threshold=4)


@pytest.mark.parametrize(
    ("code", "basis", "some_shown_unranked"),
    [("charge_rate", "Count", False), ("oic_arrests", "Per 100,000 residents", True)],
)
def test_for_wider_circulation_a_rate_on_a_small_base_is_not_ranked_either(
    db, release, code, basis, some_shown_unranked
):
    """The release's map table ranks only shown rates whose shown base reaches the minimum: Regional gives the
    same rule in wider circulation (and "not ranked" tells only of a shown cell under 10). In the demo's 4 weeks
    the only charge rates shown are on 10 arrests or more; per 100,000, forces with 5 to 9 arrests are shown
    and not ranked."""
    table, _ = released_areas.map_table(
        release, release.period("4 weeks"), measure(code), basis, "Force", run_query(db, "map_forces")
    )
    ranked = table[table["rank"].notna()]
    assert not ranked.empty
    restricted = _table(db, code, basis).set_index("area")
    assert (restricted.loc[ranked["area"], "base"] >= RANK_MINIMUM_BASE).all()
    shown_unranked = table[table["rank"].isna() & pd.to_numeric(table["shown"], errors="coerce").notna()]
    assert shown_unranked.empty is not some_shown_unranked
