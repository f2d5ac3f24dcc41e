"""The statement of method is written once and said the same on About the data, in the pack's notes and in the
note on every wider CSV."""

from __future__ import annotations

from functools import partial

from taskforce.briefing import findings
from taskforce.briefing.contents import build_briefing
from taskforce.core import disclosure
from taskforce.core.queries import run_query
from taskforce.release import method
from tests.conftest import LATEST_WEEK


def test_the_statement_says_what_is_protected_how_and_what_a_reader_may_not_do():
    text = method.statement(4)
    for words in (
        "from 1 to 4",
        "secondary suppression",
        "ROCU region",
        "zero beside a hidden count",
        "nation only",
        "fixed 4-week periods",
        "per 100,000",
        "Previous periods",
        "Revisions",
        "ordered by a hidden value",
        "combine",
        "treat [c] as zero",
        "Office for National Statistics",
    ):
        assert words in text, words
    assert "http" not in text
    assert text.startswith(disclosure.note(4))  # the CSV's note line is its first sentence


def test_the_wider_packs_notes_carry_the_statement(db):
    briefing = build_briefing(partial(run_query, db), LATEST_WEEK, 0.5, None, LATEST_WEEK)
    assert all(method.statement() in note for note in findings.speaker_notes(briefing, wider=True))
    assert not any(method.statement() in note for note in findings.speaker_notes(briefing))
