"""Every module under tests/browser/ is marked `browser`, so `-m "not browser"` runs the suite without Chromium and
a browser test can never pass for a unit test by being left unmarked (test_two_servers.py once was)."""

from __future__ import annotations

import ast

import pytest

from tests.conftest import PROJECT_ROOT

BROWSER_MODULES = sorted((PROJECT_ROOT / "tests" / "browser").glob("test_*.py"))


def _marks_itself_browser(source: str) -> bool:
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "pytestmark" for t in node.targets):
            return "browser" in ast.unparse(node.value)
    return False


def test_there_are_browser_modules_to_check():
    assert len(BROWSER_MODULES) >= 10


@pytest.mark.parametrize("module", BROWSER_MODULES, ids=lambda path: path.name)
def test_each_browser_module_is_marked_browser(module):
    assert _marks_itself_browser(module.read_text()), f"{module.name} lacks pytestmark = pytest.mark.browser"
