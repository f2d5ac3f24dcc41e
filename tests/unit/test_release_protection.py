"""The disclosure engine on tables whose hidden cells can be attacked by hand: each test would fail with the
rule it names switched off."""

from __future__ import annotations

import pytest

from taskforce.release.protection import Cell, Relation, protect
from tests.attacks.intervals import exactly_derived


def _region(values: dict[str, float]) -> tuple[list[Cell], list[Relation]]:
    """Forces A..n in one region R, and the nation N = R + an agency X."""
    forces = {k: v for k, v in values.items() if k != "X"}
    cells = [Cell(k, v, {k: 1}) for k, v in values.items()]
    cells.append(Cell("R", sum(forces.values()), {k: 1 for k in forces}, level=1))
    cells.append(Cell("N", sum(values.values()), {k: 1 for k in values}, level=2))
    relations = [Relation("R", tuple(forces)), Relation("N", ("R", "X"))]
    return cells, relations


def test_the_partner_of_a_hidden_count_is_above_the_threshold_so_its_range_stays_wide():
    cells, relations = _region({"A": 3, "B": 0, "C": 40, "D": 25, "E": 7, "X": 9})
    result = protect(cells, relations)
    assert result.primary == {"A"}
    assert result.hidden == {"A", "E", "B"}  # E, not the zero B, as its partner; the zero hidden beside them


def test_a_region_less_its_other_forces_does_not_give_a_hidden_force():
    cells, relations = _region({"A": 3, "B": 12, "C": 40, "D": 25, "X": 9})
    result = protect(cells, relations)
    assert result.hidden >= {"A", "B"}  # B, the smallest other force, hides A's place in the region
    assert {"C", "D", "R", "N", "X"}.isdisjoint(result.hidden)


def test_a_combination_across_relations_is_caught_by_the_rank_test():
    # Two regions share nothing but the nation: hiding A and B in region R1 leaves R1 - (shown) = A + B, safe;
    # but the nation less R2 less X gives R1 when R1 is hidden: the engine must not rely on rows alone.
    cells = [Cell(k, v, {k: 1}) for k, v in {"A": 2, "B": 9, "C": 30, "E": 50, "F": 60}.items()]
    cells += [
        Cell("R1", 41, {"A": 1, "B": 1, "C": 1}, level=1),
        Cell("R2", 110, {"E": 1, "F": 1}, level=1),
        Cell("N", 151, {"A": 1, "B": 1, "C": 1, "E": 1, "F": 1}, level=2),
    ]
    # No relations given: only the rank test protects A.
    result = protect(cells)
    shown = {cell.key for cell in cells} - result.hidden
    assert "A" in result.hidden
    assert not ({"R1", "B", "C"} <= shown)  # R1 - B - C would be A


def test_two_hidden_ones_are_not_pinned_because_a_hidden_cell_may_be_zero():
    # A and B hidden (1 and 1): R less the shown forces is 2. Were every hidden cell known to be at least 1, both
    # would be 1; the method hides zeros too (and says so), so each is anything from 0 to 2.
    cells, relations = _region({"A": 1, "B": 1, "C": 40, "D": 25, "X": 9, "E": 0})
    result = protect(cells, relations)
    assert exactly_derived(cells, result.hidden, result.primary) == {}


def test_cells_already_released_are_held_and_constrain():
    cells, relations = _region({"A": 3, "B": 12, "C": 40, "D": 25, "X": 9})
    result = protect(cells, relations, fixed_shown={"B"})
    assert "B" not in result.hidden and "A" in result.hidden
    shown = {cell.key for cell in cells} - result.hidden
    assert not ({"R", "B", "C", "D"} <= shown)


def test_a_known_fact_outside_the_table_is_taken_into_account():
    # The nation as briefed before a late return from A (A was missing: 0 then) is known: now less then is A.
    cells, relations = _region({"A": 3, "B": 12, "C": 40, "D": 25, "X": 9})
    before = Cell(("N", "as briefed"), 86, {"B": 1, "C": 1, "D": 1, "X": 1})
    result = protect(cells, relations, known=[before])
    assert "N" in result.hidden or {"B", "C", "D", "X"} & result.hidden


@pytest.mark.parametrize("threshold", [4, 9])
def test_the_threshold_is_the_largest_count_hidden(threshold):
    cells, relations = _region({"A": 5, "B": 12, "C": 40, "D": 25, "X": 9})
    assert ("A" in protect(cells, relations, threshold=threshold).primary) == (threshold >= 5)


def test_a_rate_is_shown_only_where_every_count_it_is_made_from_is_shown():
    from taskforce.measures.registry import measure
    from taskforce.release.protected import ProtectedCells

    week = ("week", "2026-11-22")
    cells = ProtectedCells(
        {
            (week, "kent", "oic_arrests"): 7.0,
            (week, "kent", "oic_charges"): None,
            (week, "essex", "oic_arrests"): 10.0,
            (week, "essex", "oic_charges"): 6.0,
        },
        4,
    )
    rate = measure("charge_rate")
    assert cells.value(week, "kent", rate) is None  # 57.1% beside 7 arrests would give 4 charges back
    assert cells.value(week, "essex", rate) == pytest.approx(0.6)
    assert cells.value(week, "surrey", rate) is None  # not in the release at all
