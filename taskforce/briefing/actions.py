"""The actions agreed at the weekly briefing: recorded, checked, changed with a dated note, and every change kept
(who, when, before, after), like the recommendation reports (recommendations/reports.py). Overdue is an open
action past its due date as at the data-up-to date (release.position), never the clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from taskforce.core.db import bump_data_version, single, transaction
from taskforce.core.formats import format_date, join_words, plural
from taskforce.measures.registry import registry
from taskforce.measures.vocabulary import ActionSource, ActionStatus

MAXIMUM_TEXT = 500
MAXIMUM_NOTE = 2000
DUE_WITHIN = dt.timedelta(days=7)  # "due": open and due before the next week's briefing
COLUMNS = [
    "action_id",
    "what",
    "owner_org",
    "owner_name",
    "owner_role",
    "due_date",
    "follows_kind",
    "follows_ref",
    "status",
    "agreed_week",
    "recorded_by",
    "recorded_at",
    "last_note_date",
    "done_on",
]


@dataclass(frozen=True)
class NewAction:
    what: str
    owner_org: str  # an organisation's code from the reference data
    owner_role: str  # a named role or person
    due_date: dt.date
    agreed_week: dt.date  # the week ending of the briefing that agreed it
    follows_kind: str = ActionSource.NOTHING
    follows_ref: str = ""  # a recommendation's number, a measure's code or a force's code


@dataclass(frozen=True)
class ActionChange:
    action_id: int
    status: str
    due_date: dt.date
    note_date: dt.date
    note: str


@dataclass(frozen=True)
class Known:
    """What an action may name: the organisations, the recommendations' numbers, the forces' codes."""

    organisations: frozenset[str]
    recommendations: frozenset[str]
    forces: frozenset[str]


def _text_problems(label: str, text: str, most: int) -> list[str]:
    if not text.strip():
        return [f"{label} is empty."]
    return [f"{label} is {len(text):,} characters; the most allowed is {most:,}."] if len(text) > most else []


def _follows_problems(kind: str, ref: str, known: Known) -> list[str]:
    kinds = [str(source) for source in ActionSource]
    if kind not in kinds:
        return [f"What it follows from must be one of: {', '.join(kinds)}."]
    allowed = {
        ActionSource.RECOMMENDATION: known.recommendations,
        ActionSource.FORCE: known.forces,
        ActionSource.MEASURE: frozenset(registry()),
    }.get(ActionSource(kind))
    if allowed is None:
        return ["An action that follows from nothing names nothing it follows from."] if ref.strip() else []
    return [] if ref.strip() in allowed else [f"No {kind} {ref.strip()!r} is known."]


def action_problems(action: NewAction, known: Known) -> list[str]:
    """Everything wrong with a new action, in words an analyst can act on (empty when it is fine)."""
    problems = _text_problems("What the action is", action.what, MAXIMUM_TEXT)
    problems += _text_problems("The owner's role or name", action.owner_role, MAXIMUM_TEXT)
    if action.owner_org not in known.organisations:
        problems.append(f"Unknown owner organisation {action.owner_org!r}.")
    if action.due_date < action.agreed_week:
        problems.append(f"The due date {format_date(action.due_date)} is before the week it was agreed in.")
    return problems + _follows_problems(action.follows_kind, action.follows_ref, known)


def change_problems(change: ActionChange, current: pd.Series | None) -> list[str]:
    """Everything wrong with a change to an action (empty when it is fine)."""
    if current is None:
        return [f"No action {change.action_id} has been recorded."]
    problems = _text_problems("The note", change.note, MAXIMUM_NOTE)
    statuses = [str(status) for status in ActionStatus]
    if change.status not in statuses:
        problems.append(f"Status must be one of: {', '.join(statuses)}.")
    if change.status == current["status"] and change.due_date == _as_date(current["due_date"]):
        problems.append("Nothing changes: give a new status or a new due date with the note.")
    return problems


def record_action(
    con: duckdb.DuckDBPyConnection, action: NewAction, recorded_by: str, recorded_at: dt.datetime, note_date: dt.date
) -> int:
    """Append a new open action and its first change (nothing before it), and bump the data version, atomically.
    The caller has checked `action_problems` and the user's role. Returns the action's number."""
    with transaction(con) as cursor:
        row = cursor.execute(
            """insert into briefing_action (what, owner_org, owner_role, due_date, follows_kind, follows_ref, status,
                                            agreed_week, recorded_by, recorded_at)
               values ($what, $org, $role, $due, $kind, $ref, $status, $week, $by, $at) returning action_id""",
            {
                "what": action.what.strip(),
                "org": action.owner_org,
                "role": action.owner_role.strip(),
                "due": action.due_date,
                "kind": str(action.follows_kind),
                "ref": action.follows_ref.strip() or None,
                "status": str(ActionStatus.OPEN),
                "week": action.agreed_week,
                "by": recorded_by,
                "at": recorded_at,
            },
        ).fetchone()
        action_id = int(single(row)[0])
        _append_change(
            cursor,
            ActionChange(action_id, ActionStatus.OPEN, action.due_date, note_date, "Agreed."),
            None,
            recorded_by,
            recorded_at,
        )
        bump_data_version(cursor)
    return action_id


def update_action(
    con: duckdb.DuckDBPyConnection, change: ActionChange, current: pd.Series, changed_by: str, changed_at: dt.datetime
) -> None:
    """Change an action's status or due date with a dated note; the change (before and after) is appended."""
    with transaction(con) as cursor:
        cursor.execute(
            "update briefing_action set status = $status, due_date = $due where action_id = $id",
            {"status": str(change.status), "due": change.due_date, "id": change.action_id},
        )
        _append_change(cursor, change, current, changed_by, changed_at)
        bump_data_version(cursor)


