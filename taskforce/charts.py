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
