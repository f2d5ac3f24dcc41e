"""One word for each thing: the vocabulary's words are the ones the database and the pages use."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import duckdb

from taskforce.analysis.headlines import compare
from taskforce.measures.registry import measure, registry
from taskforce.measures.vocabulary import (
    RECORDED_OUTCOMES,
    REPORTABLE_STATUSES,
    Aggregation,
    Direction,
    Judgement,
    MeasureKind,
    Receipt,
    RecommendationStatus,
    Severity,
)
from taskforce.returns.files import Problem
from taskforce.store.schema import ensure_schema
from tests.conftest import LATEST_WEEK, scalar


def test_a_status_is_its_word():
    assert RecommendationStatus.ON_TRACK == "On track"
    assert f"{RecommendationStatus.OFF_TRACK}" == "Off track"


def test_an_analyst_cannot_report_no_return():
    assert RecommendationStatus.NO_RETURN not in REPORTABLE_STATUSES
    assert list(REPORTABLE_STATUSES) == [s for s in RecommendationStatus if s is not RecommendationStatus.NO_RETURN]


def test_every_status_in_the_demo_is_a_word_of_the_vocabulary(db):
    statuses = scalar(db, "select list(distinct status) from rec_update")
    assert set(statuses) <= set(RecommendationStatus)


def test_the_return_status_view_speaks_the_receipt_words(db):
    states = scalar(db, "select list(distinct receipt_status) from return_status")
    assert set(states) <= {Receipt.ON_TIME, Receipt.LATE}


def test_a_comparison_names_its_direction_and_judgement_from_the_vocabulary():
    comparison = compare(measure("oic_arrests"), 12, 10, Judgement.WITHIN)
    assert (comparison.direction, comparison.judgement) == (Direction.UP, Judgement.WITHIN)
    assert Judgement.BAD.words() == "special cause variation, concerning"


def test_each_verdict_has_a_shape_of_its_own_beside_its_words():
    """Making Data Count's states on the cards: a distinct icon and words for each, improving and concerning in
    palette colours of their own (before, the cards had words only)."""
    from taskforce.measures.palette import JUDGEMENT_TINT, TINTS

    assert len({judgement.icon() for judgement in Judgement}) == len(Judgement)
    assert len({judgement.short() for judgement in Judgement}) == len(Judgement)
    assert JUDGEMENT_TINT[Judgement.GOOD] != JUDGEMENT_TINT[Judgement.BAD]
    assert set(JUDGEMENT_TINT.values()) <= set(TINTS)


def _allowed_words(table: str, column: str) -> set[str]:
    """The words a CHECK constraint of the store's schema allows in `table.column`."""
    con = duckdb.connect()
    ensure_schema(con)
    texts = [
        row[0]
        for row in con.execute(
            "select constraint_text from duckdb_constraints() where constraint_type = 'CHECK' and table_name = $table",
            {"table": table},
        ).fetchall()
    ]
    quoted = next(text for text in texts if re.search(rf"\b{column}\b", text) and " IN " in text)
    return set(re.findall(r"'([^']*)'", quoted))


def test_the_schema_allows_exactly_the_vocabulary_words():
    """The database and the library say each word once: the CHECK lists of the schema equal the enums."""
    assert _allowed_words("measure", "kind") == set(MeasureKind)
    assert _allowed_words("measure", "aggregation") == set(Aggregation)
    assert _allowed_words("upload", "status") == set(RECORDED_OUTCOMES)
    assert _allowed_words("rec_update", "status") == set(REPORTABLE_STATUSES)


def test_the_return_status_view_can_say_only_receipt_words():
    con = duckdb.connect()
    ensure_schema(con)
    view = con.execute("select sql from duckdb_views() where view_name = 'return_status'").fetchone()
    assert view is not None
    case = re.search(r"CASE(.*?)END AS receipt_status", view[0], flags=re.S | re.I)
    assert case is not None
    words = set(re.findall(r"(?:THEN|ELSE)\s*\(?'([^']*)'", case.group(1), flags=re.I))
    assert words == {Receipt.ON_TIME, Receipt.LATE}


def test_every_measure_and_problem_speaks_the_vocabulary():
    assert all(
        isinstance(item.kind, MeasureKind) and isinstance(item.aggregation, Aggregation) for item in registry().values()
    )
    assert Problem(None, None, None, "a problem").severity is Severity.ERROR


def test_no_module_compares_a_measure_kind_or_aggregation_with_a_bare_word():
    """Measure.kind and aggregation are compared with MeasureKind and Aggregation, never a literal: a word
    spelt wrong in a comparison would be silently false."""
    root = Path(__file__).resolve().parents[2] / "taskforce"
    bare = re.compile(r"""(?<!dtype)\.(?:kind|aggregation)\s*(?:==|!=|in)\s*\(?\s*["']""")
    offenders = [
        f"{path.relative_to(root)}:{number}"
        for path in sorted(root.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if bare.search(line)
    ]
    assert offenders == []


def _receipt_words_in_queries() -> dict[str, set[str]]:
    """Every word a named query can put in a receipt_status column: a coalesce's default, or a CASE's THEN/ELSE
    literals, in an expression named `as receipt_status`."""
    queries = Path(__file__).resolve().parents[2] / "queries"
    said: dict[str, set[str]] = {}
    for path in sorted(queries.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        words = set(re.findall(r"coalesce\(\s*\w+\.receipt_status\s*,\s*'([^']*)'\s*\)", text, flags=re.I))
        for case in re.findall(r"case\b(.*?)\bend\s+as\s+receipt_status", text, flags=re.S | re.I):
            words |= set(re.findall(r"(?:then|else)\s+'([^']*)'", case, flags=re.I))
        if words:
            said[path.stem] = words
    return said


def test_the_queries_say_only_receipt_words_and_with_the_view_every_one():
    """The receipt words are written in SQL as well as in the enum: a query's 'Missing' or 'Partial' spelt
    otherwise (or a new word in the enum that no query can say) fails here."""
    said = _receipt_words_in_queries()
    assert {"returns_for_week", "returns_grid", "force_returns_record"} <= set(said)
    for name, words in said.items():
        assert words <= set(Receipt), f"{name} says {words - set(Receipt)}"
    by_the_view = {Receipt.ON_TIME, Receipt.LATE}  # test_the_return_status_view_can_say_only_receipt_words
    assert set().union(*said.values()) | by_the_view == set(Receipt)


def test_the_returns_grid_speaks_only_receipt_words(db):
    from taskforce.core.queries import run_query

    grid = run_query(db, "returns_grid", {"from": LATEST_WEEK - dt.timedelta(weeks=24), "to": LATEST_WEEK})
    assert set(grid["receipt_status"]) <= set(Receipt)
    assert {Receipt.ON_TIME, Receipt.MISSING} <= set(grid["receipt_status"])
