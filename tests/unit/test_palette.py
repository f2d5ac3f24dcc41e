"""One palette: the theme in .streamlit/config.toml agrees with the colours the charts, maps, tags and pack use."""
from __future__ import annotations

import tomllib

from taskforce.measures import palette
from taskforce.measures.vocabulary import Receipt, Status
from tests.conftest import PROJECT_ROOT

THEME = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]


def test_the_theme_uses_the_palettes_main_colours():
    assert THEME["primaryColor"].upper() == palette.NAVY.upper()
    assert THEME["textColor"].lower() == palette.TEXT.lower()
    assert THEME["backgroundColor"].lower() == palette.PAGE_BACKGROUND.lower()
    assert THEME["secondaryBackgroundColor"].lower() == palette.SECONDARY_BACKGROUND.lower()
    assert THEME["linkColor"].lower() == palette.LINK.lower()


def test_the_themes_chart_colours_are_the_analysis_function_palette():
    assert [c.upper() for c in THEME["chartCategoricalColors"]] == [c.upper() for c in palette.CATEGORICAL]
    sequential = [c.upper() for c in THEME["chartSequentialColors"]]
    assert sequential[0] == palette.SEQUENTIAL[0].upper() and sequential[-1] == palette.SEQUENTIAL[-1].upper()


def test_the_themes_tag_tints_are_the_palettes():
    for name, tint in palette.TINTS.items():
        assert THEME[f"{name}TextColor"].lower() == tint.text.lower()
        assert THEME[f"{name}BackgroundColor"].lower() == tint.background.lower()


def test_every_status_and_receipt_has_a_tint_and_a_chart_colour():
    assert set(palette.STATUS_TINT) == set(Status)
    assert set(palette.STATUS_CHART) == set(Status)
    assert set(palette.RECEIPT_TINT) == set(Receipt)
    assert all(tint in palette.TINTS for tint in [*palette.STATUS_TINT.values(), *palette.RECEIPT_TINT.values()])


def test_dark_fills_are_the_darker_blues():
    assert {"#2073BC", "#12436D", "#092135"} == palette.DARK_FILLS
