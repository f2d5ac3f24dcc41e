"""The briefing's actions: checked, recorded with every change kept, overdue as at the data-up-to date (never the
clock), sorted for the slide, on the pack as a native table, among the overview's exceptions, and from the CLI."""

from __future__ import annotations

import datetime as dt
import io
from functools import partial

import pytest
from pptx import Presentation

from taskforce.briefing import actions, findings
from taskforce.briefing.contents import build_briefing
from taskforce.briefing.pack import build_pack
from taskforce.cli import main
from taskforce.core.db import connect
from taskforce.core.queries import run_query
from taskforce.measures.palette import ACTION_TINT, OVERDUE_TINT
from taskforce.measures.vocabulary import ActionStatus

WEEK = dt.date(2026, 11, 22)
AT = dt.datetime(2026, 11, 24, 10)
KNOWN = actions.Known(frozenset({"kent", "essex"}), frozenset({"3"}), frozenset({"kent", "essex"}))
HOSTILE = "Brief <script>alert(1)</script> **Kent**"


def _new(**changes) -> actions.NewAction:
    fields = {
        "what": "Brief the ports",
        "owner_org": "kent",
        "owner_role": "DCI Ports",
        "due_date": WEEK + dt.timedelta(days=7),
        "agreed_week": WEEK,
    } | changes
    return actions.NewAction(**fields)


def test_a_sound_action_has_no_problems():
    assert actions.action_problems(_new(follows_kind="recommendation", follows_ref="3"), KNOWN) == []
    assert actions.action_problems(_new(follows_kind="measure", follows_ref="oic_arrests"), KNOWN) == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"what": " "}, "What the action is is empty"),
        ({"owner_org": "nowhere"}, "Unknown owner organisation"),
        ({"due_date": WEEK - dt.timedelta(days=1)}, "before the week"),
        ({"follows_kind": "recommendation", "follows_ref": "99"}, "No recommendation '99'"),
        ({"follows_kind": "rumour"}, "must be one of"),
        ({"what": "x" * 501}, "the most allowed is 500"),
    ],
)
def test_each_problem_is_named(changes, words):
    assert any(words in problem for problem in actions.action_problems(_new(**changes), KNOWN))


def test_every_change_is_kept_with_who_when_before_and_after(store_without_actions):
    con = connect(store_without_actions)
    number = actions.record_action(con, _new(what=HOSTILE), "analyst@force", AT, AT.date())
    current = actions.current_action(actions.with_overdue(run_query(con, "briefing_actions"), WEEK), number)
    change = actions.ActionChange(number, ActionStatus.DONE, current["due_date"], dt.date(2026, 11, 25), "Done.")
    assert actions.change_problems(change, current) == []
    actions.update_action(con, change, current, "owner@kent", AT + dt.timedelta(days=1))
    history = run_query(con, "briefing_action_history")
    assert list(history["status_before"].fillna("")) == ["Open", ""]
    assert list(history["status_after"]) == ["Done", "Open"]
    assert list(history["changed_by"]) == ["owner@kent", "analyst@force"]
    assert run_query(con, "briefing_actions")["what"].iloc[0] == HOSTILE  # stored as typed, shown as plain text
    con.close()


def test_a_change_that_changes_nothing_is_refused():
    current = actions.with_overdue(_frame(), WEEK).iloc[0]
    change = actions.ActionChange(1, ActionStatus.OPEN, current["due_date"], WEEK, "Still on it.")
    assert any("Nothing changes" in problem for problem in actions.change_problems(change, current))


def _frame():
    import pandas as pd

    rows = [  # number, status, due, agreed, done on
        (1, "Open", WEEK - dt.timedelta(days=3), WEEK - dt.timedelta(weeks=2), None),  # overdue
        (2, "Open", WEEK + dt.timedelta(days=5), WEEK - dt.timedelta(weeks=2), None),  # due
        (3, "Open", WEEK + dt.timedelta(weeks=6), WEEK, None),  # new
        (4, "Done", WEEK, WEEK - dt.timedelta(weeks=3), WEEK - dt.timedelta(days=2)),  # done since last week
        (5, "Done", WEEK, WEEK - dt.timedelta(weeks=3), WEEK - dt.timedelta(weeks=3)),  # done long ago
        (6, "Open", WEEK + dt.timedelta(weeks=8), WEEK - dt.timedelta(weeks=4), None),  # open, due later
        (7, "Dropped", WEEK - dt.timedelta(weeks=1), WEEK - dt.timedelta(weeks=4), None),  # past due, not open
    ]
    return pd.DataFrame(
        [
            {
                "action_id": n,
                "what": f"Action {n}",
                "owner_org": "kent",
                "owner_name": "Kent Police",
                "owner_role": "DCI",
                "due_date": due,
                "follows_kind": "nothing",
                "follows_ref": None,
                "status": status,
                "agreed_week": agreed,
                "recorded_by": "a",
                "recorded_at": AT,
                "last_note_date": agreed,
                "done_on": done,
            }
            for n, status, due, agreed, done in rows
        ]
    )


