"""Plotly figures in the Government Analysis Function style. No figure fetches anything from outside."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Hashable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from taskforce.core.memo import memoised
from taskforce.measures import palette
from taskforce.measures.palette import CATEGORICAL, EVENT_BAND, EVENT_LINE, FORECAST, NAVY, OVERDUE, TARGET, TEAL
from taskforce.measures.palette import DARK_GREY as GREY
from taskforce.measures.vocabulary import (
    LIMITS_WORD,
    MEAN_WORD,
    POISSON_LIMITS_WORD,
    REPORTABLE_STATUSES,
    Judgement,
    RecommendationStatus,
)

FONT = dict(family="Source Sans Pro, Arial, sans-serif", color=palette.TEXT)


SPARKLINE_WIDTH, SPARKLINE_HEIGHT, SPARKLINE_PAD = 300, 70, 5


@dataclass(frozen=True)
class SparkLimits:
    """A card's control chart as a sparkline draws it: the mean and limits across the weeks from `start` (the
    baseline's first week) to the last, and the special-cause weeks with their verdicts. The verdict's own
    Control, passed in (analysis/variation.py): never worked out again here."""

    mean: float
    lower: float
    upper: float
    start: object
    special: tuple[tuple[object, Judgement], ...] = ()


@memoised
def sparkline(series: pd.Series, limits: SparkLimits | None = None, provisional: bool = False) -> str:
    """A small navy trend line with its latest point marked, as an SVG document (shown as an image): a few
    hundred bytes that draw at once, where a Plotly figure would make a new tab load Plotly's 4.7 MB first.
    The axes are left out on purpose, so the card's words and the download carry the numbers. The markup
    holds only numbers. With `limits`, the card's mean (solid) and limits (dashed) are drawn across their weeks
    and each special-cause week is marked in its verdict's colour; `provisional`, the last week is a provisional
    one: drawn apart, a hollow lighter mark with no line to it (a week still filling up is not a fall)."""
    values = series.dropna()
    if values.empty:
        return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARKLINE_WIDTH} {SPARKLINE_HEIGHT}"/>'
    levels = [limits.mean, max(limits.lower, 0.0), limits.upper] if limits else []
    points = _sparkline_points(values, levels)
    complete = points[:-1] if provisional and len(points) > 1 else points
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in complete)
    parts = [_spark_limits(values, points, limits)] if limits else []
    parts.append(
        f'<polyline points="{line}" fill="none" stroke="{NAVY}" stroke-width="2" '
        f'vector-effect="non-scaling-stroke" stroke-linejoin="round"/>'
    )
    parts += [
        _spark_dot(points[list(values.index).index(week)], palette.SPECIAL_CAUSE[said])
        for week, said in (limits.special if limits else ())
        if week in values.index
    ]
    parts.append(_spark_provisional(points) if provisional and len(points) > 1 else _spark_dot(points[-1], NAVY))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SPARKLINE_WIDTH} {SPARKLINE_HEIGHT}" '
        f'preserveAspectRatio="none">{"".join(parts)}</svg>'
    )


def _spark_dot(point: tuple[float, float], colour: str, width: int = 7) -> str:
    """A round mark that stays round however the image is stretched (a zero-length stroke, round caps)."""
    x, y = point
    return (
        f'<path d="M{x:.1f} {y:.1f} l0 0" stroke="{colour}" stroke-width="{width}" stroke-linecap="round" '
        f'vector-effect="non-scaling-stroke"/>'
    )


def _spark_provisional(points: list[tuple[float, float]]) -> str:
    """The provisional week: a hollow mark in a lighter blue standing apart, no line running down to it."""
    return f"{_spark_dot(points[-1], palette.LIGHT_BLUE, 9)}{_spark_dot(points[-1], palette.WHITE, 5)}"


def _spark_limits(values: pd.Series, points: list[tuple[float, float]], limits: SparkLimits) -> str:
    """The mean (solid) and the limits (dashed) from the baseline's first week shown to the last week."""
    weeks = list(values.index)
    first = next((n for n, week in enumerate(weeks) if week >= limits.start), 0)  # type: ignore[operator]
    x0, x1 = points[first][0], points[-1][0]
    y_of = _sparkline_scale(values, [limits.mean, max(limits.lower, 0.0), limits.upper])
    lines = []
    for role, level, colour, dash in (
        ("mean", limits.mean, palette.CONTROL_MEAN, ""),
        ("upper", limits.upper, palette.CONTROL_LIMIT, ' stroke-dasharray="5 3"'),
        ("lower", max(limits.lower, 0.0), palette.CONTROL_LIMIT, ' stroke-dasharray="5 3"'),
    ):
        y = y_of(level)
        lines.append(
            f'<line class="{role}" data-value="{level:.6g}" x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" '
            f'stroke="{colour}" stroke-width="1.2"{dash} vector-effect="non-scaling-stroke"/>'
        )
    return "".join(lines)


