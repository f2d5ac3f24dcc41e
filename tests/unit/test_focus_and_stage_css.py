"""Accessibility in use and the big screen, as the CSS says them: a focus outline nobody misses (GOV.UK's
yellow with a black line under it) on every page, and no "?" help icons on a presented slide."""

from __future__ import annotations

from taskforce.measures import palette
from taskforce.ui.frame import BANNER_CSS
from taskforce.ui.presenting import STAGE_CSS


def test_every_page_has_the_gov_uk_focus_style():
    assert palette.FOCUS == "#ffdd00"
    assert "focus-visible" in BANNER_CSS and f"outline: 3px solid {palette.FOCUS}" in BANNER_CSS
    assert palette.TEXT in BANNER_CSS.split("focus-visible", 1)[1]


def test_presenting_hides_the_help_icons():
    assert '[data-testid="stTooltipIcon"] { display: none !important; }' in STAGE_CSS
