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


def static_table(frame, alt: str, tags: tuple[str, ...] = ()) -> None:
    """A short table a reader scans, not sorts: Streamlit's static table (st.table, drawn as an HTML table
    with an accessible name, scrolling inside its own box on a narrow screen), not the data grid, which
    first loads 1.2 MB of grid code. st.table reads each text cell as Markdown, so every text cell and
    heading is escaped; numbers stay numbers (right-aligned). The status words in the `tags` columns are
    drawn as tags in their status colour (the word escaped inside the tag)."""
    st.table(table_cells(frame, tags), hide_index=True, alt=alt)


def table_cells(frame, tags: tuple[str, ...] = ()):
    """The frame as st.table shows it: text cells and headings escaped, `tags` columns as coloured tags."""

    def cell(value) -> str:
        return escape_markdown("" if value is None or value != value else value).replace("\n", " ")

    def column(name: str):
        values = frame[name]
        if name in tags:
            return [f":{badge_colour(str(word))}-badge[{cell(word)}]" if cell(word) else "" for word in values]
        return values if values.dtype.kind in "iuf" else [cell(value) for value in values]

    return type(frame)({cell(name): column(name) for name in frame.columns})


def name_the_next(kind: str, name: str) -> None:
    """An accessible name for the canvas drawn next (a map or a data grid, which a screen reader cannot read
    as drawn): a caption only assistive technology reads (styles.LAYOUT_CSS), escaped, saying where the same
    figures are as text."""
    st.html(f'<p class="visually-hidden">{html.escape(kind)}: {html.escape(name)}</p>')