def _sparkline_scale(values: pd.Series, levels: list[float]):
    """The height of a value in the sparkline: the weeks and any mean and limits drawn all fit."""
    everything = [float(value) for value in values.to_numpy()] + levels
    low, high = min(everything), max(everything)
    spread = high - low or 1.0
    inner = SPARKLINE_HEIGHT - 2 * SPARKLINE_PAD
    if high <= low:
        return lambda value: SPARKLINE_HEIGHT / 2
    return lambda value: SPARKLINE_PAD + inner * (1 - (float(value) - low) / spread)


def _sparkline_points(values: pd.Series, levels: list[float] | None = None) -> list[tuple[float, float]]:
    step = (SPARKLINE_WIDTH - 2 * SPARKLINE_PAD) / max(1, len(values) - 1)
    y_of = _sparkline_scale(values, levels or [])
    return [(SPARKLINE_PAD + index * step, y_of(value)) for index, value in enumerate(values.to_numpy())]


# Progress reads upwards: the one order of the statuses, best at the top of the axis.
STATUS_AXIS_ORDER = [str(status) for status in reversed(REPORTABLE_STATUSES)]


def _layout(figure: go.Figure, title: str, height: int = 320) -> go.Figure:
    figure.update_layout(
        title=dict(text=title, font=dict(size=16)),
        height=height,
        font=FONT,
        margin=dict(l=10, r=10, t=50, b=10),
        paper_bgcolor=palette.WHITE,
        plot_bgcolor=palette.WHITE,
        legend=dict(orientation="h", y=-0.15),
        hoverlabel=dict(bgcolor=palette.WHITE),
    )
    figure.update_xaxes(showgrid=False, linecolor=palette.AXIS_LINE)
    figure.update_yaxes(gridcolor=palette.GRID, zeroline=False)
    return figure


def for_the_room(figure: go.Figure, text_size: int) -> go.Figure:
    """A copy of a chart for a slide on the big screen: every label at `text_size` pixels, and the height left
    to the slide (the figure itself may be a shared, memoised one, so it is never changed)."""
    copy = go.Figure(figure)
    font = dict(size=text_size)
    # the legend above the plot, under the title: below it, at this size, it covered the date labels
    copy.update_layout(
        height=None,
        font=font,
        title=dict(font=dict(size=text_size + 2), y=0.98, yanchor="top"),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="left", x=0, font=font),
        margin=dict(l=10, r=10, t=4 * text_size + 24, b=10),
    )
    copy.update_xaxes(tickfont=font, title_font=font)
    if _dated(copy):  # short, level date labels (the year is in the slide's footer); Plotly's own put the year
        copy.update_xaxes(tickformat="%-d %b", tickangle=0, nticks=7)  # on a second line, into the legend
    copy.update_yaxes(tickfont=font, title_font=font)
    copy.update_annotations(font=dict(size=text_size))  # event labels, the limits' baseline: read from the back
    return copy


def _dated(figure: go.Figure) -> bool:
    return any(
        isinstance(trace.x[0], (dt.date, pd.Timestamp))
        for trace in figure.data
        if getattr(trace, "x", None) is not None and len(trace.x)
    )


