"""Disclosure control for wider circulation: small counts hidden, and a second one where a total would tell."""

from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation

from taskforce.core.disclosure import SUPPRESSED, suppress


def test_counts_from_1_to_the_threshold_are_hidden_and_zero_is_not():
    table = pd.DataFrame({"force": ["a", "b", "c", "d"], "arrests": [0, 3, 4, 9]})
    shown = suppress(table, ["arrests"], threshold=4)
    assert list(shown["arrests"]) == [0, SUPPRESSED, SUPPRESSED, 9]


def test_a_lone_hidden_count_takes_the_next_smallest_with_it():
    """With the column total published, one hidden count could be worked out; so the next smallest goes too."""
    table = pd.DataFrame({"force": ["a", "b", "c", "d"], "arrests": [2, 12, 7, 30]})
    shown = suppress(table, ["arrests"])
    assert list(shown["arrests"]) == [SUPPRESSED, 12, SUPPRESSED, 30]


def test_other_columns_are_untouched():
    table = pd.DataFrame({"force": ["a"], "arrests": [2], "rate": [0.5]})
    shown = suppress(table, ["arrests"])
    assert shown["rate"].item() == 0.5 and shown["force"].item() == "a"


def test_the_pack_for_wider_circulation_says_so_and_hides_small_counts(db):
    import datetime as dt

    from taskforce.briefing.contents import build_briefing
    from taskforce.briefing.pack import build_pack
    from taskforce.core.queries import run_query
    from tests.conftest import LATEST_WEEK

    briefing = build_briefing(lambda n, p: run_query(db, n, p), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28))
    deck = Presentation(io.BytesIO(build_pack(briefing, "OFFICIAL-SENSITIVE", wider_circulation=True)))
    title = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "For wider circulation: counts from 1 to 4" in title
    table = next(s.table for s in deck.slides[3].shapes if s.has_table)
    arrests = [table.cell(row, 1).text for row in range(1, len(table.rows))]
    assert all(value == SUPPRESSED or int(value.replace(",", "")) > 4 for value in arrests)


def test_the_threshold_is_configurable(monkeypatch):
    monkeypatch.setenv("TASKFORCE_SMALL_COUNT_THRESHOLD", "9")
    table = pd.DataFrame({"arrests": [8, 10, 20]})
    assert list(suppress(table, ["arrests"])["arrests"]) == [SUPPRESSED, SUPPRESSED, 20]


def _recoverable(published: pd.DataFrame, truth: pd.DataFrame, count_columns: list[str]) -> list[str]:
    """Try to work back every hidden count from what is published with it: a column or row total less the
    visible cells (when it is the only hidden one), or a derived figure left in its row."""
    found = []
    for column in count_columns:
        hidden = published.index[published[column] == SUPPRESSED].tolist()
        if len(hidden) == 1:
            found.append(f"{column} row {hidden[0]}: column total less the others")
    if len(count_columns) > 1:
        for index, row in published.iterrows():
            hidden = [column for column in count_columns if row[column] == SUPPRESSED]
            if len(hidden) == 1:
                found.append(f"row {index}: row total less the others")
    derived = [
        column
        for column in published
        if column not in count_columns and column in truth and pd.api.types.is_numeric_dtype(truth[column])
    ]
    for index, row in published.iterrows():
        if any(row[column] == SUPPRESSED for column in count_columns):
            found += [f"row {index}: {column} left" for column in derived if row[column] != SUPPRESSED]
    return found


def test_no_hidden_count_can_be_worked_back_from_a_wider_circulation_table():
    """Given a force table of counts with derived figures (per 100,000, change, rank) and published totals,
    when it is suppressed for wider circulation, then no hidden count can be recovered by any of the attacks
    a reader could make with what is published beside it."""
    truth = pd.DataFrame(
        {
            "force": ["a", "b", "c", "d", "e", "f"],
            "arrests": [2, 30, 12, 7, 0, 45],
            "charges": [1, 14, 9, 3, 0, 20],
            "per_100k": [0.4, 2.1, 1.0, 0.9, 0.0, 3.0],
            "change": [1.0, 0.1, -0.2, 0.4, None, 0.05],
            "rank": [5, 2, 3, 4, 6, 1],
        }
    )
    published = suppress(truth, ["arrests", "charges"], derived_columns=["per_100k", "change", "rank"])
    assert (published[["arrests", "charges"]] == SUPPRESSED).any().all()
    assert _recoverable(published, truth, ["arrests", "charges"]) == []


def test_the_attack_finds_what_primary_suppression_alone_leaves_open():
    """The same attack against primary suppression only recovers counts, so the test has teeth."""
    truth = pd.DataFrame({"arrests": [2, 30, 12], "charges": [1, 14, 9], "per_100k": [0.4, 2.1, 1.0]})
    primary = truth.astype(object)
    primary.loc[0, "arrests"] = primary.loc[0, "charges"] = SUPPRESSED
    assert _recoverable(primary, truth, ["arrests", "charges"])


def test_the_wider_circulation_pack_hides_a_small_forces_change_and_merges_small_map_classes(db):
    import datetime as dt

    from taskforce.briefing.contents import build_briefing
    from taskforce.core.queries import run_query
    from taskforce.maps.areas import for_wider_circulation
    from tests.conftest import LATEST_WEEK

    briefing = build_briefing(lambda n, p: run_query(db, n, p), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28))
    table, classes = for_wider_circulation(briefing.map_table, briefing.map_classes)
    hidden = table[table["value"] == SUPPRESSED]
    assert not hidden.empty and (hidden["change_text"] == SUPPRESSED).all()
    assert classes.labels[0] == "0 to 5" and "1 to 2" not in classes.labels
