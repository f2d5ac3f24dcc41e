"""A CSV is written when its button is pressed (deferred), and arrives with the marking on its first line."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_a_deferred_csv_download_arrives_marked_and_whole(open_page):
    page = open_page("/trends").page
    with page.expect_download(timeout=60_000) as downloading:
        page.get_by_role("button", name="Download the numbers (CSV)").first.click()
    download = downloading.value
    assert download.suggested_filename == "oic_arrests_weekly.csv"
    lines = Path(download.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# OFFICIAL-SENSITIVE"
    assert lines[1].startswith("period_starting,group,oic_arrests")
    assert len(lines) > 50
