"""A wider pack issued, then a late return: the figure as issued is a known cell of the week's protection, so the
late organisation's count cannot be read off the figure now less the figure as issued."""

from __future__ import annotations

import datetime as dt

from taskforce.release import protection, revisions
from taskforce.release.protection import Cell
from tests.attacks.intervals import exactly_derived

WEEK = dt.date(2026, 11, 15)


def _nation(gwent: float) -> Cell:
    return Cell(
        ("week", "nation", "oic_arrests"),
        60 + gwent,
        {("kent", "oic_arrests", WEEK): 1.0, ("gwent", "oic_arrests", WEEK): 1.0},
        level=3,
    )


def _issued(change: revisions.Change) -> revisions.IssuedFigure:
    return revisions.IssuedFigure(7, "OIC arrests", "oic_arrests", WEEK, 60.0 + (change.then or 0.0), (change,))


def _gwent_recovered(nation: Cell, hidden: set, known: list[Cell], changes: list[Cell]) -> dict:
    return exactly_derived([nation, *changes], hidden, [change.key for change in changes], known=known)


def test_a_late_return_after_an_issued_wider_pack_hides_the_figure_now():
    nation = _nation(2)
    known, changes = revisions.facts(_issued(revisions.Change("gwent", "oic_arrests", None, 2.0)), nation)
    assert known and changes
    before = protection.protect([nation])  # the issued figure not known to the protection: 62 shown
    assert _gwent_recovered(nation, before.hidden, known, changes) == {changes[0].key: 2}
    now = protection.protect([nation, *changes], fixed_hidden=[cell.key for cell in changes], known=known)
    assert nation.key in now.hidden
    assert _gwent_recovered(nation, now.hidden, known, changes) == {}


def test_a_late_return_above_the_threshold_leaves_the_figure_shown():
    nation = _nation(12)
    known, changes = revisions.facts(_issued(revisions.Change("gwent", "oic_arrests", None, 12.0)), nation)
    now = protection.protect([nation, *changes], fixed_hidden=[cell.key for cell in changes], known=known)
    assert nation.key not in now.hidden


def test_a_resubmission_is_a_change_of_its_own_variable():
    nation = _nation(5)  # Gwent resubmitted 2 as 5: a change of 3
    known, changes = revisions.facts(_issued(revisions.Change("gwent", "oic_arrests", 2.0, 5.0)), nation)
    assert [cell.value for cell in changes] == [3.0]
    now = protection.protect([nation, *changes], fixed_hidden=[cell.key for cell in changes], known=known)
    assert nation.key in now.hidden


def test_a_figure_that_is_not_the_nation_less_the_changes_is_no_fact():
    assert revisions.facts(_issued(revisions.Change("gwent", "oic_arrests", None, 2.0)), _nation(9)) == ([], [])