def _append_change(cursor, change: ActionChange, before: pd.Series | None, by: str, at: dt.datetime) -> None:
    cursor.execute(
        """insert into briefing_action_change (action_id, changed_by, changed_at, note_date, note, status_before,
                                               status_after, due_before, due_after)
           values ($id, $by, $at, $note_date, $note, $status_before, $status_after, $due_before, $due_after)""",
        {
            "id": change.action_id,
            "by": by,
            "at": at,
            "note_date": change.note_date,
            "note": change.note.strip(),
            "status_before": None if before is None else str(before["status"]),
            "status_after": str(change.status),
            "due_before": None if before is None else _as_date(before["due_date"]),
            "due_after": change.due_date,
        },
    )


def current_action(actions: pd.DataFrame, action_id: int) -> pd.Series | None:
    found = actions[actions["action_id"] == action_id]
    return None if found.empty else found.iloc[0]


def _as_date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value


def with_overdue(actions: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """The actions with `overdue`: open and due before `as_at` (the data-up-to date)."""
    table = actions.copy() if not actions.empty else pd.DataFrame(columns=COLUMNS)
    for column in ("due_date", "agreed_week", "last_note_date", "done_on"):
        table[column] = [_as_date(value) for value in table[column]]
    table["overdue"] = pd.Series(
        [
            status == ActionStatus.OPEN and due < as_at
            for status, due in zip(table["status"], table["due_date"], strict=True)
        ],
        index=table.index,
        dtype=bool,
    )
    return table


def state_words(row) -> str:
    """'Overdue' for an open action past due, else its status."""
    return "Overdue" if row.overdue else str(row.status)


@dataclass(frozen=True)
class ActionsSlide:
    """The briefing's actions for a week, as at its data-up-to date: due or overdue first, then those agreed at
    this week's briefing, then those done since last week's, and how many others are still open."""

    as_at: dt.date
    due_or_overdue: pd.DataFrame
    new: pd.DataFrame
    done: pd.DataFrame
    other_open: int

    @property
    def overdue(self) -> pd.DataFrame:
        return self.due_or_overdue[self.due_or_overdue["overdue"]]

    @property
    def empty(self) -> bool:
        return self.due_or_overdue.empty and self.new.empty and self.done.empty and not self.other_open


def actions_slide(actions: pd.DataFrame, week: dt.date, as_at: dt.date) -> ActionsSlide:
    """Sort the actions into the slide's three groups. "Since last week" is after the previous week's end;
    an action is listed once, in the first group it belongs to."""
    table = with_overdue(actions, as_at)
    since = week - dt.timedelta(weeks=1)
    is_open = table["status"] == ActionStatus.OPEN
    due = is_open & _each(table["due_date"], lambda day: day <= as_at + DUE_WITHIN)
    new = ~due & _each(table["agreed_week"], lambda day: day > since)
    done = (table["status"] == ActionStatus.DONE) & _each(table["done_on"], lambda day: bool(day and day > since))
    done &= ~new
    return ActionsSlide(
        as_at=as_at,
        due_or_overdue=table[due].sort_values(["due_date", "action_id"]),
        new=table[new],
        done=table[done],
        other_open=int((is_open & ~due & ~new).sum()),
    )


def _each(column: pd.Series, test) -> pd.Series:
    return pd.Series([bool(test(value)) for value in column], index=column.index, dtype=bool)


def action_line(row) -> str:
    """One action in plain words (never Markdown or HTML: callers escape or write it as plain text)."""
    follows = "" if row.follows_kind == ActionSource.NOTHING else f"; follows {row.follows_kind} {row.follows_ref}"
    return (
        f"{row.action_id}. {row.what} ({row.owner_name}, {row.owner_role}; due {format_date(row.due_date)}; "
        f"{state_words(row).lower()}{follows})"
    )


def finding(slide: ActionsSlide | None) -> str:
    """The Actions slide's title."""
    if slide is None or slide.empty:
        return "No actions recorded yet"
    overdue = slide.overdue
    if not overdue.empty:
        numbers = join_words([str(n) for n in sorted(int(n) for n in overdue["action_id"])])
        return f"{plural(len(overdue), 'action')} overdue: {numbers}"
    return (
        f"No action overdue; {len(slide.due_or_overdue)} due this week, {len(slide.new)} new, "
        f"{len(slide.done)} done since last week"
    )


def slide_sections(slide: ActionsSlide | None) -> list[tuple[str, list[str]]]:
    """The slide's three lists with their headings, the same on the screen and in the pack."""
    if slide is None or slide.empty:
        return [("Actions", ["No actions have been recorded yet."])]
    sections = [
        ("Due or overdue", [action_line(r) for r in slide.due_or_overdue.itertuples()]),
        ("New this week", [action_line(r) for r in slide.new.itertuples()]),
        ("Done since last week", [action_line(r) for r in slide.done.itertuples()]),
    ]
    sections = [(heading, lines or ["None."]) for heading, lines in sections]
    if slide.other_open:
        sections.append(("Still open, due later", [f"{plural(slide.other_open, 'action')}."]))
    return sections


def pack_table(slide: ActionsSlide | None) -> pd.DataFrame:
    """The pack's native table: one row per action on the slide, grouped as on the screen."""
    rows = []
    if slide is not None:
        for group, frame in (
            ("Due or overdue", slide.due_or_overdue),
            ("New", slide.new),
            ("Done since last week", slide.done),
        ):
            rows += [
                {
                    "": group,
                    "No.": str(int(r.action_id)),
                    "Action": str(r.what),
                    "Owner": f"{r.owner_name}, {r.owner_role}",
                    "Due": format_date(r.due_date),
                    "Status": state_words(r),
                }
                for r in frame.itertuples()
            ]
    return pd.DataFrame(rows, columns=["", "No.", "Action", "Owner", "Due", "Status"])
