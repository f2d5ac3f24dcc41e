"""Showing text as text: values never become Markdown or HTML."""
from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def escape_markdown(text: str) -> str:
    """Escape every character Streamlit's Markdown (and its LaTeX `$`) would interpret."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
