"""One caching story: a memoised figure or table is shared by every session, so nothing may change it after it
is built."""

from __future__ import annotations

import hashlib
import json
import pickle

import pandas as pd
import plotly.graph_objects as go

from taskforce.core import memo
from tests.conftest import run_page

VIEWS = [
    ("overview", {}),
    ("briefing", {"slide": "4"}),
    ("briefing", {"slide": "5"}),
    ("briefing", {"slide": "6"}),
    ("recommendations", {"view": "Recommendation", "rec": "4"}),
    ("recommendations", {"view": "Progress and forecast"}),
    ("regional", {"force": "kent"}),
    ("force", {"force": "kent"}),
    ("force", {"rocu": "ersou"}),
    ("trends", {}),
    ("partnership", {}),
    ("partnership", {"section": "Co-ordinated tasking"}),
    ("partnership", {"section": "Migrant debriefing"}),
    ("partnership", {"section": "Crime groups"}),
]


def _digest(result) -> str:
    if isinstance(result, go.Figure):
        content = json.dumps(result.to_plotly_json(), default=str, sort_keys=True).encode()
    elif isinstance(result, (pd.DataFrame, pd.Series)):
        content = pickle.dumps(result)
    else:
        content = repr(result).encode()
    return hashlib.blake2b(content, digest_size=16).hexdigest()


def _run_every_view() -> None:
    for page, query in VIEWS:
        assert not run_page(page, **query).exception


def test_no_page_changes_a_memoised_result_after_it_is_built(demo_db_path, monkeypatch):
    """Given a record of every figure and table the memo builds, taken the moment each is built,
    when every page runs twice (the second time from what the memo holds),
    then each result is still exactly as it was built."""
    built: list[tuple[object, str]] = []
    monkeypatch.setattr(memo, "BUILD_WATCHERS", [lambda result: built.append((result, _digest(result)))])
    memo.clear_all()
    _run_every_view()
    _run_every_view()
    assert len(built) > 20, "the pages should have memoised their figures"
    changed = [type(result).__name__ for result, digest in built if _digest(result) != digest]
    assert changed == []


def test_no_page_changes_a_shared_query_result(demo_db_path, monkeypatch):
    """Query results are shared by every session (one LRU per process) and handed out as shallow copies: after
    every page has run twice, each cached frame is still exactly what its query returned."""
    from taskforce.core.queries import run_query
    from taskforce.ui import data

    made: list[tuple[pd.DataFrame, str]] = []

    def recording(con, name, params=None):
        frame = run_query(con, name, params)
        made.append((frame, _digest(frame)))
        return frame

    monkeypatch.setattr(data, "run_query", recording)
    data.clear_query_cache()
    _run_every_view()
    _run_every_view()
    assert len(made) > 20
    changed = [digest for frame, digest in made if _digest(frame) != digest]
    assert changed == []


def test_a_callers_changes_to_its_copy_stay_its_own(demo_db_path):
    """The copy-on-write promise the shared cache relies on, tried the ways a page might change a frame."""
    original = pd.DataFrame({"org_code": ["kent", "essex"], "value": [1.0, 2.0]})
    digest = _digest(original)
    copy = original.copy(deep=False)
    copy["value"] = copy["value"] * 2
    copy.loc[0, "org_code"] = "sussex"
    copy.columns = ["a", "b"]
    copy.iloc[0, 1] = 99.0
    assert _digest(original) == digest
