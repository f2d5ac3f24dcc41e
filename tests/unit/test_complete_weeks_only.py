"""Complete weeks only, finding by finding, on a demo built as of Monday 23 Nov 2026 (28 of 49 returns in for
the week ending 22 Nov): the briefing of that provisional week makes its year-on-year change, its ranking of
forces and its debrief rate against the target on the complete week before, and judges no headline figure and
no single force. Each test also switches its rule off and sees the finding move onto the provisional week."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from taskforce.analysis import headlines
from taskforce.analysis.overview import weekly_overview
from taskforce.briefing import contents, findings
from taskforce.core.db import connect
from taskforce.core.queries import run_query
from taskforce.demo.build import build_demo_database
from taskforce.measures.vocabulary import Judgement

MONDAY = dt.date(2026, 11, 23)
PROVISIONAL_WEEK = dt.date(2026, 11, 22)
COMPLETE_WEEK = dt.date(2026, 11, 15)
TAKEN = dt.datetime(2026, 11, 23, 9)


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    path = build_demo_database(tmp_path_factory.mktemp("monday23") / "monday.duckdb", as_of=MONDAY).path
    con = connect(path)
    yield lambda name, params: run_query(con, name, params)
    con.close()


def _briefing(runner, week: dt.date) -> contents.Briefing:
    return contents.build_briefing(runner, week, 0.5, TAKEN)


FINDINGS: dict[str, Callable[[contents.Briefing], object]] = {
    "year on year": lambda briefing: briefing.year_on_year,
    "most arrests": lambda briefing: findings.headings(briefing)[3].finding,
    "debrief rate against the target": lambda briefing: findings.headings(briefing)[5].finding,
}


def test_the_demo_s_newest_week_is_provisional(runner):
    briefing = _briefing(runner, PROVISIONAL_WEEK)
    assert briefing.overview.returns_summary.provisional
    assert not _briefing(runner, COMPLETE_WEEK).overview.returns_summary.provisional


@pytest.mark.parametrize("kind", list(FINDINGS))
def test_a_finding_of_the_provisional_week_is_made_on_the_complete_week_before(runner, kind, monkeypatch):
    finding = FINDINGS[kind]
    assert finding(_briefing(runner, PROVISIONAL_WEEK)) == finding(_briefing(runner, COMPLETE_WEEK))
    # switched off: the finding is made on the provisional week itself, and it moves
    monkeypatch.setattr(contents, "complete_week", lambda run_query, week: week)
    assert finding(_briefing(runner, PROVISIONAL_WEEK)) != finding(_briefing(runner, COMPLETE_WEEK))


def test_no_headline_figure_is_judged_in_the_provisional_week(runner, monkeypatch):
    briefing = _briefing(runner, PROVISIONAL_WEEK)
    assert {card.judgement for card in briefing.overview.cards} == {Judgement.PROVISIONAL}
    assert findings.headings(briefing)[1].finding.endswith("no change judged yet")
    monkeypatch.setattr(headlines.ReturnsSummary, "provisional", property(lambda self: False))
    assert Judgement.PROVISIONAL not in {card.judgement for card in _briefing(runner, PROVISIONAL_WEEK).overview.cards}


def _force_statements(statements: list[str]) -> list[str]:
    return [said for said in statements if "than chance explains" in said or "No single force" in said]


def test_no_single_force_is_judged_in_the_provisional_week(runner, monkeypatch):
    assert not _force_statements(weekly_overview(runner, PROVISIONAL_WEEK).statements)
    assert _force_statements(weekly_overview(runner, COMPLETE_WEEK).statements)
    monkeypatch.setattr(headlines.ReturnsSummary, "provisional", property(lambda self: False))
    assert _force_statements(weekly_overview(runner, PROVISIONAL_WEEK).statements)
