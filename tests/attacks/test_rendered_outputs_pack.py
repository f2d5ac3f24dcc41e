"""The attack on the wider pack as a reader gets it: the .pptx opened with python-pptx, every figure of the force
map (this period's counts and the previous period's) and of the trend chart read back, tied to the release's
cells and attacked with the interval attack. A sample of weeks across the year (each pack costs a release and a
deck on a slow machine); the release-level attack covers every week. With the previous-period rule switched off,
the same attack recovers a count."""

from __future__ import annotations

import datetime as dt

import pytest

from taskforce.briefing import contents, pack
from taskforce.briefing.pack import build_pack
from taskforce.core.queries import run_query
from taskforce.release import method, tables
from taskforce.release.build import build_release
from taskforce.release.universe import NATION
from tests.attacks import release_cells, rendered
from tests.conftest import LATEST_WEEK

YEAR_START = LATEST_WEEK - dt.timedelta(weeks=51)
SAMPLE = [YEAR_START + dt.timedelta(weeks=n) for n in range(3, 52, 12)]  # 5 weeks across the year
TAKEN = dt.datetime(2026, 11, 28, 9, 0)


@pytest.fixture(scope="module")
def inputs(db):
    return release_cells.inputs_for(db, YEAR_START - dt.timedelta(weeks=8), LATEST_WEEK)


@pytest.fixture(scope="module")
def names(db) -> dict[str, str]:
    forces = run_query(db, "map_forces", {})
    return dict(zip(forces["org_name"], forces["org_code"], strict=True))


def wider_pack(db, week: dt.date):
    release = build_release(lambda name, params: run_query(db, name, params), 4, week)
    briefing = contents.build_briefing(
        lambda name, params: run_query(db, name, params), week, 0.8, TAKEN, release=release
    )
    return release, build_pack(briefing, "OFFICIAL-SENSITIVE", wider_circulation=True)


@pytest.mark.parametrize("week", SAMPLE, ids=str)
def test_no_figure_of_the_wider_pack_gives_a_hidden_count_away(db, inputs, names, week):
    release, content = wider_pack(db, week)
    facts, hidden = rendered.force_map_facts(content, release, names)
    facts += rendered.trend_facts(content, release)
    assert len(facts) > 26  # the map and the chart were read, not an empty slide
    assert rendered.tie(facts, release) == []  # every printed figure is a shown cell of the release
    assert all(
        release.protected.get((tables.FOUR_WEEKS, release.period("4 weeks").last), code, "oic_arrests") is None
        for code in hidden
    )
    assert rendered.attack(inputs, facts) == {}
    assert method.statement() in " ".join(rendered.pack_text(content))  # the statement of method in the notes


def test_the_attack_recovers_a_count_with_the_previous_period_rule_switched_off(db, inputs, names, monkeypatch):
    """The force map's previous period read as it was before the release (its counts in plain) and printed, as the
    pack printed it then ('4 in the previous period'): the attack pins hidden counts. (The pack now leaves the
    previous count out in wider circulation as well, a second defence; both are switched off here.)"""
    real = tables.figure

    def previous_in_plain(release, period, org, item):
        value, state = real(release, period, org, item)
        if state == tables.HIDDEN and org != NATION and period.last < release.period("4 weeks").last:
            cells, _, _ = release_cells.block(inputs, release_cells.group_of(item.code), period.last)
            return next(cell.value for cell in cells if cell.key == (period.parts[0], org, item.code)), tables.SHOWN
        return value, state

    monkeypatch.setattr(tables, "figure", previous_in_plain)
    # and the previous counts printed, as the pack printed them before ("4 in the previous period")
    monkeypatch.setattr(
        pack,
        "ranked_forces",
        lambda table, wider=False, rows=contents.RANKED_FORCES: contents.ranked_forces(table, False, rows),
    )
    found = {}
    for week in SAMPLE:
        release, content = wider_pack(db, week)
        facts, _ = rendered.force_map_facts(content, release, names)
        found |= rendered.attack(inputs, facts)
    assert found
