"""A figure is turned into what st.plotly_chart sends once while it lives, not at every rerun: the chart sent
is exactly the figure's, the same figure is worked out once, and what was worked out goes when the figure
does. And the trend chart with the verdict's limits is built once per table and verdict."""

from __future__ import annotations

import datetime as dt
import gc

import pandas as pd
import plotly.graph_objects as go
import plotly.io
from streamlit.proto.PlotlyChart_pb2 import PlotlyChart as PlotlyChartProto

from taskforce import charts
from taskforce.measures.vocabulary import Judgement
from taskforce.ui import prepared_figures
from taskforce.ui.prepared_figures import prepared

WEEKS = pd.date_range("2026-01-03", periods=12, freq="7D")


def _figure() -> go.Figure:
    values = [float(n) for n in range(11)] + [float("nan")]  # a gap, as a hidden count draws
    figure = go.Figure(go.Scatter(x=WEEKS, y=values, name="OIC arrests"))
    figure.update_layout(title="OIC arrests, weekly")
    return figure


def _sent_spec(figure_or_prepared) -> str:
    """The spec Streamlit puts in the chart's message, the way st.plotly_chart makes it."""
    figure = plotly.tools.return_figure_from_figure_or_data(figure_or_prepared, validate_figure=True)
    proto = PlotlyChartProto()
    proto.spec = plotly.io.to_json(figure, validate=False)
    return proto.spec


def test_the_chart_sent_is_the_figures_own():
    figure = _figure()
    assert _sent_spec(prepared(figure)) == _sent_spec(figure)


def test_a_figure_is_worked_out_once_while_it_lives(monkeypatch):
    figure = _figure()
    calls = []
    original = go.Figure.to_dict

    def counted(self):
        calls.append(self)
        return original(self)

    monkeypatch.setattr(go.Figure, "to_dict", counted)
    first, second = prepared(figure), prepared(figure)
    assert first is second and len(calls) == 1
    assert prepared(_figure()) is not first  # another figure, even an equal one, is its own


def test_what_was_worked_out_goes_with_its_figure():
    gc.collect()
    before = prepared_figures.held()
    figures = [_figure() for _ in range(5)]
    for figure in figures:
        prepared(figure)
    assert prepared_figures.held() == before + 5
    del figures, figure
    gc.collect()
    assert prepared_figures.held() == before


def test_the_trend_with_its_limits_is_built_once_per_table_and_verdict():
    table = pd.DataFrame({"period_start": WEEKS, "group_name": "National", "value": [float(n) for n in range(12)]})
    events = pd.DataFrame(columns=["event_date", "end_date", "label"])
    lines = (
        5.5,
        0.0,
        11.0,
        (dt.date(2026, 1, 3), dt.date(2026, 3, 21)),
        {pd.Timestamp("2026-03-21"): (11.0, Judgement.BAD)},
        False,
        "Baseline 3 Jan to 21 Mar 2026",
        False,
    )
    built = charts.group_trend_with_control(table, "Arrests", events, "OIC arrests", False, None, lines)
    again = charts.group_trend_with_control(table.copy(), "Arrests", events, "OIC arrests", False, None, lines)
    assert again is built
    drawn = charts.with_control(charts.group_trend(table, "Arrests", events, "OIC arrests"), *lines)
    assert plotly.io.to_json(built) == plotly.io.to_json(drawn)
    other = charts.group_trend_with_control(table, "Arrests", events, "OIC arrests", False, None, (6.0, *lines[1:]))
    assert other is not built
