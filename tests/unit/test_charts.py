"""Charts drawn without Plotly: the sparkline as SVG; and the static table as escaped Markdown."""

from __future__ import annotations

import pandas as pd


def test_a_sparkline_is_a_small_svg_of_numbers_only():
    import xml.etree.ElementTree as ElementTree

    from taskforce.charts import SPARKLINE_HEIGHT, SPARKLINE_PAD, sparkline

    svg = sparkline(pd.Series([3.0, None, 9.0, 6.0], index=pd.date_range("2026-11-01", periods=4, freq="W")))
    root = ElementTree.fromstring(svg)  # well formed
    points = [tuple(map(float, pair.split(","))) for pair in root[0].get("points").split()]
    assert len(points) == 3  # the missing week is left out, not drawn as zero
    assert [y for _, y in points] == [SPARKLINE_HEIGHT - SPARKLINE_PAD, SPARKLINE_PAD, SPARKLINE_HEIGHT / 2]
    assert len(svg) < 1000
    assert ElementTree.fromstring(sparkline(pd.Series(dtype=float))).get("viewBox")  # no data: an empty frame


def test_a_static_tables_cells_are_escaped_so_nothing_becomes_markup():
    """st.table reads every text cell and heading as Markdown: each is escaped, numbers stay numbers (so they
    are right-aligned), and a tag column's word is escaped inside its coloured tag."""
    from taskforce.ui.text import table_cells

    shown = table_cells(
        pd.DataFrame({"No.": [1], "Title [x]": ["<img src=x onerror=alert(1)> | **bold** [x](y)"], "S": ["Overdue"]}),
        tags=("S",),
    )
    assert list(shown.columns) == [r"No\.", r"Title \[x\]", "S"]
    assert shown[r"No\."].dtype.kind == "i"
    assert shown.iloc[0, 1] == r"\<img src=x onerror=alert\(1\)\> \| \*\*bold\*\* \[x\]\(y\)"
    assert shown.iloc[0, 2] == ":red-badge[Overdue]"
