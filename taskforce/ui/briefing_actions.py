"""The briefing's actions on the Weekly briefing page: every action with its state as at the data-up-to date,
its history, and (for analysts and administrators) the forms that record a new one and change one. Everything
typed is shown as plain text: tables and st.text, never Markdown or HTML."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from taskforce.briefing import actions
from taskforce.briefing.contents import Briefing
from taskforce.core.calendar import london_now, london_today
from taskforce.core.formats import format_date, format_datetime
from taskforce.measures.vocabulary import ActionSource, ActionStatus
from taskforce.ui import data
from taskforce.ui.frame import current_user, may_record, may_record_updates, may_update_action_of
from taskforce.ui.styles import ACTION_CELLS, styled
from taskforce.ui.text import escape_markdown

NONE_YET = (
    "No actions have been recorded yet. Analysts record the actions the briefing agrees here, or with "
    "`python -m taskforce actions add`."
)


def actions_section(briefing: Briefing) -> None:
    """The actions and their history, then the forms."""
    st.subheader("Actions agreed at the briefing")
    as_at = briefing.actions.as_at if briefing.actions else briefing.week_ending
    table = actions.with_overdue(data.query("briefing_actions"), as_at)
    if table.empty:
        st.info(NONE_YET)
    else:
        st.caption(f"Overdue: open and past its due date as at {format_date(as_at)}, the data-up-to date.")
        st.dataframe(
            styled(action_listing(table), ["Status"], ACTION_CELLS),
            hide_index=True,
            width="stretch",
            key="actions_table",
        )
        with st.expander("Every change to the actions (who, when, before, after)"):
            st.dataframe(
                _history(data.query("briefing_action_history")), hide_index=True, width="stretch", key="actions_history"
            )
    if may_record_updates():
        _record_form(briefing)
    updatable = table[[may_update_action_of(str(owner)) for owner in table["owner_org"]]] if not table.empty else table
    if not updatable.empty:
        _update_form(updatable, briefing.week_ending)


def action_listing(table: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "No.": table["action_id"].astype(int),
            "Action": table["what"],
            "Owner": table["owner_name"],
            "Role or person": table["owner_role"],
            "Due": [format_date(day) for day in table["due_date"]],
            "Status": [actions.state_words(row) for row in table.itertuples()],
            "Follows from": [
                ("" if kind == ActionSource.NOTHING else f"{kind} {ref}")
                for kind, ref in zip(table["follows_kind"], table["follows_ref"], strict=True)
            ],
            "Agreed": [f"week ending {format_date(day)}" for day in table["agreed_week"]],
        }
    )


def _history(history: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "No.": history["action_id"].astype(int),
            "Action": history["what"],
            "Dated": [format_date(day) for day in history["note_date"]],
            "Note": history["note"],
            "Before": [
                _state(status, due) for status, due in zip(history["status_before"], history["due_before"], strict=True)
            ],
            "After": [
                _state(status, due) for status, due in zip(history["status_after"], history["due_after"], strict=True)
            ],
            "By": history["changed_by"],
            "When": [format_datetime(moment) for moment in history["changed_at"]],
        }
    )


def _state(status, due) -> str:
    return "" if status is None or pd.isna(status) else f"{status}, due {format_date(due)}"


def _known(briefing: Briefing) -> actions.Known:
    organisations = data.query("organisations")
    forces = organisations[organisations["type"] == "force"]
    numbers = briefing.overview.recommendations["number"]
    return actions.Known(
        frozenset(organisations["code"]), frozenset(str(int(n)) for n in numbers), frozenset(forces["code"])
    )


def _record_form(briefing: Briefing) -> None:
    organisations = data.query("organisations")
    names = dict(zip(organisations["code"], organisations["name"], strict=True))
    with st.form("record_action", clear_on_submit=True, enter_to_submit=False):
        st.markdown("#### Record an action")
        what = st.text_input("Action", max_chars=actions.MAXIMUM_TEXT, key="action_what")
        left, middle, right = st.columns(3)
        owner = left.selectbox("Owner organisation", list(names), format_func=names.get, key="action_owner")
        role = middle.text_input("Owner's role or name", max_chars=actions.MAXIMUM_TEXT, key="action_role")
        due = right.date_input(
            "Due", value=briefing.week_ending + dt.timedelta(weeks=2), format="DD/MM/YYYY", key="action_due"
        )
        kind = left.selectbox("Follows from", [str(source) for source in ActionSource], key="action_follows")
        ref = middle.text_input("Which (recommendation number, measure code or force code)", key="action_ref")
        submitted = st.form_submit_button("Record the action", type="primary")
    if submitted:
        _record(
            actions.NewAction(what or "", owner, role or "", due, briefing.week_ending, kind, ref or ""),
            _known(briefing),
        )


def _record(action: actions.NewAction, known: actions.Known) -> None:
    if not may_record(actions.action_problems(action, known), "action"):
        return
    with data.store_change("recording a briefing action") as store:
        number = actions.record_action(store, action, current_user(), london_now(), london_today())
    st.success(f"Recorded action {number}.")


def _update_form(table: pd.DataFrame, week: dt.date) -> None:
    labels = {int(row.action_id): f"{int(row.action_id)}. {row.what}" for row in table.itertuples()}
    with st.form("update_action", clear_on_submit=True, enter_to_submit=False):
        st.markdown("#### Update an action")
        if not may_record_updates():
            st.caption("You can update the actions your organisation owns.")
        chosen = st.selectbox("Action", list(labels), format_func=labels.get, key="update_action_id")
        current = actions.current_action(table, int(chosen))
        left, middle, right = st.columns(3)
        statuses = [str(status) for status in ActionStatus]
        status = left.selectbox("Status", statuses, key="update_action_status")
        due = middle.date_input(
            "Due", value=None, format="DD/MM/YYYY", key="update_action_due", help="Leave empty to keep the due date."
        )
        dated = right.date_input("Note dated", value=london_today(), format="DD/MM/YYYY", key="update_action_dated")
        note = st.text_area("Note", max_chars=actions.MAXIMUM_NOTE, key="update_action_note")
        submitted = st.form_submit_button("Record the change", type="primary")
    if not submitted or current is None:
        return
    change = actions.ActionChange(int(chosen), status, due or current["due_date"], dated, note or "")
    problems = actions.change_problems(change, current)
    if problems:
        st.error("The change was not recorded:\n\n" + "\n".join(f"- {escape_markdown(p)}" for p in problems))
        return
    if not may_update_action_of(str(current["owner_org"])):
        st.error("Only the action's owner, an analyst or an administrator can change it.")
        return
    with data.store_change(f"changing briefing action {chosen}") as store:
        actions.update_action(store, change, current, current_user(), london_now())
    st.success(f"Recorded: action {chosen} is now {status.lower()}.")


def actions_before_any_briefing() -> None:
    """On a store with no returns yet: the actions recorded from the command line, or that there are none yet."""
    st.subheader("Actions agreed at the briefing")
    table = data.query("briefing_actions")
    if table.empty:
        st.info(NONE_YET)
        return
    st.caption("No returns yet, so no action is judged overdue (overdue is as at the data-up-to date).")
    st.dataframe(action_listing(actions.with_overdue(table, dt.date.min)), hide_index=True, width="stretch")
