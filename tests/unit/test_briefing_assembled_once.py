"""The briefing is assembled in one place (`briefing/weekly.assemble`): the page (through ui/data.py), the
pack it downloads and issues, and the command line's export-briefing and digest all call it, so a leader, the
issued pack and the Monday mail are built the same way from the same snapshot."""

from __future__ import annotations

import ast

from tests.conftest import PROJECT_ROOT

ASSEMBLY = "taskforce/briefing/weekly.py"
SLIDES = "taskforce/briefing/contents.py"  # where build_briefing lives (and hands wider circulation on)


def _calls(path, name: str) -> int:
    tree = ast.parse((PROJECT_ROOT / path).read_text(encoding="utf-8"))
    return sum(
        1
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "attr", None) == name or getattr(node.func, "id", None) == name)
    )


def test_only_the_assembly_builds_a_briefing():
    modules = [str(path.relative_to(PROJECT_ROOT)) for path in PROJECT_ROOT.glob("taskforce/**/*.py")]
    building = [
        path for path in modules if path != SLIDES and _calls(path, "build_briefing") + _calls(path, "wider_briefing")
    ]
    assert building == [ASSEMBLY]


def test_the_page_and_the_command_line_call_the_same_assembly():
    assert _calls("taskforce/ui/data.py", "assemble") == 1  # the page, its pack and what is revised since
    assert _calls("taskforce/cli.py", "assemble") == 2  # export-briefing and the digest
