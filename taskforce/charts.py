"""Plotly figures in the Government Analysis Function style. No figure fetches anything from outside."""
from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

NAVY, ORANGE, GREY = "#12436D", "#F46A25", "#3D3D3D"
CATEGORICAL = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
FONT = dict(family="Source Sans Pro, Arial, sans-serif", color="#0b0c0c")


def sparkline(series: pd.Series, title: str) -> go.Figure:
    """A small navy trend line with its latest point marked; the axes are left out on purpose, so the
    card's words and the download carry the numbers."""
    values = series.dropna()
    figure = go.Figure()
    figure.add_trace(go.Scatter(
        x=list(values.index), y=values.to_numpy(), mode="lines", line=dict(color=NAVY, width=2),
        hovertemplate="%{x|%-d %b %Y}: %{y:,.3~g}<extra></extra>", name=title,
    ))
    if not values.empty:
        figure.add_trace(go.Scatter(
            x=[values.index[-1]], y=[values.iloc[-1]], mode="markers", marker=dict(color=NAVY, size=7),
            hoverinfo="skip", showlegend=False,
        ))
    figure.update_layout(
        height=70, margin=dict(l=2, r=6, t=4, b=2), showlegend=False, font=FONT,
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        xaxis=dict(visible=False, fixedrange=True), yaxis=dict(visible=False, fixedrange=True),
        meta={"title": title},
    )
    return figure


# Status in charts: Analysis Function colours, always with the word in the legend, axis or hover text.
STATUS_CHART_COLOURS = {
    "Complete": "#12436D", "On track": "#28A197", "At risk": "#F46A25", "Off track": "#801650",
    "Not started": "#BFBFBF", "No return": "#3D3D3D",
}
STATUS_AXIS_ORDER = ["Not started", "Off track", "At risk", "On track", "Complete"]


def _layout(figure: go.Figure, title: str, height: int = 320) -> go.Figure:
    figure.update_layout(
        title=dict(text=title, font=dict(size=16)), height=height, font=FONT, margin=dict(l=10, r=10, t=50, b=10),
        paper_bgcolor="white", plot_bgcolor="white", legend=dict(orientation="h", y=-0.15),
        hoverlabel=dict(bgcolor="white"),
    )
    figure.update_xaxes(showgrid=False, linecolor="#b1b4b6")
    figure.update_yaxes(gridcolor="#e5e5e5", zeroline=False)
    return figure


def status_history(updates: pd.DataFrame, title: str) -> go.Figure:
    """A step chart of the status reports over time, each report a marker in its status colour."""
    ordered = updates.sort_values("as_of_date")
    figure = go.Figure(go.Scatter(
        x=ordered["as_of_date"], y=ordered["status"], mode="lines", line=dict(shape="hv", color=GREY, width=1.5),
        hoverinfo="skip", showlegend=False,
    ))
    for status, reports in ordered.groupby("status", sort=False):
        figure.add_trace(go.Scatter(
            x=reports["as_of_date"], y=reports["status"], mode="markers", name=status,
            marker=dict(color=STATUS_CHART_COLOURS.get(status, GREY), size=9),
            customdata=reports["percent_complete"],
            hovertemplate="%{x|%-d %b %Y}: %{y}, %{customdata}% complete<extra></extra>",
        ))
    figure.update_yaxes(categoryorder="array", categoryarray=STATUS_AXIS_ORDER, type="category")
    return _layout(figure, title, height=280)


