"""The briefing archive on the page: issuing a week's pack, every issued pack for download, and what has been
revised since each was briefed."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from taskforce.briefing import issued_packs
from taskforce.core.formats import format_date, format_datetime
from taskforce.store.pack_key import PackKeyProblem
from taskforce.ui import data
from taskforce.ui.downloads import download_file, wider_circulation
from taskforce.ui.frame import current_user, may_record_updates

PACK_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def issue_control(week: dt.date, wider: bool) -> None:
    """For analysts and administrators: issue this week's pack, after saying what issuing does."""
    if not may_record_updates():
        return
    with st.popover("Issue the pack", icon=":material/verified:"):
        st.markdown(
            f"Issue the pack for the week ending **{format_date(week)}**"
            + (" **for wider circulation**" if wider else "")
            + ". The file is stored exactly as sent, "
            "with your name, the time, its checksum and the data it was built from, and listed in the "
            "Briefing archive below. Issuing the week again keeps both, numbered."
        )
        if data.weekly_briefing(week, wider).overview.returns_summary.provisional:
            st.warning("This week is provisional: fewer than 90% of returns are in.", icon=":material/schedule:")
        if st.button("Issue now", type="primary", key="issue_pack"):
            try:
                pack = data.issue_pack(week, wider, current_user())
            except PackKeyProblem as problem:
                st.error(str(problem), icon=":material/key_off:")
                return
            st.success(f"Issued: {pack.label}. SHA-256 {pack.sha256[:16]}…", icon=":material/verified:")


def revision_flag(week: dt.date) -> str | None:
    """One line when the newest issued pack of this week has figures that have changed since, else None."""
    issued = data.latest_issue(week)
    if issued is None:
        return None
    revised = data.revised_since(int(issued["pack_id"]), week, wider_circulation())
    if revised.empty:
        return None
    changes = "; ".join(f"{row['Figure']} {row['As briefed']} → {row['Now']}" for _, row in revised.iterrows())
    return (
        f"Revised since briefed (issue {issued['issue_number']}, {format_datetime(issued['issued_at'])}): "
        f"{changes}. The Briefing archive says why."
    )


def archive_section() -> None:
    """Every issued pack, newest first; the chosen one to download, with what has been revised since."""
    st.subheader("Briefing archive")
    packs = data.query("issued_packs")
    if packs.empty:
        st.caption(
            "No pack has been issued yet. An analyst issues the week's pack with **Issue the pack** "
            "above, or on a schedule with `python -m taskforce export-briefing --week ... --issue`."
        )
        return
    listing = pd.DataFrame(
        {
            "Week ending": [format_date(day) for day in packs["week_ending"]],
            "Issue": packs["issue_number"],
            "Issued": [format_datetime(moment) for moment in packs["issued_at"]],
            "Issued by": packs["issued_by"],
            "Circulation": ["Wider" if wider else "Taskforce" for wider in packs["wider_circulation"]],
            "Week": ["Provisional" if provisional else "Complete" for provisional in packs["provisional"]],
            "Built from": [f"uploads to no. {upload}" for upload in packs["last_upload_id"]],
            "SHA-256": [checksum[:16] + "…" for checksum in packs["sha256"]],
        }
    )
    chosen = st.dataframe(
        listing, hide_index=True, on_select="rerun", selection_mode="single-row", key="archive_table", width="stretch"
    )
    rows = chosen.selection.rows if chosen else []
    _one_pack(packs.iloc[rows[0] if rows else 0])


def _checked_file(pack: pd.Series) -> issued_packs.IssuedFile | None:
    """The pack's file once its checksum and seal hold; otherwise None, having said plainly why it is not offered."""
    try:
        return data.issued_file(int(pack["pack_id"]))
    except issued_packs.PackAltered:
        st.error(
            f"This pack has been altered since it was issued on {format_datetime(pack['issued_at'])}; it is "
            "not offered for download.",
            icon=":material/gpp_bad:",
        )
    except (issued_packs.PackKeyMissing, PackKeyProblem) as missing:
        st.error(str(missing), icon=":material/key_off:")
    return None


def _one_pack(pack: pd.Series) -> None:
    week = pd.Timestamp(pack["week_ending"]).date()
    label = f"week ending {format_date(week)}, issue {pack['issue_number']}"
    issued = _checked_file(pack)
    if issued is None:
        return
    download_file(
        f"Download the pack as issued ({label})",
        issued.content,
        issued.name,
        PACK_MIME,
        icon=":material/download:",
        key="archived_pack",
    )
    proof = (
        "its SHA-256 and its seal checked on download"
        if issued.sealed
        else "its SHA-256 checked on download; issued before packs were sealed, it cannot be verified beyond its hash"
    )
    st.caption(f"SHA-256 {pack['sha256']} ({proof}). Built from every upload up to no. {pack['last_upload_id']}.")
    revised = data.revised_since(int(pack["pack_id"]), week, wider_circulation())
    if revised.empty:
        st.markdown(f"**Revised since briefing ({label}):** nothing. Every figure stands as briefed.")
        return
    st.markdown(
        f"**Revised since briefing ({label}):** figures that have changed because returns arrived late "
        "or were resubmitted."
    )
    st.dataframe(
        revised, hide_index=True, width="stretch", column_config={"Why": st.column_config.TextColumn(width="large")}
    )
