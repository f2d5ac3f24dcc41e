"""The forces most like a force (analysis/similar.py): a stated, deterministic neighbour set, and ranks with the
change since the period before."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from taskforce.analysis import force_profile, similar


def _forces(rows: list[tuple[str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["org_code", "population"])


def _exposure(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["org_code", "measure_code", "value"])


# Five forces of a known shape: two large coastal ones with much OIC exposure, two small inland ones with little,
# one in between; and a force with no resident population (as BTP).
FORCES = _forces([("big-a", 1_800_000), ("big-b", 1_700_000), ("mid", 900_000), ("small-a", 500_000),
                  ("small-b", 520_000), ("transport", None)])  # fmt: skip
EXPOSURE = _exposure(
    [
        ("big-a", "migrants_encountered", 900), ("big-a", "taskings_received", 300),
        ("big-b", "migrants_encountered", 800), ("big-b", "taskings_received", 280),
        ("mid", "migrants_encountered", 90), ("mid", "taskings_received", 60),
        ("small-a", "migrants_encountered", 5), ("small-a", "taskings_received", 10),
        ("small-b", "migrants_encountered", 6),  # no taskings returned: counted as none
        ("transport", "migrants_encountered", 50),
    ]
)  # fmt: skip


def test_the_figures_are_standardised_and_a_force_without_residents_has_none():
    table = similar.features(FORCES, EXPOSURE)
    assert list(table.columns) == ["population", *similar.EXPOSURE_MEASURES]
    assert "transport" not in table.index
    assert table.mean().abs().max() < 1e-9
    assert table.std(ddof=0).round(9).eq(1).all()


def test_a_known_case_the_nearest_forces_are_the_ones_alike_in_size_and_exposure():
    table = similar.features(FORCES, EXPOSURE)
    assert similar.most_similar(table, "big-a", count=2) == ["big-b", "mid"]
    assert similar.most_similar(table, "small-a", count=1) == ["small-b"]
    assert "big-a" not in similar.most_similar(table, "big-a")
    assert similar.most_similar(table, "transport") == []


def test_equally_near_forces_are_taken_in_order_of_their_codes_and_the_set_is_the_same_every_time():
    twins = _forces([("zed", 1_000_000), ("alpha", 1_000_000), ("home", 2_000_000), ("far", 100_000)])
    exposure = _exposure([(code, "migrants_encountered", 100) for code in twins["org_code"]])
    table = similar.features(twins, exposure)
    assert similar.most_similar(table, "home", count=2) == ["alpha", "zed"]
    shuffled = similar.features(twins.iloc[::-1], exposure.iloc[::-1])
    assert similar.most_similar(shuffled, "home", count=2) == ["alpha", "zed"]


def test_the_area_rows_add_up_each_area_and_feed_the_force_profile_as_they_are():
    per_force = _exposure(
        [
            ("big-a", "oic_arrests", 40), ("big-a", "oic_charges", 20),
            ("big-b", "oic_arrests", 30), ("big-b", "oic_charges", 3),
            ("mid", "oic_arrests", 0), ("mid", "oic_charges", 0),
        ]
    )  # fmt: skip
    rows = similar.area_rows(per_force, FORCES, {"force": ["big-a"], similar.SIMILAR: ["big-a", "big-b", "mid"]})
    group = rows[rows["area"] == similar.SIMILAR].set_index("measure_code")
    assert group.loc["oic_arrests", "value"] == 70
    assert group.loc["oic_charges", "smallest_force_value"] == 3  # the smallest non-zero force figure
    assert group["population"].iloc[0] == 4_400_000
    table = force_profile.comparison_table(rows, codes=("oic_arrests", "charge_rate"), areas=similar.FORCE_AREAS)
    assert list(table.columns) == ["Measure", "Basis", *similar.FORCE_AREAS.values()]
    shown = table.set_index("Measure")
    assert shown.loc["OIC arrests", "Its most similar forces"] == f"{70 / 4_400_000 * 100_000:,.2f}"
    assert shown.loc["Charge rate", "This force"] == "50.0%"


def test_ranks_put_the_best_first_and_the_change_says_which_way_it_moved():
    now = pd.DataFrame({"oic_arrests": [3.0, 5.0, 1.0, math.nan]}, index=["a", "b", "c", "d"])
    before = pd.DataFrame({"oic_arrests": [6.0, 5.0, 1.0, 2.0]}, index=["a", "b", "c", "d"])
    ranked = similar.ranks(now)["oic_arrests"]
    assert ranked.to_dict() == pytest.approx({"a": 2.0, "b": 1.0, "c": 3.0, "d": math.nan}, nan_ok=True)
    row = similar.Standing("a", now, before).table().iloc[0]
    assert (row["Rank"], row["Rank, period before"], row["Change in rank"]) == ("2 of 3", "1", "Down 1")
    assert similar.Standing("d", now, before).table().iloc[0]["Change in rank"] == "Not ranked"
    assert similar.rank_change_words(1, 4) == "Up 3"
    assert similar.rank_change_words(2, math.nan) == "Not ranked before"


def test_the_method_is_stated_with_what_it_does_not_use():
    words = similar.SIMILARITY_METHOD
    assert "no official Most Similar Groups" in words
    assert "density, ports and coast are not used" in words
    assert f"the {similar.SIMILAR_COUNT} nearest" in words