def test_the_slide_puts_due_or_overdue_first_then_new_then_done_since_last_week():
    slide = actions.actions_slide(_frame(), WEEK, as_at=WEEK)
    assert list(slide.due_or_overdue["action_id"]) == [1, 2]
    assert list(slide.overdue["action_id"]) == [1]  # open and past due; the dropped one is not overdue
    assert list(slide.new["action_id"]) == [3]
    assert list(slide.done["action_id"]) == [4]
    assert slide.other_open == 1
    assert actions.finding(slide) == "1 action overdue: 1"


def test_overdue_is_as_at_the_data_up_to_date_not_the_clock():
    """The same actions a week earlier in the data: action 1 was not yet past due."""
    earlier = actions.actions_slide(_frame(), WEEK, as_at=WEEK - dt.timedelta(days=7))
    assert earlier.overdue.empty


def test_overdue_and_each_status_have_a_colour_overdue_the_red_of_recommendations():
    assert set(ACTION_TINT) == set(ActionStatus) and OVERDUE_TINT == "red"
    assert "red" not in ACTION_TINT.values()


@pytest.fixture
def briefing_with_actions(store_without_actions):
    con = connect(store_without_actions)
    overdue = actions.record_action(con, _new(what=HOSTILE, due_date=WEEK), "a", AT, AT.date())
    actions.record_action(con, _new(what="Later", due_date=WEEK + dt.timedelta(weeks=9)), "a", AT, AT.date())
    week = dt.date(2026, 11, 29)
    briefing = build_briefing(partial(run_query, con), week, 0.5, AT, status_date=week)
    con.close()
    return briefing, overdue


def test_overdue_actions_are_among_the_overviews_exceptions(briefing_with_actions):
    briefing, overdue = briefing_with_actions
    said = findings.message(briefing)
    assert f"1 action overdue: {overdue}" in [heading.finding for heading in said.exceptions]


def test_switched_off_no_overdue_action_is_no_exception(briefing_with_actions, monkeypatch):
    briefing, _ = briefing_with_actions
    monkeypatch.setattr(findings, "_any_action_overdue", lambda briefing: False)
    assert "Actions" not in [heading.topic for heading in findings.message(briefing).exceptions]


def test_the_pack_has_the_actions_as_a_native_table_in_plain_text(briefing_with_actions):
    briefing, _ = briefing_with_actions
    deck = Presentation(io.BytesIO(build_pack(briefing, "OFFICIAL-SENSITIVE")))
    last = deck.slides[len(deck.slides) - 1]
    table = next(shape.table for shape in last.shapes if shape.has_table)
    cells = [[cell.text for cell in row.cells] for row in table.rows]
    assert cells[0] == ["", "No.", "Action", "Owner", "Due", "Status"]
    assert cells[1][2] == HOSTILE and cells[1][5] == "Overdue"  # as typed: the pack is plain text
    assert "1 action overdue" in " ".join(s.text_frame.text for s in last.shapes if s.has_text_frame)


def test_the_command_line_adds_updates_and_lists(store_without_actions, capsys):
    db = ["--db", str(store_without_actions)]
    assert (
        main(
            [
                "actions",
                *db,
                "add",
                "--what",
                "Chase debriefs",
                "--owner",
                "kent",
                "--role",
                "DCI",
                "--due",
                "2026-11-20",
                "--week",
                "2026-11-15",
                "--follows",
                "force",
                "--ref",
                "kent",
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "actions",
                *db,
                "add",
                "--what",
                "x",
                "--owner",
                "nowhere",
                "--role",
                "DCI",
                "--due",
                "2026-11-23",
                "--week",
                "2026-11-22",
            ]
        )
        == 1
    )
    assert main(["actions", *db, "update", "1", "--note", "no change"]) == 1
    assert main(["actions", *db, "list"]) == 0
    listed = capsys.readouterr().out
    assert "Overdue as at 2026-11-22, the data-up-to date." in listed  # the release's date, not the clock's
    assert "1. Chase debriefs (Kent Police, DCI; due 20 Nov 2026; overdue; follows force kent)" in listed
    assert main(["actions", *db, "update", "1", "--status", "Done", "--note", "Done", "--dated", "2026-11-30"]) == 0
    assert main(["actions", *db, "list"]) == 0
    assert "due 20 Nov 2026; done;" in capsys.readouterr().out
    assert main(["actions", *db, "add", "--what", "x"]) == 2


def test_on_an_empty_store_the_list_says_none_yet(store_without_actions, capsys):
    assert main(["actions", "--db", str(store_without_actions), "list"]) == 0
    assert "No actions have been recorded yet." in capsys.readouterr().out
