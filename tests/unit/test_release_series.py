"""Wider circulation's trend series and organisation tables, read from the protected release of the demo."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest

from taskforce.core.queries import run_query
from taskforce.measures.registry import measure
from taskforce.release import series, tables
from taskforce.release.build import build_release

RATES = ["charge_rate", "debrief_rate", "tasking_completion"]


@pytest.fixture(scope="module")
def release(db):
    return build_release(partial(run_query, db), threshold=4)


@pytest.fixture(scope="module")
def groups(db):
    return run_query(db, "org_groups", {})


@pytest.mark.parametrize("code", RATES)
def test_no_rate_beside_its_denominator_gives_back_a_hidden_numerator(release, groups, code):
    """The Dyfed-Powys attack as code: from each shown rate and shown denominator, the numerator; it is never a
    count the release hides."""
    item = measure(code)
    leaves = groups[groups["type"].isin(["force", "agency"])][["org_code", "org_name"]]
    for period in tables.area_periods(release):
        table = series.organisation_figures(release, period, item, leaves)
        numerator = item.components[0]
        for row in table.to_dict("records"):
            if row[f"{code}_state"] == tables.SHOWN and row[f"{item.denominator}_state"] == tables.SHOWN:
                assert row[f"{numerator}_state"] == tables.SHOWN, (row["org_code"], period.name)
                assert round(row[code] * row[item.denominator]) == row[numerator]


@pytest.mark.parametrize("split", [series.AGENCY, series.REGION, series.FORCE])
def test_below_the_nation_only_the_fixed_four_week_periods_are_offered(release, groups, split):
    """No week and no month below the nation: each point is one fixed 4-week period, end to end, so a sum of
    shown points never differs from another shown figure by a single hidden week."""
    keys = series.group_keys(groups, split, ["kent", "dyfed-powys", "essex"])
    table = series.group_series(release, keys, measure("oic_arrests"))
    assert len(table) == 13 * len(keys)
    for _, rows in table.groupby("group_name"):
        assert ((rows["period_end"] - rows["period_start"]) == dt.timedelta(weeks=3)).all()
        assert (
            rows["period_start"].iloc[1:].to_numpy() - rows["period_end"].iloc[:-1].to_numpy() == dt.timedelta(weeks=1)
        ).all()
    shown = table[table["state"] == tables.SHOWN]["value"]
    assert not shown.between(1, 4).any()


def test_disruptions_all_never_shows_a_force_one_to_four(release, groups):
    keys = series.group_keys(groups, series.FORCE, groups[groups["type"] == "force"]["org_code"].tolist())
    table = series.group_series(release, keys, measure("disruptions_total"))
    assert (table["state"] == tables.HIDDEN).any()
    assert not table[table["state"] == tables.SHOWN]["value"].between(1, 4).any()


def test_a_download_holds_the_release_values_with_c_where_hidden(release, groups):
    table = series.group_series(release, series.group_keys(groups, series.REGION), measure("oic_charges"))
    released = series.as_released(table, "value")
    assert (released.loc[table["state"] == tables.HIDDEN, "value"] == "[c]").all()
    assert (
        released.loc[table["state"] == tables.SHOWN, "value"].tolist()
        == table.loc[table["state"] == tables.SHOWN, "value"].tolist()
    )


def test_a_rate_of_shown_zeros_has_no_figure_rather_than_a_hidden_one(release, groups):
    leaves = groups[groups["type"].isin(["force", "agency"])][["org_code", "org_name"]]
    table = series.organisation_figures(release, release.period("12 weeks"), measure("debrief_rate"), leaves)
    zero = table[(table["migrants_encountered"] == 0) & (table["migrants_debriefed_state"] == tables.SHOWN)]
    assert not zero.empty and (zero["debrief_rate_state"] == tables.NO_FIGURE).all()


def test_the_national_comparison_is_of_an_offered_period_and_the_one_before(release):
    words = series.period_against_previous(release, measure("oic_arrests"))
    assert words.startswith("Over the 12 weeks from") and "on the 12 weeks before" in words
