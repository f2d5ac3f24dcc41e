"""One word for each thing: the vocabulary's words are the ones the database and the pages use."""
from __future__ import annotations

from taskforce.analysis.headlines import compare
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import REPORTABLE_STATUSES, Direction, Judgement, Receipt, Status
from tests.conftest import scalar


def test_a_status_is_its_word():
    assert Status.ON_TRACK == "On track"
    assert f"{Status.OFF_TRACK}" == "Off track"


def test_an_analyst_cannot_report_no_return():
    assert Status.NO_RETURN not in REPORTABLE_STATUSES
    assert list(REPORTABLE_STATUSES) == [s for s in Status if s is not Status.NO_RETURN]


def test_every_status_in_the_demo_is_a_word_of_the_vocabulary(db):
    statuses = scalar(db, "select list(distinct status) from rec_update")
    assert set(statuses) <= set(Status)


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
