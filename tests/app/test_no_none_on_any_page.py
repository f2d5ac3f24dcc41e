"""No raw "None" on any page (issue 26 point 5): a Python None, or a missing number, reaches a data grid as the
grey word "None" (British Transport Police's rate per 100,000 did, on Regional activity). Every text and every
cell of every table on each page, main and sidebar, is searched."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.conftest import run_page

PAGES = [
    ("overview", {}),
    ("briefing", {}),
    ("recommendations", {}),
    ("recommendations", {"view": "Force matrix"}),
    ("recommendations", {"view": "Recommendation", "rec": "4"}),
    ("regional", {}),
    ("regional", {"basis": "Per 100,000 residents", "force": "btp"}),
    ("force", {"force": "kent"}),
    ("force", {"force": "btp"}),
    ("force", {"rocu": "ersou"}),
    ("trends", {}),
    ("partnership", {}),
    ("returns", {}),
    ("about", {}),
]
TEXT_KINDS = ("title", "header", "subheader", "markdown", "caption", "text", "warning", "info", "success", "error")
RAW_NONE = re.compile(r"\bNone\b(?!\s+[a-z])")  # "None this week." is a sentence, not a missing value


def _missing_cells(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """Where a table would draw "None": a missing value, or the word itself."""
    found = []
    for column in frame.columns:
        cells = frame[column]
        blank = cells.isna() | cells.map(lambda value: isinstance(value, str) and RAW_NONE.fullmatch(value) is not None)
        found += [(str(column), int(position)) for position in blank.to_numpy().nonzero()[0]]
    return found


@pytest.mark.parametrize("page, query", PAGES, ids=[f"{page}-{'-'.join(q.values()) or 'default'}" for page, q in PAGES])
def test_no_page_says_none(demo_db_path, page, query):
    at = run_page(page, **query)
    assert not at.exception and at.title, "the page did not draw"
    texts = [str(element.value) for kind in TEXT_KINDS for element in getattr(at, kind)]
    assert [text for text in texts if RAW_NONE.search(text)] == []
    for table in [*at.dataframe, *at.table]:
        frame = table.value if isinstance(table.value, pd.DataFrame) else pd.DataFrame(table.value)
        assert _missing_cells(frame) == [], frame.columns.tolist()
