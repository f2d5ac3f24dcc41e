"""Headline cards and status tags."""

from __future__ import annotations

import base64
import html

import pandas as pd
import streamlit as st

from taskforce.analysis.headlines import HeadlineCard
from taskforce.charts import sparkline
from taskforce.core.formats import format_change, format_value
from taskforce.measures.palette import JUDGEMENT_TINT
from taskforce.measures.vocabulary import Judgement
from taskforce.ui.downloads import download_csv
from taskforce.ui.styles import badge_colour
from taskforce.ui.text import escape_markdown

SPARKLINE_HEIGHT = "70px"


def _delta_colour(card: HeadlineCard) -> str:
    """Colour only a change the variation test calls good or bad; within normal variation it stays grey."""
    if card.judgement not in (Judgement.GOOD, Judgement.BAD) or card.measure.higher_is_better is None:
        return "off"
    return "normal" if card.measure.higher_is_better else "inverse"


def sparkline_text(card: HeadlineCard) -> str:
    """The sparkline in words, for anyone who cannot see it."""
    values = card.sparkline.dropna()
    if values.empty:
        return "No data for the last 26 weeks."
    if len(values) == 1:
        return f"One week so far: {format_value(card.measure, values.iloc[0])}."
    low, high = values.min(), values.max()
    return (
        f"Last {len(values)} weeks: from {format_value(card.measure, values.iloc[0])} to "
        f"{format_value(card.measure, values.iloc[-1])}; low {format_value(card.measure, low)}, "
        f"high {format_value(card.measure, high)}."
    )


def sparkline_image(series: pd.Series, description: str, height: str = SPARKLINE_HEIGHT) -> None:
    """The sparkline as an image (a data: URL, so nothing is fetched), its words as alt text and tooltip."""
    encoded = base64.b64encode(sparkline(series).encode()).decode()
    words = html.escape(description, quote=True)
    st.html(
        f'<img src="data:image/svg+xml;base64,{encoded}" alt="{words}" title="{words}" '
        f'style="width:100%;height:{height};display:block">'
    )


def headline_card(card: HeadlineCard, compact: bool = False, sparkline_height: str | None = None) -> None:
    """A card: value, change on the previous week, 26-week trend and the comparisons in words. `compact` keeps
    one line, the limits, for the big screen."""
    item = card.measure
    previous = card.against_previous_week
    with st.container(border=True):
        st.metric(
            label=item.label if card.over_weeks == 1 else f"{item.label}, {card.over_weeks} weeks",
            value=card.formatted_value,
            delta=format_change(item, previous.change) if previous.change is not None else None,
            delta_color=_delta_colour(card),
            delta_description="on the previous week",
            help=card.help_words(),
        )
        verdict = card.judgement
        st.badge(verdict.short().capitalize(), icon=verdict.icon(), color=JUDGEMENT_TINT.get(verdict, "gray"))
        sparkline_image(
            card.sparkline, f"{item.label}, last 26 weeks. {sparkline_text(card)}", sparkline_height or SPARKLINE_HEIGHT
        )
        # On the big screen the badge says the verdict: one short line of limits under it, no sentence again.
        lines = (
            ([f"Limits {card.limits.words(item)}"] if card.limits else [])
            if compact
            else [
                previous.words(item, "the previous week"),
                card.against_average.words(item, card.average_label),
                card.variation_words(),
                sparkline_text(card),
            ]
        )
        if card.over_100_percent_note():
            lines.append(card.over_100_percent_note())
        st.caption("  \n".join(escape_markdown(line) for line in lines))


def status_tag(status: str) -> None:
    st.badge(status, color=badge_colour(status))


CHART_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def chart_card(
    figure,
    description: str,
    numbers: pd.DataFrame,
    file_name: str,
    key: str,
    about: str = "",
    count_columns: list[str] | None = None,
    derived_columns: list[str] | None = None,
) -> None:
    """A chart with its text description, an optional line about the measure, and its numbers: a download,
    and a table on demand (a toggle, so hidden tables cost nothing)."""
    st.plotly_chart(figure, config=CHART_CONFIG, width="stretch", key=key)
    # one caption and one row of controls: every element is a message to the browser on every rerun
    lines = [f"Chart description: {description}", *([f"About this measure: {about}"] if about else [])]
    st.caption("  \n".join(escape_markdown(line) for line in lines))
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        shown = st.toggle("Show the numbers", key=f"{key}_numbers")
        download_csv(
            "Download the numbers (CSV)",
            numbers,
            file_name,
            key=f"{key}_download",
            count_columns=count_columns,
            derived_columns=derived_columns,
        )
    if shown:
        st.dataframe(numbers, hide_index=True, width="stretch")
