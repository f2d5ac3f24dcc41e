"""Ways 1 and 2 of issue 24 on the Regional activity page in wider circulation.

Way 1, previous-period counts in plain: before, the table and tooltips read "1 in the previous period" for South
Wales and Police Scotland. Way 2, a region less its forces: before, the ROCU map showed Tarian 7 and SEROCU 23 and
the force map the other forces, so Gwent = 2 and Surrey = 3. Now both maps, the table, the CSV and the previous
periods read one release: the attack (regional_attack.pinned, a linear programme over the forces' counts) runs on
the release for every fixed 4-week and 12-week period of a year of demo data and on the rendered page (table, map
data and CSV), and finds nothing; with the secondary suppression or the previous-period rule switched off it
finds hidden counts, so the test can tell."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from taskforce.core.disclosure import SUPPRESSED
from taskforce.core.queries import run_query
from taskforce.measures.registry import measure, registry
from taskforce.release import protected, tables
from taskforce.release.build import build_release
from taskforce.release.periods import ReleasePeriod
from taskforce.release.universe import FOUR_WEEKS, NATION, POLICE_FORCES, WEEK
from taskforce.ui import data, downloads
from tests.attacks.regional_attack import pinned
from tests.conftest import PROJECT_ROOT

COUNTED = [
    code
    for code, item in registry().items()
    if item.kind in ("count", "total") and code not in protected.NATIONAL_ONLY_PARTS
]


PEOPLE_AND_EVENTS = ["oic_arrests", "oic_charges", "migrants_encountered", "migrants_debriefed", "disruptions_total"]


@pytest.fixture(scope="module")
def forces(db) -> pd.DataFrame:
    return run_query(db, "map_forces", {})


def _release(db):
    return build_release(lambda name, params: run_query(db, name, params), 4)


@pytest.fixture(scope="module")
def release(db):
    return _release(db)


def _members(release, forces: pd.DataFrame) -> dict[str, list[str]]:
    return {
        region: forces.loc[forces["rocu_region"] == region, "org_code"].tolist() for region in tables._regions(release)
    }


def _year_of_periods(release) -> list[ReleasePeriod]:
    """The 13 fixed 4-week periods of the year to the release's week, and the 12 weeks ending with each."""
    last = release.period("4 weeks").last
    ends = [last - dt.timedelta(weeks=4 * n) for n in range(13)]
    fours = [ReleasePeriod("4 weeks", ((FOUR_WEEKS, end),), end - dt.timedelta(weeks=3), end) for end in ends]
    twelves = [
        ReleasePeriod(
            "12 weeks",
            tuple((FOUR_WEEKS, end - dt.timedelta(weeks=4 * k)) for k in (2, 1, 0)),
            end - dt.timedelta(weeks=11),
            end,
        )
        for end in ends[:11]
    ]
    return fours + twelves


def _figures(release, period, item, forces, column: str = "value"):
    """The forces' and regions' figures (None where hidden; 0 for no return) and all forces together, as the
    page shows them: of `period`, or of the period before it (column "previous")."""

    def shown(table, value, state):
        return {
            area: (0.0 if s == tables.NO_RETURN else (v if s == tables.SHOWN else None))
            for area, v, s in zip(table["area"], table[value], table[state], strict=True)
        }

    state = "state" if column == "value" else "previous_state"
    by_force = tables.area_figures(release, period, item, forces, tables.FORCE)
    by_region = tables.area_figures(release, period, item, forces, tables.REGION)
    by_region = by_region[by_region["key"].str.startswith("region:")]
    whole = period if column == "value" else period.previous()
    return (
        shown(by_force, column, state),
        shown(by_region, column, state),
        tables.figure(release, whole, POLICE_FORCES, item)[0],
    )


def _as_sums(by_force, by_region, every, ends, members):
    """Figures over the 4-week periods ending `ends` as sums of (force, period end) unknowns, and the hidden ones
    of a single 4-week period (cells of the release) as targets."""
    sums, targets = [], {}

    def add(key, leaves, value):
        parts = [(force, end) for force in leaves for end in ends]
        sums.append((parts, value))
        if value is None and len(ends) == 1:
            targets[(ends[0], key)] = parts

    for code, value in by_force.items():
        add(code, [code], value)
    for region, value in by_region.items():
        add(region, members[region], value)
    if every is not None:
        add("all forces", list(by_force), every)
    return sums, targets


def _window_sums(release, forces, window: ReleasePeriod, item, columns=("value",)):
    """Everything the page shows for a 12-week window and each of its three 4-week periods."""
    members, sums, targets = _members(release, forces), [], {}
    for part in (*[_four_weeks(end) for _, end in window.parts], window):
        for column in columns:
            source = part if column == "value" else part.previous()
            more, hidden = _as_sums(
                *_figures(release, part, item, forces, column), [end for _, end in source.parts], members
            )
            sums += more
            targets |= hidden
    return sums, targets


def _four_weeks(end: dt.date) -> ReleasePeriod:
    return ReleasePeriod("4 weeks", ((FOUR_WEEKS, end),), end - dt.timedelta(weeks=3), end)


