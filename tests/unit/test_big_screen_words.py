"""The big screen and the pack say counts as people say them and keep one kind of figure per column: the force
map's table never sets '-8%' beside '4 in the previous period', and returns are never '0 of 49 not received'."""

from __future__ import annotations

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation

from taskforce.analysis.headlines import ReturnsSummary
from taskforce.briefing import findings
from taskforce.briefing.contents import SMALL_BASE_WORDS, build_briefing, ranked_forces
from taskforce.briefing.pack import build_pack
from taskforce.core.queries import run_query
from tests.conftest import LATEST_WEEK

PERCENT = re.compile(r"^[+-]\d+%$")


def _summary(complete: int, missing: int = 0, late: int = 0, partial: int = 0) -> ReturnsSummary:
    return ReturnsSummary(
        complete=complete,
        expected=49,
        on_time=complete - late,
        late=late,
        missing=[f"Force {n}" for n in range(missing)],
        partial=[f"Partial {n}" for n in range(partial)],
    )


@pytest.mark.parametrize(
    ("summary", "said"),
    [
        (_summary(49), "all 49 returns complete"),
        (_summary(45, missing=4), "45 of 49 returns complete: 4 missing"),
        (_summary(44, missing=4, partial=1), "44 of 49 returns complete: 4 missing and 1 partial"),
    ],
)
def test_returns_are_said_as_people_say_them(summary, said):
    assert findings.returns_words(summary) == said


def test_timeliness_never_says_zero_late():
    assert findings.timeliness_words(_summary(49)) == "all on time"
    assert findings.timeliness_words(_summary(49, late=2)) == "47 on time and 2 late"


def test_the_ranked_table_has_one_kind_of_change_per_column():
    table = pd.DataFrame(
        {
            "area_name": ["A", "B", "C"],
            "rank": [1, 2, 3],
            "value": [27.0, 11.0, 5.0],
            "previous": [23.0, 4.0, np.nan],
            "change": [27 / 23 - 1, np.nan, np.nan],
        }
    )
    listed = ranked_forces(table)
    assert list(listed.columns) == ["Force", "Arrests", "Previous 4 weeks", "Change"]
    assert listed["Change"].tolist() == ["+17%", SMALL_BASE_WORDS, "no comparison"]
    assert listed["Previous 4 weeks"].tolist() == ["23", "4", "no figure"]
    assert "Previous 4 weeks" not in ranked_forces(table, wider=True).columns  # small previous counts unprotected


@pytest.fixture(scope="module")
def deck(db) -> Presentation:
    briefing = build_briefing(
        lambda name, params: run_query(db, name, params), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9, 30)
    )
    return Presentation(io.BytesIO(build_pack(briefing, "OFFICIAL-SENSITIVE")))


def test_the_packs_force_table_keeps_one_kind_of_change_per_column(deck):
    tables = [shape.table for shape in deck.slides[3].shapes if shape.has_table]
    assert tables, "the force map slide has its table"
    rows = [[cell.text for cell in row.cells] for row in tables[0].rows]
    change = rows[0].index("Change")
    for row in rows[1:]:
        assert PERCENT.match(row[change]) or row[change] in (SMALL_BASE_WORDS, "no comparison"), row
        assert "previous period" not in " ".join(row)


def test_the_pack_never_says_zero_of_or_not_received(deck):
    for slide in deck.slides:
        text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert not re.search(r"\b0 of \d+", text) and "not received" not in text and "0 late" not in text, text
