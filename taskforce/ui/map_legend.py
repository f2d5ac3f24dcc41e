"""A map's legend: each colour class with its range, and the key for no return."""

from __future__ import annotations

import html

import streamlit as st

from taskforce.maps import areas
from taskforce.measures.registry import Measure


def legend(classes: areas.Classes, basis: str, item: Measure) -> None:
    """The colour classes with their exact ranges, then the keys for areas outside them (no return, partial,
    not applicable); our own words, escaped all the same."""
    swatches = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:14px">'
        f'<span style="width:22px;height:14px;background:{colour};border:1px solid #888;margin-right:6px"></span>'
        f"{html.escape(label)}</span>"
        for colour, label in [*zip(classes.colours, classes.labels, strict=True), *classes.keys]
    )
    st.html(
        f'<div role="img" aria-label="Map legend" style="font-size:14px;line-height:2">'
        f"<strong>{html.escape(item.label)} ({html.escape(basis.lower())})</strong><br>{swatches}</div>"
    )
