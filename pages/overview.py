"""Weekly overview: the home page of the weekly briefing."""
import streamlit as st

from taskforce.formatting import format_date
from taskforce.overview import STATUS_ORDER, card_numbers, default_week, status_counts
from taskforce.ui import data
from taskforce.ui.cards import headline_card, status_tag
from taskforce.ui.controls import share_link, week_selector
from taskforce.ui.downloads import download_csv
from taskforce.ui.frame import guard
from taskforce.ui.text import escape_markdown

guard()

reporting = data.query("reporting_weeks")
if reporting.empty:
    st.title("Weekly overview")
    st.info("No weekly returns are loaded yet. Load returns with `python -m taskforce ingest`, or build the demo data.")
    st.stop()

weeks = [w.date() if hasattr(w, "date") else w for w in reporting["week_ending"]]
heading, chooser = st.columns([3, 1], vertical_alignment="bottom")
with chooser:
    week = week_selector(weeks, default=default_week(reporting))
overview = data.weekly_overview(week)
returns = overview.returns_summary
with heading:
    st.title("Weekly overview")
    st.caption(
        f"Week ending {format_date(week)} (Monday to Sunday). National totals of the {returns.received} returns "
        f"received of {returns.expected} expected. Definitions of every measure are on *About the data*."
    )

for row_start in range(0, len(overview.cards), 3):
    for column, card in zip(st.columns(3), overview.cards[row_start:row_start + 3]):
        with column:
            headline_card(card)
download_csv("Download the numbers behind the cards (CSV)", card_numbers(overview.cards),
             f"headline_measures_week_ending_{week.isoformat()}.csv")

changed, received = st.columns([3, 2])
with changed:
    st.subheader("What changed this week")
    st.markdown("\n".join(f"- {escape_markdown(statement)}" for statement in overview.statements))
with received:
    st.subheader("Returns this week")
    st.metric("Returns received", f"{returns.received} of {returns.expected}",
              help="Forces and partner agencies that owe a weekly return. Due by the end of the Tuesday after the week ends.")
    st.caption(f"On time: {returns.on_time}. Late: {returns.late}. Not received: {len(returns.missing)}.")
    if returns.missing:
        st.markdown("**Not received:** " + escape_markdown(", ".join(returns.missing)))

st.subheader("Recommendations")
recommendations = overview.recommendations
counts = status_counts(recommendations)
overdue = recommendations[recommendations["overdue"]]
for column, status in zip(st.columns(len(STATUS_ORDER) + 1), STATUS_ORDER):
    with column:
        st.metric(status, counts[status])
        status_tag(status)
st.caption(
    f"Status of the 10 HMICFRS recommendations in the latest report on or before {format_date(week)}. "
    f"Overdue (past the due date and not complete): {len(overdue)}."
)
if recommendations["illustrative"].any():
    st.caption("The recommendation titles are illustrative, written from the published themes, until the "
               "official wording is loaded.")
st.dataframe(
    recommendations.assign(
        percent_complete=recommendations["percent_complete"] / 100,
        overdue=recommendations["overdue"].map({True: "Overdue", False: ""}),
    )[["number", "short_title", "owner", "status", "percent_complete", "due_date", "overdue", "last_update"]],
    hide_index=True,
    width="stretch",
    column_config={
        "number": st.column_config.NumberColumn("No.", width="small"),
        "short_title": st.column_config.TextColumn("Recommendation", width="large"),
        "owner": "Owner",
        "status": "Status",
        "percent_complete": st.column_config.ProgressColumn("Complete", format="percent", min_value=0, max_value=1),
        "due_date": st.column_config.DateColumn("Due", format="D MMM YYYY"),
        "overdue": "Overdue",
        "last_update": st.column_config.DateColumn("Last update", format="D MMM YYYY"),
    },
)

share_link()
