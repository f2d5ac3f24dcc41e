"""Showing text as text: values never become Markdown or HTML."""

from __future__ import annotations

import html
import re

import streamlit as st

from taskforce.ui.styles import badge_colour

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: str) -> str:
    """Escape every character Streamlit's Markdown (and its LaTeX `$`) would interpret."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def markdown_table(frame, tags: tuple[str, ...] = ()) -> str:
    """A static table as Markdown, every cell and heading escaped. It draws with the Markdown already on the
    page, where an interactive st.dataframe first loads 1.2 MB of grid code: for a short table a reader scans,
    not sorts. Numbers are right-aligned. The status words in the `tags` columns are drawn as tags in their
    status colour (the word escaped inside the tag)."""

    def cell(value) -> str:
        return escape_markdown("" if value is None or value != value else value).replace("\n", " ")

    frame = frame.assign(
        **{
            column: [f":{badge_colour(str(word))}-badge[{cell(word)}]" if cell(word) else "" for word in frame[column]]
            for column in tags
        }
    )
    tagged = set(tags)

    def shown(column: str, value) -> str:
        return str(value) if column in tagged else cell(value)

    numeric = [frame[column].dtype.kind in "iuf" for column in frame.columns]
    head = "| " + " | ".join(cell(column) for column in frame.columns) + " |"
    rule = "| " + " | ".join("---:" if is_number else "---" for is_number in numeric) + " |"
    rows = [
        "| " + " | ".join(shown(column, value) for column, value in zip(frame.columns, row, strict=True)) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows])


def name_the_next(kind: str, name: str) -> None:
    """An accessible name for the canvas drawn next (a map or a data grid, which a screen reader cannot read
    as drawn): a caption only assistive technology reads (styles.LAYOUT_CSS), escaped, saying where the same
    figures are as text."""
    st.html(f'<p class="visually-hidden">{html.escape(kind)}: {html.escape(name)}</p>')
