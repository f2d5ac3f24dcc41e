"""The recommendations page's views: the list, one recommendation, the force matrix, progress and the form."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from taskforce import charts
from taskforce.analysis.headlines import measure_series
from taskforce.core.calendar import london_now, london_today
from taskforce.core.formats import as_date, format_date, format_datetime, format_value
from taskforce.core.kinds import MeasureKind
from taskforce.measures.registry import measure
from taskforce.recommendations import force_matrix, overdue
from taskforce.recommendations.forecast import FORECAST_METHOD, forecast_completion, projection_table
from taskforce.recommendations.reports import (
    MAXIMUM_NARRATIVE,
    STATUSES,
    StatusReport,
    record_report,
    report_problems,
)
from taskforce.ui import data
from taskforce.ui.cards import CHART_CONFIG, status_tag
from taskforce.ui.controls import linked_choice, select_in_url
from taskforce.ui.downloads import download_csv
from taskforce.ui.frame import current_user, may_record, may_record_updates
from taskforce.ui.styles import FLAG_CELLS, styled
from taskforce.ui.text import escape_markdown
from taskforce.ui.trend_cards import card_control, limits_shown, provisional_mark, with_limits

VIEWS = ["List", "Recommendation", "Force matrix", "Progress and forecast"]


def render() -> None:
    st.title("Recommendations")
    today = data.status_date()  # as at the data-up-to date, as on every page (never the clock's today)
    recommendations = data.query("recommendation_status", {"as_of": today})
    if recommendations["illustrative"].any():
        st.info(
            "These recommendations are **illustrative**, written from the inspection's published themes, until "
            "an administrator loads the official wording.",
            icon=":material/edit_note:",
        )
    view = linked_choice(st.segmented_control, "View", VIEWS, key="view", default="List", label_visibility="collapsed")
    if view == "List":
        render_list(recommendations, today)
    elif view == "Recommendation":
        numbers = [str(n) for n in recommendations["number"]]
        titles = dict(zip(numbers, recommendations["short_title"], strict=True))
        chosen = linked_choice(
            st.selectbox,
            "Recommendation",
            numbers,
            key="rec",
            default=numbers[0],
            format_func=lambda n: f"{n}. {titles[n]}",
        )
        render_detail(recommendations.set_index(recommendations["number"].astype(str)).loc[chosen], today)
    elif view == "Force matrix":
        render_matrix(today)
    else:
        render_progress(recommendations, today)


def filtered_list(recommendations: pd.DataFrame, as_at: dt.date) -> pd.DataFrame:
    """The list's filters (status, theme, owner), each held in the session; overdue first (longest first), then
    by due date."""
    status_column, theme_column, owner_column = st.columns(3)
    statuses = status_column.multiselect("Status", STATUSES, key="filter_status", placeholder="All statuses")
    themes = theme_column.multiselect(
        "Theme", sorted(recommendations["theme"].unique()), key="filter_theme", placeholder="All themes"
    )
    owners = owner_column.multiselect(
        "Owner", sorted(recommendations["owner"].unique()), key="filter_owner", placeholder="All owners"
    )
    chosen = recommendations
    for column, values in (("status", statuses), ("theme", themes), ("owner", owners)):
        if values:
            chosen = chosen[chosen[column].isin(values)]
    return overdue.with_overdue(chosen, as_at)


def render_list(recommendations: pd.DataFrame, as_at: dt.date) -> None:
    shown = filtered_list(recommendations, as_at)
    table = pd.DataFrame(
        {
            "No.": shown["number"],
            "Recommendation": shown["short_title"],
            "Status": shown["shown_status"],
            "Overdue by": shown["overdue_by"],
            "Complete": shown["percent_complete"] / 100,
            "Due": shown["due_date"].map(format_date),
            "Last report said": shown["status"],
            "Owner": shown["owner"],
            "Addressed to": shown["addressed_to"],
            "Last update": shown["last_update"].map(lambda d: format_date(d) if pd.notna(d) else "none"),
        }
    )
    st.caption(
        f"{len(shown)} of {len(recommendations)} recommendations as at {format_date(as_at)}, overdue "
        "first (longest first), then soonest due. Select a row to open the recommendation."
    )
    event = st.dataframe(
        styled(table, ["Status", "Last report said"]),
        hide_index=True,
        width="stretch",
        key="recommendation_list",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "Complete": st.column_config.ProgressColumn("Complete", format="percent", min_value=0, max_value=1),
            "No.": st.column_config.NumberColumn(pinned=True),  # fixed while a phone scrolls the grid sideways
            "Recommendation": st.column_config.TextColumn(width="large"),
        },
    )
    download_csv("Download the list (CSV)", table, "recommendations.csv")
    if event and event.selection.rows:
        select_in_url("rec", str(int(table.iloc[event.selection.rows[0]]["No."])))
        select_in_url("view", "Recommendation")
        st.rerun()


def render_detail(recommendation: pd.Series, week: dt.date) -> None:
    number = int(recommendation["number"])
    st.subheader(f"{number}. {recommendation['short_title']}")
    late = bool(recommendation["overdue"])
    status_tag(overdue.shown_status(recommendation["status"], late))
    if late:
        days = overdue.days_overdue(as_date(recommendation["due_date"]), week)
        st.caption(f"Overdue by {overdue.how_long(days)}; its last report said {recommendation['status']}.")
    st.text(recommendation["text"])
    history = data.query("recommendation_progress_history", {"as_of": week})
    forecast = forecast_completion(history[history["recommendation"] == number], week)
    facts = st.columns([1, 1, 1, 2, 1])
    facts[0].metric("Percent complete", f"{recommendation['percent_complete']}%")
    facts[1].metric("Due", format_date(recommendation["due_date"]))
    facts[2].metric("Milestones met", f"{recommendation['milestones_met']} of {recommendation['milestones']}")
    facts[3].metric("Projected completion", forecast.range_words(), help=FORECAST_METHOD)
    facts[4].metric("Overdue", "Yes" if late else "No")
    st.caption(
        f"Owner: {recommendation['owner']}. Addressed to: {recommendation['addressed_to']}. "
        f"Theme: {recommendation['theme']}. Forecast: {forecast.reason} "
        f"{forecast.after_due(as_date(recommendation['due_date'])) or ''}"
    )
    _forecast_chart(history[history["recommendation"] == number], forecast, week, recommendation)
    left, right = st.columns(2)
    with left:
        _milestones(number, week)
    with right:
        _status_history(number)
    _update_log(number)
    _linked_measures(recommendation, week)
    if may_record_updates():
        render_report_form(recommendation)


def _forecast_chart(history: pd.DataFrame, forecast, week: dt.date, recommendation: pd.Series) -> None:
    number = int(recommendation["number"])
    st.plotly_chart(
        charts.progress_forecast(
            history[["as_of_date", "percent_complete"]],
            week,
            forecast.earliest,
            forecast.projected,
            forecast.latest,
            forecast.level_now,
            as_date(recommendation["due_date"]),
            "Percent complete, and the projected range to 100%",
        ),
        config=CHART_CONFIG,
        width="stretch",
        key=f"forecast_{number}",
    )
    st.caption(
        escape_markdown(
            f"Chart description: percent complete in each national report; the dashed line "
            f"is the recent pace to 100% and the shaded band the range its uncertainty allows "
            f"({forecast.range_words()}). {FORECAST_METHOD}"
        )
    )


def _milestones(number: int, week: dt.date) -> None:
    milestones = data.query("recommendation_milestones", {"number": number, "as_of": week})
    st.plotly_chart(
        charts.milestone_timeline(milestones, week, "Milestones: due (hollow) and met (filled)"),
        config=CHART_CONFIG,
        width="stretch",
        key=f"milestones_{number}",
    )
    st.table(
        pd.DataFrame(
            {
                "Milestone": "M" + milestones["seq"].astype(str) + ". " + milestones["title"],
                "Due": milestones["due_date"].map(format_date),
                "Met": milestones["completed_date"].map(lambda d: format_date(d) if pd.notna(d) else ""),
                "Status": milestones["milestone_status"],
            }
        ).set_index("Milestone")
    )


def _status_history(number: int) -> None:
    updates = data.query("recommendation_updates", {"number": number})
    if updates.empty:
        st.info("No status reports yet.")
        return
    st.plotly_chart(
        charts.status_history(updates, "Status in each national report"),
        config=CHART_CONFIG,
        width="stretch",
        key=f"status_history_{number}",
    )
    changes = updates.sort_values("as_of_date")["status"] != updates.sort_values("as_of_date")["status"].shift()
    st.caption(f"{len(updates)} reports; the status changed {int(changes.sum()) - 1} times.")


def _update_log(number: int) -> None:
    updates = data.query("recommendation_updates", {"number": number})
    st.markdown("#### Status reports, newest first")
    for report in updates.head(6).itertuples(index=False):
        with st.container(border=True):
            heading, tag = st.columns([5, 1])
            heading.markdown(f"**{format_date(report.as_of_date)}**: {report.percent_complete}% complete")
            with tag:
                status_tag(report.status)
            st.text(report.narrative)  # plain text, whatever it contains
            who = f"Recorded by {report.updated_by} on {format_datetime(report.recorded_at)}."
            st.caption(escape_markdown(who))
            if isinstance(report.evidence_url, str) and report.evidence_url:
                st.link_button("Evidence", report.evidence_url, icon=":material/open_in_new:")
    log = updates.assign(as_of_date=updates["as_of_date"].map(format_date))
    download_csv(
        f"Download all {len(updates)} reports (CSV)",
        log,
        f"recommendation_{number}_reports.csv",
        key=f"log_download_{number}",
    )


def _linked_measures(recommendation: pd.Series, week: dt.date) -> None:
    codes = [code for code in (recommendation["linked_measures"] or "").split(";") if code]
    if not codes:
        return
    st.markdown("#### Measures linked to this recommendation")
    totals = data.query("national_weekly_totals", {"from": week - dt.timedelta(weeks=104), "to": week})
    events = data.events()
    judged_week = data.release().position.headline_week(week if not provisional_mark(week) else None)
    controls = {code: card_control(measure(code), judged_week) if judged_week else None for code in codes}
    show_limits = limits_shown(next((control for control in controls.values() if control), None))
    for column, code in zip(st.columns(len(codes)), codes, strict=False):
        item = measure(code)
        series = measure_series(totals, item)
        figure = charts.trend_with_events(
            series,
            item.label,
            events,
            f"{item.label}, national, weekly",
            percent=item.kind == MeasureKind.RATE,
            provisional=provisional_mark(week),
        )
        if show_limits and controls[code] is not None:
            figure = with_limits(figure, controls[code], item)  # type: ignore[arg-type]
        with column:
            st.plotly_chart(
                figure,
                config=CHART_CONFIG,
                width="stretch",
                key=f"linked_{code}",
            )
            latest = series.dropna()
            if not latest.empty:
                mark = provisional_mark(week)
                state = f" ({mark[1]}, not judged)" if mark and latest.index[-1] == mark[0] else ""
                st.caption(f"Latest week{state}: {format_value(item, latest.iloc[-1])}. {item.definition}")


def render_report_form(recommendation: pd.Series) -> None:
    """A new status report: appended with who and when; nothing is ever edited or deleted."""
    number = int(recommendation["number"])
    st.markdown("#### Record a status report")
    forces = data.query("organisations")
    forces = forces[forces["type"] == "force"]
    with st.form(f"report_{number}", clear_on_submit=False, enter_to_submit=False):
        scope_options = ["National"] + (forces["name"].tolist() if recommendation["scope"] == "each_force" else [])
        left, middle, right = st.columns(3)
        reporting_for = left.selectbox("Reporting for", scope_options, key="report_scope")
        status = middle.selectbox(
            "Status", STATUSES, index=STATUSES.index(recommendation["status"]), key="report_status"
        )
        percent = right.number_input(
            "Percent complete",
            min_value=0,
            max_value=100,
            step=5,
            value=int(recommendation["percent_complete"]),
            key="report_percent",
        )
        as_of = left.date_input("As of", value=london_today(), format="DD/MM/YYYY", key="report_as_of")
        evidence = middle.text_input("Evidence link (optional)", placeholder="https://…", key="report_evidence")
        narrative = st.text_area(
            "Narrative",
            max_chars=MAXIMUM_NARRATIVE,
            key="report_narrative",
            help="What has happened since the last report, and what comes next.",
        )
        submitted = st.form_submit_button("Record the report", type="primary")
    if not submitted:
        return
    org_code = None if reporting_for == "National" else forces.loc[forces["name"] == reporting_for, "code"].iloc[0]
    report = StatusReport(number, org_code, as_of, status, int(percent), narrative or "", evidence or "")
    if not may_record(report_problems(report, today=london_today()), "status report"):
        return
    with data.store_change(f"recording a status report on recommendation {number}") as store:
        record_report(store, report, recorded_by=current_user(), recorded_at=london_now())
    st.success(f"Recorded: {status}, {percent}% complete, as of {format_date(as_of)}.")


def render_matrix(as_at: dt.date) -> None:
    """Who is behind on a recommendation, as a ranked list; the counts for all of them; the whole grid on demand."""
    matrix = data.query("force_recommendation_matrix", {"as_of": as_at})
    if matrix.empty:
        st.info("No recommendation is addressed to every chief constable.")
        return
    labels = {
        n: f"{n}. {t}" for n, t in matrix[["recommendation", "short_title"]].drop_duplicates().itertuples(index=False)
    }
    numbers = [str(n) for n in labels]
    chosen = linked_choice(
        st.selectbox,
        "Who is behind on recommendation",
        numbers,
        key="rec",
        default=_most_behind(matrix, as_at, numbers),
        format_func=lambda n: labels[int(n)],
    )
    _behind_on(matrix, int(chosen), as_at, labels[int(chosen)])
    counts = force_matrix.status_counts(matrix)
    counts.index = counts.index.map(labels)
    st.markdown(f"**Forces in each status** on {format_date(as_at)}")
    st.table(counts)
    if st.toggle("Show every force against every recommendation", key="whole_matrix"):
        _whole_matrix(matrix, labels, as_at)
    download_csv("Download the matrix (CSV)", matrix, "force_matrix.csv")


def _most_behind(matrix: pd.DataFrame, as_at: dt.date, numbers: list[str]) -> str:
    """The recommendation with the most forces behind on it: the one to open on."""
    return max(numbers, key=lambda n: len(force_matrix.behind_on(matrix, int(n), as_at)))


def _behind_on(matrix: pd.DataFrame, number: int, as_at: dt.date, label: str) -> None:
    behind = force_matrix.behind_on(matrix, number, as_at)
    forces = matrix.loc[matrix["recommendation"] == number, "force_code"].nunique()
    late = int((behind["Status"] == overdue.OVERDUE).sum())
    st.subheader(escape_markdown(f"Behind on {label}: {len(behind)} of {forces} forces"))
    st.caption(
        f"As at {format_date(as_at)}: {late} overdue (past the due date and not complete), longest "
        "first; then no report, off track, at risk and not started; least complete first within each."
    )
    if behind.empty:
        st.success("No force is behind on this recommendation.", icon=":material/check_circle:")
        return
    st.dataframe(styled(behind, ["Status", "Last report said"]), hide_index=True, width="stretch")


def _whole_matrix(matrix: pd.DataFrame, labels: dict[int, str], as_at: dt.date) -> None:
    grid = (
        matrix.pivot_table(
            index=["rocu_region", "force_name"], columns="recommendation", values="status", aggfunc="first"
        )
        .rename(columns=labels)
        .reset_index()
    )
    grid = grid.rename(columns={"rocu_region": "ROCU region", "force_name": "Force"})
    st.markdown(
        f"**Status of each force on {format_date(as_at)}** as its last report said, grouped by ROCU "
        "region (sort by any column)"
    )
    st.dataframe(styled(grid, list(labels.values())), hide_index=True, width="stretch", height=36 * (len(grid) + 1) + 4)


def render_progress(recommendations: pd.DataFrame, week: dt.date) -> None:
    first = _first_report_week(week)
    by_week = data.query("recommendation_status_by_week", {"from": first, "to": week})
    st.plotly_chart(
        charts.status_counts_over_time(by_week, "Recommendations in each status, week by week"),
        config=CHART_CONFIG,
        width="stretch",
        key="status_counts_over_time",
    )
    history = data.query("recommendation_progress_history", {"as_of": week})
    table = projection_table(recommendations, history, week)
    st.markdown("**Projected completion of each recommendation**")
    st.dataframe(
        styled(table, ["Status"]).map(lambda v: FLAG_CELLS.get(v, ""), subset=["After due date"]),
        hide_index=True,
        width="stretch",
    )
    st.caption(FORECAST_METHOD)
    download_csv("Download the projections (CSV)", table, "projections.csv")


def _first_report_week(week: dt.date) -> dt.date:
    """The Sunday ending the week of the earliest status report, so the chart starts where the history does."""
    history = data.query("recommendation_progress_history", {"as_of": week})
    if history.empty:
        return week
    first = pd.Timestamp(history["as_of_date"].min()).date()
    return first + dt.timedelta(days=(6 - first.weekday()))
