"""Running a page in wider circulation for the attacks: every download, chart and table it draws recorded as it
is drawn (the count queries are forbidden by the fixture of test_wider_pages_read_only_the_release)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

CHARTS = (
    "plotly_chart",
    "pydeck_chart",
    "altair_chart",
    "vega_lite_chart",
    "line_chart",
    "bar_chart",
    "area_chart",
    "scatter_chart",
    "map",
    "pyplot",
)
TABLES = ("dataframe", "table", "data_editor")


@dataclass
class Drawn:
    """What a page drew: downloads (label, file name, content: bytes, or the function that writes them),
    charts (kind, the figure or data) and tables (kind, the frame)."""

    downloads: list[tuple[str, str, Any]] = field(default_factory=list)
    charts: list[tuple[str, Any]] = field(default_factory=list)
    tables: list[tuple[str, Any]] = field(default_factory=list)

    def files(self) -> list[tuple[str, str, bytes]]:
        """Every download's content, written now (a deferred file is written as a press of its button would)."""
        return [(label, name, content() if callable(content) else content) for label, name, content in self.downloads]


@pytest.fixture
def drawn(monkeypatch) -> Drawn:
    record = Drawn()
    real_download = st.download_button

    def download(label, content, file_name=None, *args, **options):
        record.downloads.append((str(label), str(file_name), content))
        return real_download(label, content, file_name, *args, **options)

    monkeypatch.setattr(st, "download_button", download)
    for kinds, into in ((CHARTS, record.charts), (TABLES, record.tables)):
        for kind in kinds:
            monkeypatch.setattr(st, kind, _recording(getattr(st, kind), kind, into))
    return record


def _recording(real, kind: str, into: list):
    def drawing(*args, **options):
        into.append((kind, args[0] if args else options.get("data")))
        return real(*args, **options)

    return drawing


def run_wider(page: str, timeout: float = 180) -> AppTest:
    at = AppTest.from_file(str(PROJECT_ROOT / "pages" / f"{page}.py"), default_timeout=timeout)
    at.session_state["wider_circulation"] = True
    at.run()
    return at
