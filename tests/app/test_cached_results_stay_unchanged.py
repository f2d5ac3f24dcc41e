"""One caching story: every cached result (a named query's frame, a builder's data result, a memoised figure
or table) is shared by every session, so nothing may change it after it is built. The builders are found in
the code, not listed here, so a new one is held to the rule the day it is written."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import json
import pkgutil

import pandas as pd
import plotly.graph_objects as go

import taskforce
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
# Modules that are not part of a running dashboard: importing them starts nothing a test may run.
NOT_IMPORTED = ("taskforce.__main__",)


def _content(result) -> bytes:
    """What a result holds, as bytes that differ exactly when its content does (a pickle will not do: pandas
    fills caches inside a dtype when it is first used, which changes the pickle and nothing else)."""
    if isinstance(result, go.Figure):
        return json.dumps(result.to_plotly_json(), default=str, sort_keys=True).encode()
    if isinstance(result, pd.DataFrame):
        shape = repr((list(result.columns), [str(dtype) for dtype in result.dtypes], list(result.index)))
        return shape.encode() + pd.util.hash_pandas_object(result, index=True).to_numpy().tobytes()
    if isinstance(result, pd.Series):
        return _content(result.to_frame(name=str(result.name)))
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        fields = dataclasses.fields(result)
        return b"|".join(field.name.encode() + b"=" + _content(getattr(result, field.name)) for field in fields)
    if isinstance(result, dict):
        return b"{" + b"|".join(_content(key) + b":" + _content(item) for key, item in result.items()) + b"}"
    if isinstance(result, (list, tuple)):
        return b"(" + b"|".join(_content(item) for item in result) + b")"
    if isinstance(result, bytes):
        return result
    return repr(result).encode()


def _digest(result) -> str:
    return hashlib.blake2b(_content(result), digest_size=16).hexdigest()


def every_builder() -> dict[str, memo.Results]:
    """Every cached builder of the library, found by importing every module of it: its name and its results."""
    for module in pkgutil.walk_packages(taskforce.__path__, "taskforce."):
        if module.name not in NOT_IMPORTED:
            importlib.import_module(module.name)
    named = {f"{build.__module__}.{build.__qualname__}": build.results for build in memo.builders()}
    return {name: results for name, results in named.items() if name.startswith("taskforce.")}  # not a test's own


def _run_every_view() -> None:
    for page, query in VIEWS:
        assert not run_page(page, **query).exception


def _what_no_page_builds_on_opening() -> None:
    """The data results no page builds when it opens: the pack (a click on the briefing page builds it), what
    has been revised since an issued pack (once one is issued) and how much late returns added (said only beside
    a provisional week)."""
    from taskforce.ui import data

    week = data.release().week
    assert week is not None
    for wider in (False, True):
        data.briefing_pack(week, wider)
    issued = data.issue_pack(week, False, "analyst")
    data.revised_since(issued.pack_id, week)
    data.week_revisions()


def test_every_builder_is_called_and_no_caller_changes_a_shared_result(writable_db_path, monkeypatch):
    """Given a record, taken from the cache the moment each result is kept, of every result of every cached
    builder in the library, when every page runs twice (the second time from what the caches hold) and the pack
    is built, then every builder has been called and each result is still exactly as it was built."""
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    builders = every_builder()
    kept: list[tuple[memo.Results, object, str]] = []
    keep = memo.Results.keep

    def recording(results: memo.Results, key, built) -> None:
        kept.append((results, built, _digest(built)))
        keep(results, key, built)

    monkeypatch.setattr(memo.Results, "keep", recording)
    memo.clear_all()
    _run_every_view()
    _what_no_page_builds_on_opening()
    _run_every_view()
    called = {id(results) for results, _, _ in kept}
    never = [name for name, results in builders.items() if id(results) not in called]
    assert never == [], "a cached builder no page calls: add the page (or the call) that reaches it here"
    changed = [results.builder.__qualname__ for results, result, digest in kept if _digest(result) != digest]
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