def _attack_the_release(release, forces, codes=COUNTED, columns=("value",)) -> dict:
    found = {}
    for window in [period for period in _year_of_periods(release) if period.name == "12 weeks"]:
        for code in codes:
            sums, targets = _window_sums(release, forces, window, measure(code), columns)
            found |= {(code, *key): value for key, value in pinned(sums, targets).items()}
    return found


def test_no_region_less_its_forces_gives_a_hidden_force_in_a_year_of_periods(release, forces):
    assert len(_year_of_periods(release)) == 24
    assert _attack_the_release(release, forces) == {}


def test_no_previous_period_gives_a_hidden_count_in_a_year_of_periods(release, forces):
    # the counts of people and events a briefing leads on (every counted measure's current figures are attacked
    # above); the previous periods added to what the page shows now
    assert _attack_the_release(release, forces, codes=PEOPLE_AND_EVENTS, columns=("value", "previous")) == {}
    for period in _year_of_periods(release):  # and each previous figure is the release's own, as protected
        table = tables.area_figures(release, period, measure("oic_arrests"), forces, tables.FORCE)
        for key, previous in zip(table["key"], table["previous"], strict=True):
            assert pd.isna(previous) or previous == release.protected.figure(
                period.previous(), key, measure("oic_arrests")
            )


def _primary_only(release, truth, code: str = "oic_arrests"):
    """The release with secondary suppression switched off for one measure's 4-week cells: only its counts from 1
    to 4 hidden, every other cell of a force or region shown as it is."""
    values = dict(release.protected.values)
    for key, value in release.protected.values.items():
        (kind, end), org, cell_code = key
        if value is None and cell_code == code and kind == FOUR_WEEKS and org not in (NATION, POLICE_FORCES):
            count = truth(org, _four_weeks(end), code)
            if not 1 <= count <= 4:
                values[key] = count
    return dataclasses.replace(release, protected=protected.ProtectedCells(values, release.protected.threshold))


def test_the_release_attack_finds_hidden_forces_with_secondary_suppression_switched_off(db, release, forces):
    assert _attack_the_release(_primary_only(release, _truth(db, forces)), forces, codes=["oic_arrests"])


def _truth(db, forces: pd.DataFrame):
    """The unprotected count of a force or region over a period, from the raw figures (the statistician's SQL)."""
    rows = run_query(db, "release_figures", {"from": dt.date(2024, 1, 1), "to": dt.date(2027, 1, 1)})
    rows["week_ending"] = pd.to_datetime(rows["week_ending"]).dt.date

    def count(key: str, period: ReleasePeriod, code: str) -> float:
        leaves = (
            forces.loc[forces["rocu_region"] == key.removeprefix("region:"), "org_code"].tolist()
            if key.startswith("region:")
            else [key]
        )
        chosen = rows[
            rows["org_code"].isin(leaves)
            & (rows["measure_code"] == code)
            & (rows["week_ending"] >= period.first)
            & (rows["week_ending"] <= period.last)
        ]
        return float(chosen["value"].sum())

    return count


def _previous_switched_off(monkeypatch, truth):
    """The previous-period rule off: each area's previous figure as it is, unprotected, as the page had it."""
    real = tables.area_figures

    def unprotected(release, period, item, forces, level):
        table = real(release, period, item, forces, level)
        table["previous"] = [truth(key, period.previous(), item.code) for key in table["key"]]
        table["previous_state"] = tables.SHOWN
        return table

    monkeypatch.setattr(tables, "area_figures", unprotected)


def _previous_shown_where_the_release_hides(release, forces, codes=("oic_arrests",)) -> dict:
    found = {}
    for period in _year_of_periods(release):
        for code in codes:
            item = measure(code)
            for level in (tables.FORCE, tables.REGION):
                table = tables.area_figures(release, period, item, forces, level)
                for key, previous in zip(table["key"], table["previous"], strict=True):
                    hidden = release.protected.figure(period.previous(), key, item) is None
                    if hidden and tables.released(period.previous(), key) and not pd.isna(previous):
                        found[(period.last, period.name, key)] = previous
    return found


def test_the_release_attack_finds_previous_counts_with_the_previous_period_rule_switched_off(
    db, release, forces, monkeypatch
):
    assert _previous_shown_where_the_release_hides(release, forces) == {}
    _previous_switched_off(monkeypatch, _truth(db, forces))
    found = _previous_shown_where_the_release_hides(release, forces)
    assert any(1 <= value <= 4 for value in found.values())


# The rendered page: table, map data and CSV, at both levels, from AppTest in wider circulation.


@pytest.fixture
def csv_files(monkeypatch):
    made: dict[str, object] = {}
    monkeypatch.setattr(
        downloads, "download_file", lambda label, content, file_name, mime, **options: made.__setitem__(label, content)
    )
    data.clear_query_cache()
    yield made
    data.clear_query_cache()


