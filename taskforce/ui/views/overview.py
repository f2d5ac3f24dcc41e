"""The weekly overview, the briefing's home page: headline cards, what changed, returns and recommendations."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from taskforce.analysis.headlines import card_numbers, default_week, status_counts
from taskforce.analysis.overview import WeeklyOverview
from taskforce.core.formats import format_date
from taskforce.measures.vocabulary import REPORTABLE_STATUSES
from taskforce.ui import data
from taskforce.ui.cards import headline_card, status_tag
from taskforce.ui.controls import week_selector
from taskforce.ui.downloads import download_csv, wider_circulation
from taskforce.ui.text import escape_markdown, markdown_table


def render() -> None:
    reporting = data.query("reporting_weeks")
    week = default_week(reporting)
    if week is None:
        st.title("Weekly overview")
        st.info("No weekly returns have been loaded yet. Load returns on *Weekly returns* or with "
                "`python -m taskforce ingest`.")
        return
    weeks = [w.date() if hasattr(w, "date") else w for w in reporting["week_ending"]]
    heading, chooser = st.columns([3, 1], vertical_alignment="bottom")
    with chooser:
        week = week_selector(weeks, default=week)
    overview = data.weekly_overview(week)
    with heading:
        _heading(overview)
    _cards(overview)
    _changes_and_returns(overview)
    _recommendations(overview)


def _heading(overview: WeeklyOverview) -> None:
    returns = overview.returns_summary
    st.title("Weekly overview")
    st.caption(
        f"Week ending {format_date(overview.week_ending)} (Monday to Sunday). National totals of the "
        f"{returns.received} complete returns received of {returns.expected} expected. Definitions of every "
        "measure, and how normal variation is judged, are on *About the data*."
    )
    if returns.provisional:
        st.warning(f"**{returns.provisional_words()}.** The week's figures will rise as returns arrive, so no "
                   "change in them is called good or bad yet.", icon=":material/hourglass_top:")


def _cards(overview: WeeklyOverview) -> None:
    for row_start in range(0, len(overview.cards), 3):
        for column, card in zip(st.columns(3), overview.cards[row_start:row_start + 3], strict=False):
            with column:
                headline_card(card)
    download_csv("Download the numbers behind the cards (CSV)", card_numbers(overview.cards),
                 f"headline_measures_week_ending_{overview.week_ending.isoformat()}.csv")


def _changes_and_returns(overview: WeeklyOverview) -> None:
    returns = overview.returns_summary
    changed, received = st.columns([3, 2])
    with changed:
        st.subheader("What changed this week")
        chosen = overview.wider_statements if wider_circulation() else overview.statements
        st.markdown("\n".join(f"- {escape_markdown(statement)}" for statement in chosen))
    with received:
        st.subheader("Returns this week")
        st.metric("Returns received", f"{returns.received} of {returns.expected}",
                  help="Forces and partner agencies that owe a weekly return. Due by the end of the Tuesday after "
                       "the week ends.")
        st.caption(f"On time: {returns.on_time}. Late: {returns.late}. Not received: {len(returns.missing)}.")
        if returns.missing:
            st.markdown("**Not received:** " + escape_markdown(", ".join(returns.missing)))


def _recommendations(overview: WeeklyOverview) -> None:
    st.subheader("Recommendations")
    recommendations = overview.recommendations
    counts = status_counts(recommendations)
    overdue = recommendations[recommendations["overdue"]]
    for column, status in zip(st.columns(len(REPORTABLE_STATUSES) + 1), REPORTABLE_STATUSES, strict=False):
        with column:
            st.metric(status, counts[status])
            status_tag(status)
    st.caption(
        f"Status of the {len(recommendations)} HMICFRS recommendations in the latest report on or before "
        f"{format_date(overview.week_ending)}. Overdue (past the due date and not complete): {len(overdue)}."
    )
    if recommendations["illustrative"].any():
        st.caption("The recommendation titles are illustrative, written from the published themes, until the "
                   "official wording is loaded.")
    st.markdown(markdown_table(pd.DataFrame({
        "No.": recommendations["number"],
        "Recommendation": recommendations["short_title"],
        "Owner": recommendations["owner"],
        "Status": recommendations["status"],
        "Complete": [f"{value:.0f}%" for value in recommendations["percent_complete"]],
        "Due": [format_date(day) for day in recommendations["due_date"]],
        "Overdue": recommendations["overdue"].map({True: "Overdue", False: ""}),
        "Last update": [format_date(day) if pd.notna(day) else "" for day in recommendations["last_update"]],
    })))
    st.caption("Every recommendation, with filters, milestones and its history, is on *Recommendations*.")

