"""dashboard.py is a module, not a package, so import-linter (which reads packages only) cannot hold it to the
pages' contract; this test does: the entry point imports Streamlit and the user interface layer, nothing else."""

from __future__ import annotations

import ast

from tests.conftest import PROJECT_ROOT

ALLOWED = ("streamlit", "taskforce.ui")


def imported_by(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return names | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_the_entry_point_imports_only_streamlit_and_the_user_interface():
    imported = imported_by(PROJECT_ROOT / "dashboard.py")
    outside = sorted(name for name in imported if not any(name == top or name.startswith(top + ".") for top in ALLOWED))
    assert outside == []
    assert any(name.startswith("taskforce.ui") for name in imported)