def _render(level: str, period: str, csv_files: dict) -> tuple[AppTest, pd.DataFrame, pd.DataFrame, dict]:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "regional.py"), default_timeout=180)
    at.session_state["wider_circulation"] = True
    at.query_params["level"] = level
    at.query_params["released_period"] = period
    at.run()
    assert not at.exception
    written = csv_files["Download the table (CSV)"]
    content = written() if callable(written) else written
    csv = pd.read_csv(io.BytesIO(content), comment="#", dtype=str)  # type: ignore[arg-type]
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    cells = next(layer for layer in spec["layers"] if layer["id"] == "forces")["data"]
    return at, at.dataframe[0].value, csv, {cell["org_code"]: cell for cell in cells}


def _number(text) -> float | None:
    """A figure as the page writes it: a number, '[c]' (None), 'No return' (0)."""
    text = str(text)
    if text == SUPPRESSED:
        return None
    if text.startswith("No return"):
        return 0.0
    found = re.match(r"[-+]?[\d,]+(\.\d+)?", text)
    assert found, text
    return float(found.group(0).replace(",", ""))


def _previous(text) -> float | None | str:
    """A previous-period figure from the change column or tooltip: a number, None ([c]) or 'not given'."""
    text = str(text).replace(" in the previous period", "").removeprefix("was ")  # the table's short form
    if text == SUPPRESSED:
        return None
    return "not given" if "%" in text or text == "no comparison" else _number(text)


def _page_figures(csv_files, forces, period: str):
    """Each level's figures and previous figures as the table, the map and the CSV show them (all three agree)."""
    names = dict(zip(forces["org_name"], forces["org_code"], strict=True))
    shown = {}
    for level, column in ((tables.FORCE, "Force"), (tables.REGION, "ROCU region")):
        _, table, csv, cells = _render(level, period, csv_files)
        assert table[column].tolist() == csv[column].tolist()
        areas = [names[name] if level == tables.FORCE else name for name in table[column]]
        values = dict(zip(areas, map(_number, table["Value"]), strict=True))
        assert values == dict(zip(areas, map(_number, csv["Value"]), strict=True))
        previous = dict(zip(areas, map(_previous, table["Change on previous period"]), strict=True))
        area_of = {
            code: (code if level == tables.FORCE else region)
            for code, region in zip(forces["org_code"], forces["rocu_region"], strict=True)
        }
        for code, cell in cells.items():
            assert _number(cell["value_text"]) == values[area_of[code]]
            assert _previous(cell["change_text"]) == previous[area_of[code]]
        shown[level] = values, previous
    return shown


def _page_pins(release, forces, shown, period: str) -> dict:
    """The attack on what the page showed: both levels, this period and the one before."""
    regions, members = tables._regions(release), _members(release, forces)
    chosen = release.period(period)
    sums, targets = [], {}
    for index, source in ((0, chosen), (1, chosen.previous())):
        by_force, by_area = shown[tables.FORCE][index], shown[tables.REGION][index]
        more, hidden = _as_sums(
            {k: v for k, v in by_force.items() if v != "not given"},
            {r: v for r, v in by_area.items() if r in regions and v != "not given"},
            None,
            [end for _, end in source.parts],
            members,
        )
        sums += more
        targets |= hidden
    return pinned(sums, targets)


@pytest.mark.parametrize("period", ["4 weeks", "12 weeks"])
def test_the_rendered_page_gives_no_hidden_count_away(demo_db_path, release, forces, csv_files, period):
    shown = _page_figures(csv_files, forces, period)
    assert any(value is None for value in shown[tables.FORCE][0].values())  # something is hidden to attack
    assert _page_pins(release, forces, shown, period) == {}
    chosen = release.period(period)
    for level in (tables.FORCE, tables.REGION):  # every previous figure printed is the release's own, shown
        for area, previous in shown[level][1].items():
            if isinstance(previous, float):
                outside = dict(zip(forces["rocu_region"], forces["org_code"], strict=False))  # no ROCU: own area
                key = tables.region_key(area) if area in tables._regions(release) else outside.get(area, area)
                assert previous == release.protected.figure(chosen.previous(), key, measure("oic_arrests"))


def test_the_rendered_page_attack_finds_hidden_forces_with_secondary_suppression_switched_off(
    demo_db_path, db, release, forces, csv_files, monkeypatch
):
    switched_off = _primary_only(release, _truth(db, forces))
    monkeypatch.setattr(data, "release", lambda chosen=None: switched_off)
    assert _page_pins(switched_off, forces, _page_figures(csv_files, forces, "4 weeks"), "4 weeks")


def test_the_rendered_page_shows_hidden_previous_counts_with_the_previous_period_rule_switched_off(
    demo_db_path, db, release, forces, csv_files, monkeypatch
):
    _previous_switched_off(monkeypatch, _truth(db, forces))
    previous = _page_figures(csv_files, forces, "4 weeks")[tables.FORCE][1]
    chosen = release.period("4 weeks").previous()
    leaked = {
        code: value
        for code, value in previous.items()
        if isinstance(value, float) and release.protected.figure(chosen, code, measure("oic_arrests")) is None
    }
    assert any(1 <= value <= 4 for value in leaked.values())


def test_weeks_are_not_offered_below_the_nation(release):
    assert all(part[0] != WEEK for period in tables.area_periods(release) for part in period.parts)
