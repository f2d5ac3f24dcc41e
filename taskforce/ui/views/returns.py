"""The weekly returns page: load a file (preview, then commit), the completeness tracker, the audit log and
the templates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import DeletedFile

from taskforce.core.calendar import last_complete_week_ending, london_now, london_today
from taskforce.core.config import protective_marking
from taskforce.core.formats import format_date
from taskforce.measures.vocabulary import Receipt, UploadOutcome
from taskforce.returns import chasing, intake, recording, storage, validation
from taskforce.returns.templates import return_template
from taskforce.ui import data
from taskforce.ui.controls import linked_choice
from taskforce.ui.downloads import download_csv, download_file
from taskforce.ui.frame import current_user, may_record_updates
from taskforce.ui.mail_log import mail_section
from taskforce.ui.styles import RECEIPT_CELLS, styled


def render() -> None:
    st.title("Weekly returns")
    sections = {
        "Load a return": load_section,
        "Completeness": completeness_section,
        "Audit log": audit_section,
        "Templates": templates_section,
        "Mail sent": mail_section,
    }
    section = linked_choice(st.segmented_control, "Section", list(sections), key="section", default="Completeness")
    sections[section]()


def _problem_table(problems: list) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"Row": p.row, "Column": p.column, "Value": p.value, "Problem": p.message, "Kind": p.severity}
            for p in problems
        ]
    )


def load_section() -> None:
    if not may_record_updates():
        st.info("Only analysts and administrators load returns.")
        return
    st.write(
        "Load a weekly return as the long CSV (week_ending, org_code, measure_code, value) or the wide sheet "
        "from the template (CSV or Excel). Nothing is written until you confirm the preview."
    )
    upload = st.file_uploader("Return file", type=["csv", "xlsx"], key="return_file")
    if upload is None:
        if _chosen_file_is_gone():
            st.warning(FILE_GONE, icon=":material/sync_problem:")
        return
    raw = upload.getvalue()
    con = data.connection()
    checked = validation.validate(con, upload.name, raw, london_today())
    previous = recording.already_loaded(con, checked.sha256)
    if previous is not None:
        st.info(f"This file was already loaded (upload {previous}); nothing to do.")
        return
    if checked.errors:
        _refuse(checked, raw)
        return
    changes = validation.preview(con, checked.rows)
    _show_preview(changes)
    confirmed = True
    if checked.warnings:
        st.warning(f"{len(checked.warnings)} value(s) look unlikely. Check them with the organisation.")
        st.dataframe(_problem_table(checked.warnings), hide_index=True, width="stretch")
        confirmed = st.checkbox("I have checked these values and they are right", key="confirm_warnings")
    if st.button("Load these values", type="primary", disabled=not confirmed, key="commit_return"):
        if not may_record_updates():  # checked again where it writes
            st.error("Only analysts and administrators load returns.")
            return
        with data.store_change(f"loading {upload.name}") as store:
            outcome, _ = intake.load(store, upload.name, raw, current_user(), london_now(), confirm_warnings=confirmed)
        (st.success if outcome.status == UploadOutcome.COMMITTED else st.error)(outcome.message)


# Streamlit keeps an uploaded file in the memory of the server that received it. Behind nginx a session moves
# to another server when its own stops, and a server that starts again has forgotten every file.
FILE_GONE = (
    "The file you chose is no longer held by this server (your session moved to another server, or the "
    "server started again), so nothing was loaded and nothing was stored. Remove it (×) and choose the "
    "file again."
)


def _chosen_file_is_gone() -> bool:
    """True when the browser says a file was chosen and this server does not hold it."""
    return isinstance(st.session_state.get("return_file"), DeletedFile)


def _refuse(checked: validation.Validated, raw: bytes) -> None:
    """Show every problem, and record the refusal once in the audit log (raw file kept)."""
    recorded = st.session_state.setdefault("recorded_refusals", {})
    if checked.sha256 not in recorded:
        storage.keep_raw_file(raw, checked.sha256, checked.file_name)
        with data.store_change(f"recording the refusal of {checked.file_name}") as store:
            recorded[checked.sha256] = recording.record_rejection(store, checked, current_user(), london_now())
    st.error(
        f"This file cannot be loaded: {len(checked.errors)} problem(s). Nothing was written. "
        f"Send the list below to the organisation (recorded as upload {recorded[checked.sha256]})."
    )
    table = _problem_table(checked.problems)
    st.dataframe(table, hide_index=True, width="stretch")
    download_csv("Download the problems (CSV)", table, f"problems_{checked.file_name}.csv")


def _show_preview(changes: pd.DataFrame) -> None:
    counts = changes["change"].value_counts()
    st.success(
        f"The file is sound: {len(changes):,} values. New {counts.get('New', 0):,}; replacing an earlier "
        f"value {counts.get('Replaces', 0):,}; unchanged {counts.get('Unchanged', 0):,}."
    )
    by_org = (
        changes.pivot_table(index="org_name", columns="change", values="measure_code", aggfunc="count", fill_value=0)
        .reset_index()
        .rename(columns={"org_name": "Organisation"})
    )
    st.dataframe(by_org, hide_index=True, width="stretch")
    replacing = changes[changes["change"] == "Replaces"]
    if not replacing.empty:
        st.markdown("**Values that replace earlier ones** (the earlier values stay in the history)")
        st.dataframe(
            replacing[["org_name", "week_ending", "measure_code", "current_value", "new_value"]].rename(
                columns={
                    "org_name": "Organisation",
                    "week_ending": "Week ending",
                    "measure_code": "Measure",
                    "current_value": "Now",
                    "new_value": "After loading",
                }
            ),
            hide_index=True,
            width="stretch",
        )


def completeness_section() -> None:
    position = data.release().position
    week = position.chase_week
    if week is None:
        st.info("No returns have been loaded yet: there is nothing to chase.")
        return
    _chase_list(week, data.query("returns_for_week", {"week": week}))
    _exceptions_grid(week - dt.timedelta(weeks=11), week)


def _chase_list(week: dt.date, returns: pd.DataFrame) -> None:
    """The week due (the data-up-to week, never the clock's): only the returns to chase, worst first."""
    chase = chasing.chase_list(returns)
    st.subheader(f"To chase for the week ending {format_date(week)}: {len(chase)} of {len(returns)}")
    if chase.empty:
        st.success("Every return for the week is in, whole and on time.", icon=":material/check_circle:")
        return
    counts = chase["Return"].value_counts()
    st.caption(
        "Worst first: "
        + "; ".join(f"{kind.lower()} {counts.get(str(kind), 0)}" for kind in chasing.CHASE_ORDER)
        + ". Returns are due by the end of "
        "the Tuesday after the week ends."
    )
    st.dataframe(styled(chase, ["Return"], RECEIPT_CELLS), hide_index=True, width="stretch")
    download_csv("Download the list for chasing (CSV)", chase, f"returns_to_chase_{week.isoformat()}.csv")


def _exceptions_grid(first: dt.date, last: dt.date) -> None:
    """The 12 weeks to the chase week, the organisations with any missing, partial or late return only."""
    grid, all_on_time = chasing.with_exceptions(data.query("returns_grid", {"from": first, "to": last}))
    st.markdown(
        f"**Returns for the 12 weeks to {format_date(last)}**: the organisations with a missing, partial "
        f"or late return, each exception named and a blank cell on time; {all_on_time} others were on "
        "time every week (a resubmission is not chased)"
    )
    if grid.empty:
        return
    grid = grid.assign(receipt_status=grid["receipt_status"].where(grid["receipt_status"] != Receipt.ON_TIME, ""))
    table = grid.assign(week=pd.to_datetime(grid["week_ending"]).dt.date.map(format_date)).pivot_table(
        index="org_name", columns="week", values="receipt_status", aggfunc="first", sort=False
    )
    table = (
        table[[format_date(first + dt.timedelta(weeks=n)) for n in range(12)]]
        .reset_index()
        .rename(columns={"org_name": "Organisation"})
    )
    st.dataframe(
        styled(table, table.columns[1:], RECEIPT_CELLS),
        hide_index=True,
        width="stretch",
        height=36 * (len(table) + 1) + 4,
    )


def audit_section() -> None:
    log = data.query("upload_log", {"limit": 500})
    if log.empty:
        st.info("No returns have been loaded yet (the demo data is not listed).")
        return
    st.dataframe(log.drop(columns=["sha256"]), hide_index=True, width="stretch")
    download_csv("Download the audit log (CSV)", log, "upload_log.csv")
    refused = log[log["status"] == UploadOutcome.REJECTED]
    if refused.empty:
        return
    labels = {int(r.id): f"Upload {r.id}: {r.file_name} ({format_date(r.received_at)})" for r in refused.itertuples()}
    chosen = st.selectbox("Problems of a refused upload", list(labels), format_func=labels.get, key="audit_upload")
    problems = data.query("upload_problems", {"upload_id": chosen})
    st.dataframe(problems, hide_index=True, width="stretch")
    download_csv("Download these problems (CSV)", problems, f"upload_{chosen}_problems.csv")


def templates_section() -> None:
    organisations = data.query("organisations")
    owing = organisations[organisations["expected_to_return"]]
    names = dict(zip(owing["code"], owing["name"], strict=False))
    code = st.selectbox("Organisation", list(names), format_func=names.get, key="template_org")
    latest = data.release().position.data_up_to
    week = latest + dt.timedelta(weeks=1) if latest else last_complete_week_ending(london_today())
    download_file(
        f"Download the return template for {names[code]} (Excel)",
        return_template(code, names[code], week, protective_marking()),
        f"oic_return_{code}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
    )
    st.caption("One row per week, one column per measure; the second sheet defines every measure.")