@memoised
def status_history(updates: pd.DataFrame, title: str) -> go.Figure:
    """A step chart of the status reports over time, each report a marker in its status colour."""
    ordered = updates.sort_values("as_of_date")
    figure = go.Figure(
        go.Scatter(
            x=ordered["as_of_date"],
            y=ordered["status"],
            mode="lines",
            line=dict(shape="hv", color=GREY, width=1.5),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    for status, reports in ordered.groupby("status", sort=False):
        figure.add_trace(
            go.Scatter(
                x=reports["as_of_date"],
                y=reports["status"],
                mode="markers",
                name=status,
                marker=dict(color=palette.STATUS_CHART.get(RecommendationStatus(status), GREY), size=9),
                customdata=reports["percent_complete"],
                hovertemplate="%{x|%-d %b %Y}: %{y}, %{customdata}% complete<extra></extra>",
            )
        )
    figure.update_yaxes(categoryorder="array", categoryarray=STATUS_AXIS_ORDER, type="category")
    return _layout(figure, title, height=280)


@memoised
def milestone_timeline(milestones: pd.DataFrame, as_of, title: str) -> go.Figure:
    """Each milestone's due date (hollow) against the date it was met (filled); late ones in the overdue red."""
    figure = go.Figure()
    for row in milestones.itertuples(index=False):
        label = f"M{row.seq}"  # the table beside the chart names each milestone in full
        late = row.milestone_status in ("Met late", "Overdue")
        colour = OVERDUE if late else NAVY
        end = row.completed_date if pd.notna(row.completed_date) else (as_of if late else None)
        if end is not None and end != row.due_date:
            figure.add_trace(
                go.Scatter(
                    x=[row.due_date, end],
                    y=[label, label],
                    mode="lines",
                    line=dict(color=colour, width=3),
                    hoverinfo="skip",
                    showlegend=False,
                )
            )
        figure.add_trace(
            go.Scatter(
                x=[row.due_date],
                y=[label],
                mode="markers",
                marker=dict(symbol="diamond-open", size=12, color=colour),
                name="Due",
                showlegend=False,
                hovertemplate=f"M{row.seq} due %{{x|%-d %b %Y}} ({row.milestone_status})<extra></extra>",
            )
        )
        if pd.notna(row.completed_date):
            figure.add_trace(
                go.Scatter(
                    x=[row.completed_date],
                    y=[label],
                    mode="markers",
                    marker=dict(symbol="diamond", size=12, color=colour),
                    name="Met",
                    showlegend=False,
                    hovertemplate="Met %{x|%-d %b %Y}<extra></extra>",
                )
            )
    figure.add_vline(x=as_of, line=dict(color=GREY, dash="dot", width=1))
    figure.update_yaxes(autorange="reversed", gridcolor=palette.WHITE)
    figure.update_xaxes(tickformat="%b %Y")
    return _layout(figure, title, height=120 + 40 * max(len(milestones), 1))


@memoised
def status_counts_over_time(by_week: pd.DataFrame, title: str) -> go.Figure:
    """Stacked bars: how many recommendations stood in each status at the end of each week."""
    figure = go.Figure()
    for status in REPORTABLE_STATUSES:
        weekly = by_week[by_week["status"] == status]
        figure.add_trace(
            go.Bar(
                x=weekly["week_ending"],
                y=weekly["recommendations"],
                name=status,
                marker_color=palette.STATUS_CHART[status],
                hovertemplate=f"Week ending %{{x|%-d %b %Y}}: %{{y}} {status.lower()}<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack", bargap=0.1)
    total = int(by_week.groupby("week_ending")["recommendations"].sum().max()) if not by_week.empty else 0
    figure.update_yaxes(title="Recommendations", range=[0, max(total, 1)], dtick=2 if total > 6 else 1)
    return _layout(figure, title)


def _mark_events(figure: go.Figure, events: pd.DataFrame, first, last, row=None, col=None) -> None:
    """Dated events on a time axis: a dotted line for a day, a stone band for a period, labelled once. Labels
    are numbered and staggered in rows above the plot, so two events close in time never print over each other;
    the legend of the numbers is the chart's description and its table."""
    position = {} if row is None else {"row": row, "col": col}
    shown = [event for event in events.itertuples(index=False) if _within(event, first, last)]
    for number, event in enumerate(shown):
        end = event.end_date if isinstance(event.end_date, dt.date) else None
        if end:
            figure.add_vrect(
                x0=event.event_date, x1=end, fillcolor=EVENT_BAND, opacity=0.6, line_width=0, layer="below", **position
            )
        else:
            figure.add_vline(x=event.event_date, line=dict(color=EVENT_LINE, dash="dot", width=1), **position)
        if row is None:
            figure.add_annotation(
                x=event.event_date,
                y=1.0 + EVENT_LABEL_STEP * (number % EVENT_LABEL_ROWS),
                yref="paper",
                text=event.label,
                showarrow=False,
                xanchor="left",
                yanchor="bottom",
                font=dict(size=11, color=EVENT_LINE),
                bgcolor=palette.WHITE,
            )
    if shown and row is None:
        top = figure.layout.margin.t or 50
        figure.update_layout(margin=dict(t=max(top, 50 + 16 * min(len(shown), EVENT_LABEL_ROWS))))


# Event labels go in up to three rows above the plot, each a step of the plot's height higher.
EVENT_LABEL_ROWS, EVENT_LABEL_STEP = 3, 0.07


def _within(event, first, last) -> bool:
    end = event.end_date if isinstance(event.end_date, dt.date) else None
    return first is not None and event.event_date <= last and (end or event.event_date) >= first


def reference_line(name: str) -> dict:
    """A reference line drawn beside the measures: each role its own colour; a target or last year dashed."""
    solid = palette.reference_colour(name) == palette.ROLLING_AVERAGE
    return dict(color=palette.reference_colour(name), width=2, **({} if solid else {"dash": "dash"}))


@memoised
def group_trend(
    table: pd.DataFrame,
    label: str,
    events: pd.DataFrame,
    title: str,
    percent: bool = False,
    extra_lines: dict[str, pd.Series] | None = None,
    height: int = 360,
    font_size: int | None = None,
    show_legend: bool = True,
) -> go.Figure:
    """One line per group (period_start, group_name, value), plus optional reference lines (dashed), with the
    dated events marked."""
    figure = go.Figure()
    value_format = "%{y:.1%}" if percent else "%{y:,.3~g}"
    for index, (group, rows) in enumerate(table.groupby("group_name", sort=False)):
        colour = CATEGORICAL[index % len(CATEGORICAL)]
        figure.add_trace(
            go.Scatter(
                x=rows["period_start"],
                y=rows["value"],
                mode="lines",
                name=group,
                line=dict(color=colour, width=2.5),
                hovertemplate=f"{group}, %{{x|%-d %b %Y}}: {value_format}<extra></extra>",
            )
        )
    for name, series in (extra_lines or {}).items():
        figure.add_trace(
            go.Scatter(
                x=list(series.index),
                y=series.to_numpy(),
                mode="lines",
                name=name,
                line=reference_line(name),
                hovertemplate=f"{name}, %{{x|%-d %b %Y}}: {value_format}<extra></extra>",
            )
        )
    if not table.empty:
        _mark_events(figure, events, table["period_start"].min(), table["period_start"].max())
    figure.update_yaxes(title=label, tickformat=".0%" if percent else ",", rangemode="tozero")
    _layout(figure, title, height=height)
    _cap_rates(figure, table, percent)
    if font_size:
        figure.update_layout(font=dict(size=font_size))
    figure.update_layout(showlegend=show_legend)
    return figure


# What `with_control` draws, in its order: mean, lower and upper limits, span, special-cause points (week to
# value and judgement), Poisson limits or not, the baseline in words, percent or not.
ControlLines = tuple[
    float, float, float, tuple[Hashable, Hashable], dict[Hashable, tuple[float, Judgement]], bool, str, bool
]


# A rate over this (completions of taskings received earlier, say) runs off the top of its chart, with a note.
RATE_CAP = 1.5


def _cap_rates(figure: go.Figure, table: pd.DataFrame, percent: bool) -> None:
    """An axis of rates stops at RATE_CAP, and a note says which groups run above it, so thirteen lines are not
    squeezed under one that reaches 600%."""
    if not percent or table.empty or not (table["value"] > RATE_CAP).any():
        return
    above = sorted(set(table.loc[table["value"] > RATE_CAP, "group_name"]))
    figure.update_yaxes(range=[0, RATE_CAP])
    # under the title, where no legend or event label runs into it
    figure.update_layout(
        title_subtitle=dict(
            text=f"Axis stops at {RATE_CAP:.0%}: {len(above)} run above it at times ({', '.join(above[:3])}"
            f"{'...' if len(above) > 3 else ''}); the numbers have every value",
            font=dict(size=12, color=GREY),
        )
    )
    figure.update_layout(margin=dict(t=80))


SMALL_TITLE_CHARACTERS = 11  # a line of a small chart's title: fits a quarter of a phone's width at 12 px
SMALL_TITLE_LINE_PX, SMALL_DATES_PX, SMALL_PANEL_PX, CHART_TITLE_PX = 16, 56, 110, 50


def wrapped_title(name: str) -> str:
    """A small chart's title broken into short lines (Plotly's <br>), so four titles side by side on a phone
    do not run into each other; a word longer than a line stays whole."""
    return "<br>".join(textwrap.wrap(name, SMALL_TITLE_CHARACTERS, break_long_words=False)) or name


@memoised
def small_multiples(
    table: pd.DataFrame, label: str, events: pd.DataFrame, title: str, percent: bool = False, columns: int = 4
) -> go.Figure:
    """One small chart per group on a shared scale, so regions can be compared at a glance."""
    groups = list(dict.fromkeys(table["group_name"]))
    rows = max(1, -(-len(groups) // columns))
    titles = [wrapped_title(group) for group in groups]
    # room above each row for its titles' lines, below the row above's date labels (turned on a phone)
    title_px = SMALL_TITLE_LINE_PX * max((title.count("<br>") + 1 for title in titles), default=1)
    gap, top = SMALL_DATES_PX + title_px, CHART_TITLE_PX + title_px
    height = top + 10 + rows * SMALL_PANEL_PX + (rows - 1) * gap
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=titles,
        shared_yaxes=True,
        vertical_spacing=gap / (height - top - 10),
        horizontal_spacing=0.03,
    )
    first, last = (table["period_start"].min(), table["period_start"].max()) if not table.empty else (None, None)
    for index, group in enumerate(groups):
        row, col = index // columns + 1, index % columns + 1
        series = table[table["group_name"] == group]
        value_format = "%{y:.1%}" if percent else "%{y:,.3~g}"
        figure.add_trace(
            go.Scatter(
                x=series["period_start"],
                y=series["value"],
                mode="lines",
                name=group,
                showlegend=False,
                line=dict(color=NAVY, width=2),
                hovertemplate=f"{group}, %{{x|%-d %b %Y}}: {value_format}<extra></extra>",
            ),
            row=row,
            col=col,
        )
        _mark_events(figure, events, first, last, row=row, col=col)
    figure.update_annotations(font=dict(size=12))
    figure.update_yaxes(tickformat=".0%" if percent else ",", rangemode="tozero", matches="y")
    figure.update_xaxes(tickformat="%b %y", nticks=4)
    _layout(figure, title, height=height)
    return figure.update_layout(margin=dict(t=top))


@memoised
def sharing_flows(flows: pd.DataFrame, title: str) -> go.Figure:
    """A flow diagram of intelligence packages from senders (left) to destinations (right). The nodes are placed
    in two fixed columns and named in the margins beside them, so no name is printed on the flows."""
    senders = _column_of_nodes(flows, "sender")
    destinations = _column_of_nodes(flows, "destination")
    labels = list(senders) + list(destinations)
    index = {name: i for i, name in enumerate(labels)}
    figure = go.Figure(
        go.Sankey(
            arrangement="fixed",
            node=dict(
                label=[""] * len(labels),
                customdata=labels,
                pad=12,
                thickness=14,
                line=dict(width=0),
                color=[NAVY] * len(senders) + [TEAL] * len(destinations),
                x=[0.001] * len(senders) + [0.999] * len(destinations),
                y=[*senders.values(), *destinations.values()],
                hovertemplate="%{customdata}: %{value:,}<extra></extra>",
            ),
            link=dict(
                source=[index[s] for s in flows["sender"]],
                target=[index[d] for d in flows["destination"]],
                value=flows["packages"].tolist(),
                color=palette.FLOW_LINK,
                hovertemplate="%{source.customdata} to %{target.customdata}: %{value:,} packages<extra></extra>",
            ),
        )
    )
    height = max(420, 22 * len(senders) + 120)
    for names, side in ((senders, "right"), (destinations, "left")):
        for name, centre in _spread(names, SANKEY_LABEL_PX / (height - 60)).items():
            figure.add_annotation(
                x=0 if side == "right" else 1,
                xref="paper",
                y=1 - centre,
                yref="paper",
                text=name,
                showarrow=False,
                xanchor=side,
                xshift=-6 if side == "right" else 6,
                font=dict(size=12),
            )
    _layout(figure, title, height=height)
    figure.update_layout(margin=dict(l=SANKEY_LABEL_MARGIN, r=SANKEY_LABEL_MARGIN))
    return figure


SANKEY_LABEL_MARGIN = 240  # pixels either side for the names ("Immigration Enforcement (Home Office)" at 12 px)
SANKEY_LABEL_PX = 21  # the least distance between two names' centres (a 12 px name's box, with room)


def _spread(centres: dict[str, float], gap: float) -> dict[str, float]:
    """The names' heights (0 at the top, 1 at the bottom) moved apart where two nodes are closer than `gap`:
    each as near its node as the others allow, in the nodes' order, inside the plot."""
    names, wanted = list(centres), list(centres.values())
    placed: list[float] = []
    for centre in wanted:  # downwards: each at least a gap below the one above
        placed.append(max(centre, placed[-1] + gap) if placed else max(centre, gap / 2))
    for index in range(len(placed) - 1, -1, -1):  # upwards: the last inside the plot, the others above it
        ceiling = 1 - gap / 2 if index == len(placed) - 1 else placed[index + 1] - gap
        placed[index] = min(placed[index], ceiling)
    return dict(zip(names, placed, strict=True))


def _column_of_nodes(flows: pd.DataFrame, column: str) -> dict[str, float]:
    """Each node of one side, in order of first appearance, with its centre from the top (0 to 1): its share of
    the packages, with an even gap between nodes."""
    totals = flows.groupby(column, sort=False)["packages"].sum()
    gap = 0.15 / max(len(totals) - 1, 1)
    scale = (1 - gap * (len(totals) - 1)) / max(float(totals.sum()), 1.0)
    centres, top = {}, 0.0
    for name, packages in totals.items():
        height = float(packages) * scale
        centres[str(name)] = min(max(top + height / 2, 0.001), 0.999)
        top += height + gap
    return centres


@memoised
def ranked_bars(
    table: pd.DataFrame,
    label_column: str,
    value_column: str,
    title: str,
    axis_title: str,
    percent: bool = False,
    target: float | None = None,
    height: int | None = None,
    lowest_first: bool = False,
) -> go.Figure:
    """Horizontal bars, largest at the top (or, `lowest_first`, the lowest at the top: "furthest behind"),
    with an optional target line; a value of None draws no bar."""
    ordered = table.sort_values(value_column, ascending=not lowest_first, na_position="first")
    figure = go.Figure(
        go.Bar(
            x=ordered[value_column],
            y=ordered[label_column],
            orientation="h",
            marker_color=NAVY,
            hovertemplate="%{y}: " + ("%{x:.1%}" if percent else "%{x:,}") + "<extra></extra>",
        )
    )
    if target is not None:
        figure.add_vline(x=target, line=dict(color=TARGET, width=2, dash="dash"))
        figure.add_annotation(
            x=target,
            y=1.0,
            yref="paper",
            text=f"Target {target:.0%}" if percent else "Target",
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font=dict(color=TARGET),
        )
    figure.update_xaxes(title=axis_title, tickformat=".0%" if percent else ",")
    return _layout(figure, title, height=height or 24 * len(ordered) + 120)


@memoised
def crossings_context(arrivals: pd.DataFrame, title: str) -> go.Figure:
    """The real monthly small-boat crossings; provisional and partial months in a lighter colour."""
    official = arrivals["status"].eq("official")
    figure = go.Figure()
    for name, rows, colour in (
        ("Official statistics", arrivals[official], NAVY),
        ("Provisional or partial month", arrivals[~official], palette.LIGHT_BLUE),
    ):
        figure.add_trace(
            go.Bar(
                x=rows["month"],
                y=rows["people"],
                name=name,
                marker_color=colour,
                customdata=rows["status"],
                hovertemplate="%{x|%b %Y}: %{y:,} people (%{customdata})<extra></extra>",
            )
        )
    figure.update_yaxes(title="People detected crossing", tickformat=",")
    figure.update_layout(barmode="overlay", bargap=0.15)
    return _layout(figure, title, height=300)


@memoised
def trend_with_events(
    series: pd.Series,
    label: str,
    events: pd.DataFrame,
    title: str,
    percent: bool = False,
    provisional: tuple[object, str] | None = None,
) -> go.Figure:
    """A single weekly national series with the dated events marked. `provisional` (the week, 'provisional: 28
    of 49 returns'): that week is drawn apart, a hollow marker with no line to it, never as part of the line
    (a week still filling up is not a fall)."""
    complete = series.drop(provisional[0], errors="ignore") if provisional else series
    table = pd.DataFrame({"period_start": list(complete.index), "group_name": label, "value": complete.to_numpy()})
    # A variant is built with its own arguments: a memoised figure is shared and never changed after it is built.
    figure = group_trend(table, label, events, title, percent=percent, height=300, show_legend=False)
    if provisional and provisional[0] in series.index and not pd.isna(series.get(provisional[0])):
        figure = with_provisional(figure, provisional[0], float(series[provisional[0]]), provisional[1], CATEGORICAL[0])
        figure.update_layout(showlegend=True)
    return figure


def with_provisional(
    figure: go.Figure, week, value: float, words: str, colour: str, name: str | None = None
) -> go.Figure:
    """A copy of `figure` with a provisional week drawn as provisional: a hollow marker standing apart from the
    line, with no line running down to it (a week still filling up is not a fall), its legend 'provisional: 28
    of 49 returns' (or `name`)."""
    drawn = go.Figure(figure)
    drawn.add_trace(
        go.Scatter(
            x=[week],
            y=[value],
            mode="markers",
            name=name or words,
            legendgroup="provisional",
            marker=dict(symbol="circle-open", size=12, color=colour, line=dict(width=2.5)),
            hovertemplate=f"{words}, %{{x|%-d %b %Y}}: %{{y:,.3~g}}<extra></extra>",
        )
    )
    return drawn


@memoised
def group_trend_with_control(
    table: pd.DataFrame,
    label: str,
    events: pd.DataFrame,
    title: str,
    percent: bool,
    extra_lines: dict[str, pd.Series] | None,
    lines: ControlLines,
) -> go.Figure:
    """`group_trend` with `lines` drawn over it, built once for the same table and lines (a page that reruns
    with the same choices sends the same figure, rather than copying the trend and drawing the limits again)."""
    return with_control(group_trend(table, label, events, title, percent=percent, extra_lines=extra_lines), *lines)


def with_control(
    figure: go.Figure,
    mean: float,
    lower: float,
    upper: float,
    span: tuple[Hashable, Hashable],
    special: dict[Hashable, tuple[float, Judgement]],
    poisson: bool,
    baseline_words: str,
    percent: bool = False,
    annotate: bool = True,
) -> go.Figure:
    """A copy of `figure` with a control chart over it: the mean (solid) and limits (dashed) across `span` (the
    baseline's first week to the week judged), and each special-cause point marked by shape and colour, named in
    the legend in the verdict's words, and the baseline in words over the plot (`annotate`). The limits are the
    verdict's own (analysis/variation.py), passed in."""
    drawn = go.Figure(figure)
    xs = list(span)
    value_format = "%{y:.1%}" if percent else "%{y:,.3~g}"
    limits_word = POISSON_LIMITS_WORD if poisson else LIMITS_WORD
    drawn.add_trace(
        go.Scatter(
            x=xs,
            y=[mean, mean],
            mode="lines",
            name=MEAN_WORD,
            legendgroup="control",
            line=dict(color=palette.CONTROL_MEAN, width=1.5),
            hovertemplate=f"{MEAN_WORD}: {value_format}<extra></extra>",
        )
    )
    for index, level in enumerate((upper, max(lower, 0.0))):
        drawn.add_trace(
            go.Scatter(
                x=xs,
                y=[level, level],
                mode="lines",
                name=limits_word,
                legendgroup="control",
                showlegend=index == 0,
                # dotted: a dashed line beside the measures is last year's or a target
                line=dict(color=palette.CONTROL_LIMIT, width=1.5, dash="dot"),
                hovertemplate=f"{limits_word}: {value_format}<extra></extra>",
            )
        )
    for judgement in (Judgement.GOOD, Judgement.BAD, Judgement.NEUTRAL):
        points = {week: value for week, (value, said) in special.items() if said == judgement}
        if points:
            drawn.add_trace(
                go.Scatter(
                    x=list(points),
                    y=list(points.values()),
                    mode="markers",
                    name=judgement.short(),
                    marker=dict(
                        symbol=palette.SPECIAL_CAUSE_SYMBOL[judgement], size=11, color=palette.SPECIAL_CAUSE[judgement]
                    ),
                    hovertemplate=f"{judgement.short()}, %{{x|%-d %b %Y}}: {value_format}<extra></extra>",
                )
            )
    if annotate:  # a slide says the baseline under the chart, where the room's legend does not cover it
        _say_baseline(drawn, baseline_words)
    drawn.update_layout(showlegend=True)
    return drawn


def _say_baseline(drawn: go.Figure, baseline_words: str) -> None:
    drawn.add_annotation(
        text=baseline_words,
        xref="paper",
        yref="paper",
        x=1,
        y=1.0,
        showarrow=False,
        xanchor="right",
        yanchor="bottom",
        font=dict(size=11, color=palette.CONTROL_LIMIT),
    )


@memoised
def progress_forecast(
    history: pd.DataFrame, as_of, earliest, projected, latest, level_now: float | None, due, title: str
) -> go.Figure:
    """Percent complete in the national reports, the pace projected to 100% (dashed) and the range the pace's
    uncertainty allows (shaded), with the due date marked."""
    ordered = history.sort_values("as_of_date")
    figure = go.Figure(
        go.Scatter(
            x=ordered["as_of_date"],
            y=ordered["percent_complete"],
            mode="lines+markers",
            name="Reported",
            line=dict(color=NAVY, width=2),
            hovertemplate="%{x|%-d %b %Y}: %{y}%<extra></extra>",
        )
    )
    if projected is not None and level_now is not None:
        slowest = latest or (as_of + dt.timedelta(days=3 * 365))
        figure.add_trace(
            go.Scatter(
                x=[as_of, earliest, slowest, as_of],
                y=[level_now, 100, 100, level_now],
                fill="toself",
                fillcolor=palette.FORECAST_RANGE,
                line=dict(width=0),
                name="Range of the projection",
                hoverinfo="skip",
            )
        )
        figure.add_trace(
            go.Scatter(
                x=[as_of, projected],
                y=[level_now, 100],
                mode="lines",
                name="Projected at the recent pace",
                line=dict(color=FORECAST, dash="dash", width=2),
                hovertemplate="%{x|%b %Y}<extra></extra>",
            )
        )
    if due is not None:
        figure.add_vline(x=due, line=dict(color=GREY, dash="dot", width=1.5))
        figure.add_annotation(x=due, y=104, text="Due", showarrow=False, font=dict(size=12, color=GREY))
    figure.update_yaxes(title="Percent complete", range=[0, 108])
    figure.update_xaxes(tickformat="%b %Y")
    return _layout(figure, title, height=300)


@memoised
def funnel_plot(
    points: pd.DataFrame,
    lines: pd.DataFrame,
    national: float,
    title: str,
    base_title: str,
    rate_title: str,
    percent: bool = False,
) -> go.Figure:
    """Each organisation's rate (points: name, base, rate) against its base, on a log scale of the base, with
    the national rate and its 95% and 99.8% limits (lines: base, lower_/upper_ 0.95 and 0.998)."""
    number = "%{y:.1%}" if percent else "%{y:,.1f}"
    figure = go.Figure()
    for level, dash in (("0.998", "solid"), ("0.95", "dash")):
        for side in ("upper", "lower"):
            figure.add_trace(
                go.Scatter(
                    x=lines["base"],
                    y=lines[f"{side}_{level}"],
                    mode="lines",
                    line=dict(color=GREY, width=1, dash=dash, shape="hv"),
                    name=f"{float(level):.1%} limits".replace(".0%", "%"),
                    showlegend=side == "upper",
                    hoverinfo="skip",
                )
            )
    figure.add_hline(
        y=national,
        line=dict(color=palette.NATIONAL, width=2),
        annotation_text="National",
        annotation_position="top left",
    )
    figure.add_trace(
        go.Scatter(
            x=points["base"],
            y=points["rate"],
            mode="markers",
            text=points["name"],
            name="Organisation",
            marker=dict(color=NAVY, size=8),
            customdata=points["position"],
            hovertemplate="%{text}: " + number + " on %{x:,} (%{customdata})<extra></extra>",
        )
    )
    figure.update_xaxes(type="log", title=base_title)
    figure.update_yaxes(title=rate_title, tickformat=".0%" if percent else None)
    return _layout(figure, title, height=380)
