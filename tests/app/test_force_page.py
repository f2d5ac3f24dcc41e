"""AppTest of a force's own view: a force, a ROCU region and an unknown code from the URL; its most similar
forces named and labelled as computed; its figures equal to direct SQL; its ranks among them; its
recommendations, actions and returns record; the link from the Regional page's force profile."""

from __future__ import annotations

import datetime as dt

import pytest

from taskforce.analysis import similar
from tests.conftest import LATEST_WEEK, run_page, scalar

NEAREST = "most similar forces, nearest first: "


def _texts(at) -> list[str]:
    return [str(element.value) for kind in ("markdown", "caption", "info", "warning") for element in getattr(at, kind)]


def _group_names(at) -> list[str]:
    line = next(text for text in at.markdown if NEAREST in text.value).value
    return line.split(NEAREST, 1)[1].rstrip(".").split(", ")


@pytest.mark.parametrize("code", ["kent", "metropolitan", "city-of-london", "cumbria", "dyfed-powys"])
def test_a_force_is_compared_with_its_computed_most_similar_forces(demo_db_path, code):
    at = run_page("force", force=code)
    assert not at.exception
    assert at.selectbox[0].value == code
    assert any("Most similar forces are computed here" in text for text in _texts(at))
    assert len(_group_names(at)) == similar.SIMILAR_COUNT
    comparison = at.table[0].value
    assert list(comparison.columns) == list(similar.FORCE_AREAS.values())
    assert "OIC arrests, per 100,000 residents" in comparison.index  # what each figure is per, in its label
    ranks = at.dataframe[0].value.set_index("Measure")
    assert ranks.loc["OIC arrests", "Rank"].endswith(f"of {similar.SIMILAR_COUNT + 1}")
    assert any(text.startswith("**What stands out**") for text in _texts(at))
    assert any(f"Returns, last {12} weeks" in text for text in _texts(at))


def test_the_group_s_figure_equals_direct_sql(demo_db_path, db):
    at = run_page("force", force="kent")
    names = _group_names(at)
    codes = [scalar(db, "select code from org where name = $name", {"name": name}) for name in ["Kent Police", *names]]
    first, last = LATEST_WEEK - dt.timedelta(weeks=3), LATEST_WEEK
    arrests = scalar(
        db,
        """select sum(value) from weekly_return where measure_code = 'oic_arrests'
           and org_code in (select unnest($codes)) and week_ending between $f and $t""",
        {"codes": codes, "f": first, "t": last},
    )
    residents = scalar(db, "select sum(population) from org where code in (select unnest($codes))", {"codes": codes})
    shown = at.table[0].value.loc["OIC arrests, per 100,000 residents", "Its most similar forces"]
    assert shown == f"{arrests / residents * 100_000:,.2f}"


def test_the_same_returns_give_the_same_group(demo_db_path):
    assert _group_names(run_page("force", force="essex")) == _group_names(run_page("force", force="essex"))


def test_a_force_without_residents_is_compared_with_the_nation_only(demo_db_path):
    at = run_page("force", force="btp")
    assert not at.exception
    assert any("no resident population" in info.value for info in at.info)
    assert list(at.table[0].value.columns) == ["This force", "All forces"]


def test_a_rocu_region_is_ranked_among_the_regions(demo_db_path):
    at = run_page("force", rocu="ersou")
    assert not at.exception
    assert at.subheader[0].value == "Eastern Region Special Operations Unit"
    assert list(at.table[0].value.columns) == ["This ROCU region", "All forces"]
    ranks = at.dataframe[0].value.set_index("Measure")
    assert ranks.loc["OIC arrests", "Rank"].endswith("of 9")
    assert any("Kent Police\\: On time" in text for text in _texts(at))  # escaped Markdown


@pytest.mark.parametrize("key", ["force", "rocu"])
def test_an_unknown_code_says_so_and_shows_no_figures(demo_db_path, key):
    at = run_page("force", **{key: "atlantis"})
    assert not at.exception
    assert any("atlantis" in warning.value for warning in at.warning)
    assert not at.table


def test_its_actions_are_those_it_owns(store_without_actions, monkeypatch):
    from taskforce.briefing import actions
    from taskforce.core.db import connect

    monkeypatch.setenv("TASKFORCE_DB", str(store_without_actions))
    con = connect(store_without_actions)
    due = LATEST_WEEK - dt.timedelta(days=3)
    action = actions.NewAction("Brief every port team on the new tasking", "kent", "Head of Intelligence", due, due)
    actions.record_action(con, action, "analyst@police.uk", dt.datetime(2026, 11, 20, 9), due)
    con.close()
    at = run_page("force", force="kent")
    listing = next(frame.value for frame in at.dataframe if "Action" in frame.value.columns)
    assert listing["Action"].tolist() == ["Brief every port team on the new tasking"]
    assert listing["Status"].tolist() == ["Overdue"]
    essex = run_page("force", force="essex")
    assert any("No action of the briefing" in text for text in _texts(essex))


def test_the_regional_profile_links_to_the_force_s_own_view(demo_db_path):
    at = run_page("regional", force="kent")
    assert any("(/force?force=kent)" in text.value and "own view" in text.value for text in at.markdown)


def _every_force_and_rocu() -> list[tuple[str, str, str]]:
    """(URL key, code, name) for every force and ROCU region in the reference data."""
    from taskforce.store.reference import organisations

    table = organisations()
    chosen = table[table["type"].isin(["force", "rocu"])]
    return [
        ("rocu" if kind == "rocu" else "force", code, name)
        for kind, code, name in chosen[["type", "code", "name"]].itertuples(index=False)
    ]


def _fails_for(key: str, code: str, name: str) -> str | None:
    at = run_page("force", **{key: code})
    if at.exception:
        return f"{key}={code}: {at.exception[0].value}"
    if not any(name == str(heading.value) for heading in at.subheader):
        return f"{key}={code}: no heading {name!r}"
    shown = " ".join(_texts(at))
    if "None" in shown.split() or "nan" in shown.split():
        return f"{key}={code}: a raw None or nan on the page"
    return None


def test_the_view_works_for_every_force_and_rocu_on_the_demo(demo_db_path):
    everyone = _every_force_and_rocu()
    assert len(everyone) == 55  # 46 forces and 9 ROCU regions
    assert [failure for item in everyone if (failure := _fails_for(*item))] == []


def test_the_view_works_for_every_force_and_rocu_on_an_empty_live_database(tmp_path, monkeypatch):
    from taskforce.store.creating import create_live_database

    monkeypatch.setenv("TASKFORCE_DB", str(create_live_database(tmp_path / "live.duckdb")))
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    from tests.app.test_pages_without_much_data import _run as run_signed_in  # a live store needs sign-in

    failures = []
    for key, code, _name in _every_force_and_rocu():
        at = run_signed_in("force", {key: code})
        if at.exception or at.error:
            failures.append(f"{key}={code}: {(at.exception or at.error)[0].value}")
        elif not any("no returns" in text.lower() or "not yet" in text.lower() for text in _texts(at)):
            failures.append(f"{key}={code}: does not say there are no returns yet: {_texts(at)[:3]}")
    assert failures == []
