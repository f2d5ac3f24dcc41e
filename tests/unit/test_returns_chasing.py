"""The returns chase list: exceptions only, worst first, with the contact when the reference data has one."""

from __future__ import annotations

import pandas as pd

from taskforce.returns import chasing
from taskforce.store.reference import organisations


def _returns(contacts: list[str | None]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org_name": ["Avon", "Kent", "Essex", "Dorset", "Gwent"],
            "receipt_status": ["Late", "On time", "Missing", "On time", "Missing"],
            "complete": [True, True, False, False, False],
            "measures_returned": [20, 20, 0, 7, 0],
            "returns_contact": contacts,
        }
    )


def test_only_the_exceptions_worst_first_then_by_name():
    """Missing (Essex, Gwent), then partial (Dorset), then late (Avon); Kent, in on time and whole, is not on it."""
    chase = chasing.chase_list(_returns([None] * 5))
    assert chase["Organisation"].tolist() == ["Essex", "Gwent", "Dorset", "Avon"]
    assert chase["Return"].tolist() == ["Missing", "Missing", "Partial", "Late"]
    assert "Contact" not in chase.columns  # none named: no empty column


def test_the_contact_column_appears_once_the_reference_data_names_one():
    chase = chasing.chase_list(_returns([None, None, "returns@essex.police.uk", None, ""]))
    assert chase["Contact"].tolist() == ["returns@essex.police.uk", "", "", ""]


def test_the_reference_data_has_a_returns_contact_for_every_organisation_that_owes_a_return():
    table = organisations()
    assert "returns_contact" in table.columns
    assert table.loc[table["expected_to_return"], "returns_contact"].isna().all()  # empty until it is filled


def test_the_grid_keeps_only_organisations_with_an_exception_and_counts_the_rest():
    grid = pd.DataFrame(
        {
            "org_code": ["a", "a", "b", "b", "c", "c"],
            "receipt_status": ["On time", "Late", "On time", "Resubmitted", "On time", "On time"],
        }
    )
    flagged, all_on_time = chasing.with_exceptions(grid)
    assert flagged["org_code"].unique().tolist() == ["a"] and all_on_time == 2
