"""Mutation check: break one important rule at a time, in a copy of the project, and run the tests that should
notice. A mutant that survives (its tests still pass) is a rule no test holds. `make mutants` runs it; it is not
part of `make test` (each mutant runs its tests in a fresh copy).

    python -m tests.mutants            every mutant
    python -m tests.mutants carry      the mutants whose name contains "carry"
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
RULES = "tests/unit/test_rules_a_mutant_breaks.py"


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    before: str
    after: str
    tests: tuple[str, ...]
    command: tuple[str, ...] = ("-m", "pytest", "-x", "-q", "-p", "no:cacheprovider")


MUTANTS = (
    Mutant(
        "carry a stock for 12 weeks, not 8",
        "taskforce/store/migrations/007_carried_stocks_and_complete_returns.sql",
        "s.week_ending + interval 56 day",
        "s.week_ending + interval 84 day",
        (RULES,),
    ),
    Mutant(
        "limits from a standard deviation, not the moving range",
        "taskforce/analysis/variation.py",
        "moving_range = float(values.diff().abs().mean()) if len(values) > 1 else 0.0",
        "moving_range = float(values.std()) * 1.128 if len(values) > 1 else 0.0",
        (RULES, "tests/unit/test_variation_xmr.py"),
    ),
    Mutant(
        "no Poisson limits for a small count",
        "taskforce/analysis/variation.py",
        "if count and (limits.centre < SMALL_MEAN or sigma == 0):",
        "if False:",
        (RULES, "tests/unit/test_variation_xmr.py"),
    ),
    Mutant(
        "no Poisson limits for a count that never varies",
        "taskforce/analysis/variation.py",
        "if count and (limits.centre < SMALL_MEAN or sigma == 0):",
        "if count and limits.centre < SMALL_MEAN:",
        (RULES, "tests/unit/test_variation_xmr.py"),
    ),
    Mutant(
        "pointer moved before the copy",
        "taskforce/store/snapshots.py",
        '    with store.open("rb") as reading:\n        copy_durably(reading, target)\n'
        "    _replace_durably(folder / POINTER, target.name)\n",
        "    _replace_durably(folder / POINTER, target.name)\n"
        '    with store.open("rb") as reading:\n        copy_durably(reading, target)\n',
        (RULES, "tests/unit/test_snapshots.py"),
    ),
    Mutant(
        "pointer written in place",
        "taskforce/store/snapshots.py",
        '    partial = path.with_name(path.name + ".partial")\n    with private.open_new(partial, "w") as writing:',
        '    path.write_text(text + "\\n")\n    return\n    partial = path.with_name(path.name + ".partial")\n'
        '    with private.open_new(partial, "w") as writing:',
        (RULES, "tests/unit/test_snapshots.py"),
    ),
    Mutant(
        "a percentage change on any base",
        "taskforce/core/formats.py",
        "abs(reference) >= SMALL_BASE",
        "abs(reference) > 0",
        (RULES, "tests/unit/test_measures_and_formats.py"),
    ),
)


CONTRACTS = ("-c", "from importlinter.cli import lint_imports_command; lint_imports_command()")


def _an_import(path: str, statement: str) -> Mutant:
    """A layer rule broken by one import: the contracts (import-linter, as `make check` runs it) must notice."""
    return Mutant(f"{path} imports {statement.split()[1]}", path, "", f"{statement}\n", (), CONTRACTS)


LAYER_BREAKS = tuple(
    _an_import(path, f"import {module}")
    for path, module in (
        ("taskforce/ui/views/trends.py", "duckdb"),
        ("taskforce/ui/views/trends.py", "taskforce.store.snapshots"),
        ("taskforce/ui/views/trends.py", "taskforce.ui.views.regional"),
        ("pages/trends.py", "taskforce.analysis.trends"),
        ("pages/trends.py", "pandas"),
        ("taskforce/analysis/trends.py", "streamlit"),
        ("taskforce/analysis/trends.py", "taskforce.maps.areas"),
        ("taskforce/store/rollups.py", "taskforce.analysis.trends"),
        ("taskforce/release/tables.py", "taskforce.briefing.contents"),
        ("taskforce/briefing/contents.py", "taskforce.ui.data"),
        ("taskforce/ui/data.py", "taskforce.demo.generator"),
        ("deploy/serve.py", "taskforce.store.snapshots"),
        ("taskforce/ui/views/trends.py", "taskforce.core.disclosure"),
        ("taskforce/analysis/trends.py", "duckdb"),
        ("taskforce/release/tables.py", "taskforce.core.db"),
    )
)
# dashboard.py is a module, which import-linter cannot read: a test holds its imports.
ENTRY_BREAK = Mutant(
    "dashboard.py imports taskforce.store.snapshots",
    "dashboard.py",
    "",
    "import taskforce.store.snapshots\n",
    ("tests/unit/test_entry_point_imports.py",),
)
MUTANTS = MUTANTS + LAYER_BREAKS + (ENTRY_BREAK,)


def _copy_of_project(folder: Path) -> Path:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=PROJECT, check=True, capture_output=True, text=True
    ).stdout.splitlines()
    copy = folder / "project"
    for name in files:
        source = PROJECT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    return copy


def _mutate(copy: Path, mutant: Mutant) -> None:
    target = copy / mutant.path
    text = target.read_text()
    if not mutant.before:  # an import added at the top
        target.write_text(mutant.after + text)
        return
    if text.count(mutant.before) != 1:
        raise SystemExit(f"{mutant.name}: the text to change is not found once in {mutant.path}; update the mutant")
    target.write_text(text.replace(mutant.before, mutant.after))


def killed(mutant: Mutant) -> bool:
    with tempfile.TemporaryDirectory(prefix="mutant-") as folder:
        copy = _copy_of_project(Path(folder))
        _mutate(copy, mutant)
        run = subprocess.run([sys.executable, *mutant.command, *mutant.tests], cwd=copy, capture_output=True, text=True)
        return run.returncode != 0


def main(argv: list[str]) -> int:
    chosen = [mutant for mutant in MUTANTS if not argv or any(word in mutant.name for word in argv)]
    for control in (
        Mutant("nothing changed", "pages/trends.py", "", "", (RULES,)),
        Mutant("nothing changed", "pages/trends.py", "", "", (), CONTRACTS),
    ):
        if killed(control):
            raise SystemExit("the unchanged project already fails its tests or contracts: fix that first")
    survivors = []
    for mutant in chosen:
        verdict = "killed" if killed(mutant) else "SURVIVED"
        print(f"{verdict:9} {mutant.name}  ({', '.join(mutant.tests) or 'the import contracts'})", flush=True)
        if verdict == "SURVIVED":
            survivors.append(mutant.name)
    print(f"{len(chosen) - len(survivors)} of {len(chosen)} mutants killed")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