def milestone_timeline(milestones: pd.DataFrame, as_of, title: str) -> go.Figure:
    """Each milestone's due date (hollow) against the date it was met (filled); late ones in orange."""
    figure = go.Figure()
    for row in milestones.itertuples(index=False):
        label = f"M{row.seq}"  # the table beside the chart names each milestone in full
        late = row.milestone_status in ("Met late", "Overdue")
        colour = ORANGE if late else NAVY
        end = row.completed_date if pd.notna(row.completed_date) else (as_of if late else None)
        if end is not None and end != row.due_date:
            figure.add_trace(go.Scatter(x=[row.due_date, end], y=[label, label], mode="lines",
                                        line=dict(color=colour, width=3), hoverinfo="skip", showlegend=False))
        figure.add_trace(go.Scatter(
            x=[row.due_date], y=[label], mode="markers", marker=dict(symbol="diamond-open", size=12, color=colour),
            name="Due", showlegend=False,
            hovertemplate=f"M{row.seq} due %{{x|%-d %b %Y}} ({row.milestone_status})<extra></extra>",
        ))
        if pd.notna(row.completed_date):
            figure.add_trace(go.Scatter(
                x=[row.completed_date], y=[label], mode="markers", marker=dict(symbol="diamond", size=12, color=colour),
                name="Met", showlegend=False, hovertemplate="Met %{x|%-d %b %Y}<extra></extra>",
            ))
    figure.add_vline(x=as_of, line=dict(color=GREY, dash="dot", width=1))
    figure.update_yaxes(autorange="reversed", gridcolor="white")
    figure.update_xaxes(tickformat="%b %Y")
    return _layout(figure, title, height=120 + 40 * max(len(milestones), 1))


def status_counts_over_time(by_week: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars: how many recommendations stood in each status at the end of each week."""
    figure = go.Figure()
    for status in ["Complete", "On track", "At risk", "Off track", "Not started"]:
        weekly = by_week[by_week["status"] == status]
        figure.add_trace(go.Bar(
            x=weekly["week_ending"], y=weekly["recommendations"], name=status,
            marker_color=STATUS_CHART_COLOURS[status],
            hovertemplate=f"Week ending %{{x|%-d %b %Y}}: %{{y}} {status.lower()}<extra></extra>",
        ))
    figure.update_layout(barmode="stack", bargap=0.1)
    figure.update_yaxes(title="Recommendations", range=[0, 10], dtick=2)
    return _layout(figure, title)


def progress_with_forecast(history: pd.DataFrame, projected, due, title: str) -> go.Figure:
    """Percent complete over time, with the projection to 100% dashed and the due date marked."""
    ordered = history.sort_values("as_of_date")
    figure = go.Figure(go.Scatter(
        x=ordered["as_of_date"], y=ordered["percent_complete"], mode="lines+markers", name="Reported",
        line=dict(color=NAVY, width=2), hovertemplate="%{x|%-d %b %Y}: %{y}%<extra></extra>",
    ))
    if projected is not None and not ordered.empty:
        figure.add_trace(go.Scatter(
            x=[ordered["as_of_date"].iloc[-1], projected], y=[ordered["percent_complete"].iloc[-1], 100],
            mode="lines", name="Projected", line=dict(color=ORANGE, dash="dash", width=2),
            hovertemplate="Projected 100%% on %{x|%-d %b %Y}<extra></extra>",
        ))
    figure.add_vline(x=due, line=dict(color=GREY, dash="dot", width=1.5))
    figure.add_annotation(x=due, y=102, text="Due", showarrow=False, font=dict(size=12, color=GREY))
    figure.update_yaxes(title="Percent complete", range=[0, 105])
    return _layout(figure, title, height=300)


def trend_with_events(series: pd.Series, label: str, events: pd.DataFrame, title: str, percent: bool = False) -> go.Figure:
    """A weekly national series with the dated events marked (a line for a day, a band for a period)."""
    figure = go.Figure(go.Scatter(
        x=list(series.index), y=series.to_numpy(), mode="lines", name=label, line=dict(color=NAVY, width=2),
        hovertemplate="Week ending %{x|%-d %b %Y}: %{y:,.3~g}<extra></extra>" if not percent
        else "Week ending %{x|%-d %b %Y}: %{y:.1%}<extra></extra>",
    ))
    first, last = (series.index.min(), series.index.max()) if len(series) else (None, None)
    for event in events.itertuples(index=False):
        if first is None or event.event_date > last or (event.end_date or event.event_date) < first:
            continue
        if event.end_date:
            figure.add_vrect(x0=event.event_date, x1=event.end_date, fillcolor="#F46A25", opacity=0.15, line_width=0)
        else:
            figure.add_vline(x=event.event_date, line=dict(color=GREY, dash="dot", width=1))
        figure.add_annotation(x=event.event_date, y=1.0, yref="paper", text=event.label, showarrow=False,
                              xanchor="left", font=dict(size=11, color=GREY))
    if percent:
        figure.update_yaxes(tickformat=".0%")
    return _layout(figure, title, height=300)
