"""Headline cards and status tags."""

from __future__ import annotations

import base64
import html

import pandas as pd
import streamlit as st

from taskforce.analysis.drawn import marked_special_causes
from taskforce.analysis.headlines import HeadlineCard
from taskforce.charts import SparkLimits, sparkline
from taskforce.core.formats import format_change, format_value
from taskforce.measures import palette
from taskforce.measures.palette import JUDGEMENT_TINT
from taskforce.measures.vocabulary import LIMITS_WORD, MEAN_WORD, PROVISIONAL_WORD, Judgement
from taskforce.ui.downloads import download_csv
from taskforce.ui.prepared_figures import prepared
from taskforce.ui.styles import badge_colour
from taskforce.ui.text import escape_markdown

SPARKLINE_HEIGHT = "70px"


def _delta_colour(card: HeadlineCard) -> str:
    """Colour only a change the variation test calls good or bad; within normal variation it stays grey."""
    if card.judgement not in (Judgement.GOOD, Judgement.BAD) or card.measure.higher_is_better is None:
        return "off"
    return "normal" if card.measure.higher_is_better else "inverse"


def sparkline_text(card: HeadlineCard) -> str:
    """The sparkline in words, for anyone who cannot see it: its weeks, the mean and limits it draws, and a
    provisional last week."""
    values = card.sparkline.dropna()
    if values.empty:
        return "No data for the last 26 weeks."
    if len(values) == 1:
        return f"One week so far: {format_value(card.measure, values.iloc[0])}."
    low, high = values.min(), values.max()
    said = (
        f"Last {len(values)} weeks: from {format_value(card.measure, values.iloc[0])} to "
        f"{format_value(card.measure, values.iloc[-1])}; low {format_value(card.measure, low)}, "
        f"high {format_value(card.measure, high)}."
    )
    if card.control is not None:
        mean, limits = format_value(card.measure, card.control.mean), card.control.limits.words(card.measure)
        said += f" {MEAN_WORD} {mean}, limits {limits}."
    if card.judgement is Judgement.PROVISIONAL:
        said += f" The last week is {PROVISIONAL_WORD}, drawn apart and not judged."
    return said


def spark_limits(card: HeadlineCard) -> SparkLimits | None:
    """The card's own control chart (the Control its verdict came from) as its sparkline draws it."""
    control = card.control
    if control is None:
        return None
    special = marked_special_causes(control, card.measure, judged=card.judgement is not Judgement.PROVISIONAL)
    return SparkLimits(
        control.mean,
        control.limits.lower,
        control.limits.upper,
        control.span[0],
        tuple((week, said) for week, (_, said) in special.items()),
    )


def sparkline_key(limits: str | None, provisional: bool) -> str:
    """One small line under a sparkline naming what it draws beside the measure: `limits` None, no mean and
    limits drawn; else the words after 'Limits' ('' or '48 to 92', the big screen's one line of figures)."""
    keys = (
        []
        if limits is None
        else [
            (palette.CONTROL_MEAN, "\u2501", MEAN_WORD),
            (palette.CONTROL_LIMIT, "\u2505", f"{LIMITS_WORD} {limits}".strip()),
        ]
    ) + ([(palette.LIGHT_BLUE, "\u25cb", f"{PROVISIONAL_WORD.capitalize()} week")] if provisional else [])
    return " ".join(
        f'<span style="white-space:nowrap;margin-right:0.8em"><span style="color:{colour}" aria-hidden="true">'
        f"{mark}</span> {html.escape(word)}</span>"
        for colour, mark, word in keys
    )


def sparkline_image(
    series: pd.Series,
    description: str,
    height: str = SPARKLINE_HEIGHT,
    limits: SparkLimits | None = None,
    provisional: bool = False,
    limits_words: str = "",
) -> None:
    """The sparkline as an image (a data: URL, so nothing is fetched), its words as alt text and tooltip; with
    the card's mean and limits, and a provisional last week drawn apart, named in a key beneath it (with
    `limits_words`, the limits' figures in the key)."""
    encoded = base64.b64encode(sparkline(series, limits, provisional).encode()).decode()
    words = html.escape(description, quote=True)
    key = sparkline_key(None if limits is None else limits_words, provisional)
    st.html(
        f'<img src="data:image/svg+xml;base64,{encoded}" alt="{words}" title="{words}" '
        f'style="width:100%;height:{height};display:block">'
        + (f'<div class="sparkline-key" style="font-size:0.8rem;color:{palette.TEXT}">{key}</div>' if key else "")
    )


def headline_card(card: HeadlineCard, compact: bool = False, sparkline_height: str | None = None) -> None:
    """A card: value, change on the previous week, 26-week trend with the verdict's mean and limits, and the
    comparisons in words. `compact` keeps one line, the limits, for the big screen (no help icon there)."""
    item = card.measure
    previous = card.against_previous_week
    provisional = card.judgement is Judgement.PROVISIONAL
    # a week still filling up shows no fall on the one before: its figures will rise as returns arrive
    changed = previous.change is not None and not provisional
    with st.container(border=True):
        st.metric(
            label=item.label if card.over_weeks == 1 else f"{item.label}, {card.over_weeks} weeks",
            value=card.formatted_value,
            delta=format_change(item, previous.change or 0.0) if changed else None,
            delta_color=_delta_colour(card),
            delta_description="on the previous week" if changed else None,
            help=None if compact else card.help_words(),
        )
        verdict = card.judgement
        st.badge(verdict.short().capitalize(), icon=verdict.icon(), color=JUDGEMENT_TINT.get(verdict, "gray"))
        sparkline_image(
            card.sparkline,
            f"{item.label}, last 26 weeks. {sparkline_text(card)}",
            sparkline_height or SPARKLINE_HEIGHT,
            spark_limits(card),
            verdict is Judgement.PROVISIONAL,
            card.limits.words(item) if compact and card.limits and card.control else "",
        )
        # On the big screen the badge says the verdict and the key the limits drawn: no sentence again (a rate
        # judged over 12 weeks has limits for its last week only, drawn nowhere, so they are said).
        lines = (
            ([f"Limits {card.limits.words(item)}"] if card.limits and card.control is None else [])
            if compact
            else [
                *([_not_compared(card)] if provisional else _comparisons(card)),
                card.variation_words(),
                sparkline_text(card),
            ]
        )
        if card.over_100_percent_note():
            lines.append(card.over_100_percent_note())
        st.caption("  \n".join(escape_markdown(line) for line in lines))


def _comparisons(card: HeadlineCard) -> list[str]:
    item = card.measure
    return [
        card.against_previous_week.words(item, "the previous week"),
        card.against_average.words(item, card.average_label),
    ]


def _not_compared(card: HeadlineCard) -> str:
    """A provisional week's card: no change on the weeks before, which a week still filling up would show as a
    fall; the complete week before it is named."""
    before = card.against_previous_week.reference_value
    said = "" if before is None else f" (the previous week, complete: {format_value(card.measure, before)})"
    return f"Not compared with the weeks before{said}: the figures will rise as returns arrive."


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
    st.plotly_chart(prepared(figure), config=CHART_CONFIG, width="stretch", key=key)
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
