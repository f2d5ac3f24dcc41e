"""The weekly overview, the briefing's home page: it leads with the week's message (the briefing's own findings,
exceptions first), then the headline cards, what changed, the returns and the recommendations."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from taskforce.analysis.headlines import card_numbers, status_counts
from taskforce.analysis.overview import WeeklyOverview
from taskforce.briefing import findings
from taskforce.briefing.contents import Briefing
from taskforce.core.formats import format_date, join_words, plural
from taskforce.measures.vocabulary import REPORTABLE_STATUSES
from taskforce.recommendations import overdue
from taskforce.returns import chasing
from taskforce.ui import data
from taskforce.ui.cards import headline_card, status_tag
from taskforce.ui.controls import week_selector
from taskforce.ui.downloads import download_csv, wider_circulation
from taskforce.ui.text import escape_markdown, static_table


def render() -> None:
    release = data.release()
    week = release.position.headline_week()
    if week is None:
        st.title("Weekly overview")
        st.info(
            "No weekly returns have been loaded yet. Load returns on *Weekly returns* or with "
            "`python -m taskforce ingest`."
        )
        return
    weeks = [receipts.week_ending for receipts in release.position.weeks]
    heading, chooser = st.columns([3, 1], vertical_alignment="bottom")
    # in a popover: its picker's code (a dozen files) loads when a leader opens it, not with every new tab
    with chooser, st.popover("Choose another week", icon=":material/date_range:", width="stretch"):
        week = week_selector(weeks, default=week)
    # One read of the week's briefing: its overview is the one the cards show (the same build from the same
    # snapshot, week and status date), so a rerun unpickles one cached result instead of two.
    briefing = data.weekly_briefing(week, wider_circulation())
    overview = briefing.overview
    with heading:
        _heading(overview)
    _message(briefing, release.position.chase_week)
    _cards(overview)
    _detail(overview, data.status_date(week))


def _heading(overview: WeeklyOverview) -> None:
    returns = overview.returns_summary
    st.title("Weekly overview")
    st.caption(
        f"Week ending {format_date(overview.week_ending)} (Monday to Sunday): national totals of the "
        f"{returns.complete} complete returns of {returns.expected}. Definitions and how normal variation "
        "is judged: *About the data*."
    )
    if returns.provisional:
        st.warning(
            f"**{returns.provisional_words()}.** The week's figures will rise as returns arrive, so no "
            "change in them is called good or bad yet.",
            icon=":material/hourglass_top:",
        )
        _revisions_line()


def _revisions_line() -> None:
    """Beside a provisional week: how much late returns have added to a settled week (restricted circulation:
    the wider one shows only the release's figures)."""
    if wider_circulation():
        return
    said = [revised.words() for revised in data.week_revisions().values()]
    if said:
        st.caption(f"From the store's history, {'; '.join(said)}. How: *About the data*, Revisions.")


def _message(briefing: Briefing, chase_week: dt.date | None) -> None:
    """The briefing's findings in its own words, exceptions first, with who and how long beneath them."""
    week = briefing.week_ending
    said = findings.message(briefing, wider_circulation())
    exceptions, rest = st.columns(2, border=True)
    with exceptions:
        st.markdown("**Exceptions**")
        lines = [line for heading in said.exceptions for line in _exception_lines(heading, briefing)]
        lines += _chase_line(week, chase_week)
        st.markdown("\n".join(lines) if lines else "None this week.")
    with rest:
        st.markdown("**This week's findings**")
        st.markdown("\n".join(f"- {escape_markdown(heading.finding)}" for heading in said.findings))


def _exception_lines(heading: findings.SlideHeading, briefing) -> list[str]:
    lines = [f"- **{escape_markdown(heading.finding)}**"]
    if heading.topic == "Recommendations":
        as_at = data.status_date(briefing.week_ending)
        late = overdue.with_overdue(briefing.overview.recommendations, as_at)
        lines += [
            f"    - {escape_markdown(f'{row.number}. {row.short_title}: overdue by {row.overdue_by}')} "
            f"(last report: {str(row.status).lower()}, {row.percent_complete:.0f}% complete)"
            for row in late[late["overdue"]].itertuples()
        ]
    if heading.topic == "Actions" and briefing.actions is not None and not briefing.actions.overdue.empty:
        # what, who and since when are on the briefing's Actions slide: the message stays on the first screen
        lines[-1] += " (who and since when: *Weekly briefing*, Actions)"
    return lines


def _chase_line(week: dt.date, chase_week: dt.date | None) -> list[str]:
    """The returns to chase for the week due (the data-up-to week), when it is not the week shown above."""
    if chase_week is None or chase_week == week:
        return []
    chase = chasing.chase_list(data.query("returns_for_week", {"week": chase_week}))
    if chase.empty:
        return []
    kinds = _kinds_words(chase["Return"].value_counts())
    return [
        f"- **{plural(len(chase), 'return')} to chase for the week ending {format_date(chase_week)}** "
        f"({kinds}): the list is on *Weekly returns*"
    ]


def _kinds_words(counts: pd.Series) -> str:
    """The returns to chase by kind as people say them: 'all missing', '19 missing and 2 partial' (never
    '21 missing, 0 partial, 0 late')."""
    found = {str(kind).lower(): int(counts.get(str(kind), 0)) for kind in chasing.CHASE_ORDER}
    said = [f"{count} {kind}" for kind, count in found.items() if count]
    if len(said) == 1:
        return f"all {next(kind for kind, count in found.items() if count)}"
    return join_words(said)


def _cards(overview: WeeklyOverview) -> None:
    for row_start in range(0, len(overview.cards), 3):
        for column, card in zip(st.columns(3), overview.cards[row_start : row_start + 3], strict=False):
            with column:
                headline_card(card)
    download_csv(
        "Download the numbers behind the cards (CSV)",
        card_numbers(overview.cards),
        f"headline_measures_week_ending_{overview.week_ending.isoformat()}.csv",
    )


DETAIL_TABS = ("What changed this week", "Returns this week", "Recommendations")


def _detail(overview: WeeklyOverview, as_at: dt.date) -> None:
    """The detail below the message and the cards, one tab at a time: only the open tab runs and is sent (a
    new tab draws one of the three), and the open tab is in the URL (?detail=). The exceptions above already
    name the overdue recommendations and the returns to chase."""
    changed, received, recommendations = st.tabs(DETAIL_TABS, key="detail", bind="query-params")
    if changed.open:
        with changed:
            _what_changed(overview)
    if received.open:
        with received:
            _returns(overview)
    if recommendations.open:
        with recommendations:
            _recommendations(overview, as_at)


def _what_changed(overview: WeeklyOverview) -> None:
    chosen = overview.wider_statements if wider_circulation() else overview.statements
    st.markdown("\n".join(f"- {escape_markdown(statement)}" for statement in chosen))


def _returns(overview: WeeklyOverview) -> None:
    returns = overview.returns_summary
    st.metric(
        "Complete returns",
        f"{returns.complete} of {returns.expected}",
        help="Returns that cover every measure the organisation reports, of the forces and partner agencies "
        "that owe a weekly return. Due by the end of the Tuesday after the week ends.",
    )
    st.caption(f"On time: {returns.on_time}. Late: {returns.late}. Not received: {len(returns.missing)}.")
    if returns.missing:
        st.markdown("**Not received:** " + escape_markdown(", ".join(returns.missing)))


def _recommendations(overview: WeeklyOverview, as_at: dt.date) -> None:
    recommendations = overdue.with_overdue(overview.recommendations, as_at)
    counts = status_counts(recommendations)
    late = int(recommendations["overdue"].sum())
    for column, status in zip(st.columns(len(REPORTABLE_STATUSES) + 1), REPORTABLE_STATUSES, strict=False):
        with column:
            st.metric(status, counts[status])
            status_tag(status)
    st.caption(
        f"Status of the {len(recommendations)} HMICFRS recommendations as their last reports said at the "
        f"data-up-to date; {late} overdue (past the due date and not complete), listed first."
    )
    if recommendations["illustrative"].any():
        st.caption(
            "The recommendation titles are illustrative, written from the published themes, until the "
            "official wording is loaded."
        )
    static_table(
        pd.DataFrame(
            {
                "No.": recommendations["number"],
                "Recommendation": recommendations["short_title"],
                "Status": recommendations["shown_status"],
                "Overdue by": recommendations["overdue_by"],
                "Complete": [f"{value:.0f}%" for value in recommendations["percent_complete"]],
                "Due": [format_date(day) for day in recommendations["due_date"]],
                "Last report said": recommendations["status"],
                "Owner": recommendations["owner"],
            }
        ),
        alt="Every recommendation: its status as at the data-up-to date, overdue first",
        tags=("Status",),
    )
    st.caption(
        "Every recommendation, with filters, milestones and its history, and who is behind on each: *Recommendations*."
    )
