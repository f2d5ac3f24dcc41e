"""Showing text as text: values never become Markdown or HTML."""
from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: str) -> str:
    """Escape every character Streamlit's Markdown (and its LaTeX `$`) would interpret."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def markdown_table(frame) -> str:
    """A static table as Markdown, every cell and heading escaped. It draws with the Markdown already on the
    page, where an interactive st.dataframe first loads 1.2 MB of grid code: for a short table a reader scans,
    not sorts. Numbers are right-aligned."""
    def cell(value) -> str:
        return escape_markdown("" if value is None or value != value else value).replace("\n", " ")

    numeric = [frame[column].dtype.kind in "iuf" for column in frame.columns]
    head = "| " + " | ".join(cell(column) for column in frame.columns) + " |"
    rule = "| " + " | ".join("---:" if is_number else "---" for is_number in numeric) + " |"
    rows = ["| " + " | ".join(cell(value) for value in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])
