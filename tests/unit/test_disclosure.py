"""Disclosure control for wider circulation: small counts hidden, and a second one where a total would tell."""
from __future__ import annotations

import io

import pandas as pd
from pptx import Presentation

from taskforce.analysis.disclosure import SUPPRESSED, suppress


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

    from taskforce.briefing.pack import build_pack
    from taskforce.briefing.slides import build_briefing
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
