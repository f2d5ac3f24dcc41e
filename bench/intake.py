"""Checking and loading a large return: the whole-column checks against the cell-by-cell checks they replaced,
in the same run, on the same demo store and the same files.

    python -m bench.intake                 # a week, a year's backfill and three years' (about 150,000 values)
    python -m bench.intake --repeats 5

The old path is the intake as it was before the split (`returns/intake.py` and `returns/files.py` at BEFORE,
read from this repository's history with `git show`), run beside today's on the same connection, alternately,
so a busy machine slows both alike. Each file is a resubmission of live values, each plus one: every value is
checked, superseded into the history and written. Reported: the median CPU seconds of this process (DuckDB's
threads included) and the median wall seconds, for validation alone and for a whole load (validate and commit),
and the ratio old / new. The two paths must find the same problems and the same rows, or the bench stops.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from bench.bench_ingest import LAST_WEEK, _long_csv, demo_template
from taskforce.core.config import INTAKE, PROJECT_ROOT
from taskforce.core.db import connect
from taskforce.returns import intake, validation

BEFORE = "17bd8619548ed7e4e8b6a92d8de77b5c32479fe5"  # main before the intake was split
NOW = dt.datetime(2026, 11, 28, 12)
FILES = {"one week, every organisation": 1, "a year's backfill": 52, "three years' backfill": 156}


def _old_module(name: str, path: str, replacements: dict[str, str]) -> ModuleType:
    """A module of the old intake, from its text at BEFORE, importing its old siblings where named."""
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:{path}"], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    ).stdout
    for old, new in replacements.items():
        source = source.replace(old, new)
    spec = importlib.util.spec_from_loader(name, loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, f"{BEFORE[:7]}:{path}", "exec"), module.__dict__)  # noqa: S102  # the repository's own code
    return module


def old_intake() -> ModuleType:
    _old_module("bench_old_files", "taskforce/returns/files.py", {})
    return _old_module(
        "bench_old_intake",
        "taskforce/returns/intake.py",
        {"from taskforce.returns.files import": "from bench_old_files import"},
    )


def _said(checked) -> tuple:
    """What a check found, to compare the paths: the rows, and the problems. Errors are compared in order;
    warnings as a set, since the old query that found them had no order (the new one lists them by row), and
    past the listed maximum only their count, since which were listed then depended on that order."""
    problems = [(p.row, p.column, p.value, p.message) for p in checked.problems]
    errors = [problem for problem, p in zip(problems, checked.problems, strict=True) if p.severity == "error"]
    warnings = sorted(
        (problem for problem, p in zip(problems, checked.problems, strict=True) if p.severity != "error"), key=repr
    )
    listed_in_full = len(problems) <= INTAKE.maximum_problems
    return checked.rows.to_dict("list"), errors, len(warnings), warnings if listed_in_full else None


def _timed(run: Callable[[], object]) -> tuple[float, float, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = run()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def _validations(con, raw: bytes, old: ModuleType, repeats: int) -> dict[str, list[tuple[float, float]]]:
    if _said(old.validate(con, "bench.csv", raw, NOW.date())) != _said(
        validation.validate(con, "bench.csv", raw, NOW.date())
    ):
        raise SystemExit("The old and new checks disagree on this file: the bench would compare unlike work.")
    timings: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    for _ in range(repeats):
        for label, check in (("old", old.validate), ("new", validation.validate)):
            cpu, wall, _ = _timed(lambda check=check: check(con, "bench.csv", raw, NOW.date()))
            timings[label].append((cpu, wall))
    return timings


def _loads(template: Path, folder: Path, raw: bytes, old: ModuleType, repeats: int) -> dict[str, list]:
    timings: dict[str, list[tuple[float, float]]] = {"old": [], "new": []}
    for attempt in range(repeats):
        for label, load in (("old", old.load), ("new", intake.load)):
            path = folder / f"{label}{attempt}.duckdb"
            shutil.copyfile(template, path)
            con = connect(path)
            cpu, wall, (outcome, _) = _timed(
                lambda con=con, load=load: load(con, "bench.csv", raw, "bench", NOW, confirm_warnings=True)
            )
            assert outcome.status == "committed", outcome.message
            con.close()
            path.unlink()
            timings[label].append((cpu, wall))
    return timings


def _median(timings: list[tuple[float, float]], which: int) -> float:
    return statistics.median(timing[which] for timing in timings)


def bench(repeats: int) -> list[dict]:
    old = old_intake()
    results = []
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        template = demo_template(folder)
        con = connect(template)
        files = {
            label: _long_csv(con, LAST_WEEK - dt.timedelta(weeks=weeks - 1), LAST_WEEK)
            for label, weeks in FILES.items()
        }
        for label, raw in files.items():
            checks = _validations(con, raw, old, repeats)
            rows = len(validation.validate(con, "bench.csv", raw, NOW.date()).rows)
            results.append({"file": label, "values": rows, "bytes": len(raw), "validate": checks})
        con.close()
        for result, raw in zip(results, files.values(), strict=True):
            result["load"] = _loads(template, folder, raw, old, repeats)
    return results


def markdown(results: list[dict], repeats: int) -> str:
    lines = [
        "## Checking returns on whole columns (`python -m bench.intake`)",
        "",
        "The intake split into validation, recording and storage, its checks run on whole columns (each distinct",
        "week, name and value judged once), against the cell-by-cell checks it replaced (`returns/intake.py` at",
        f"{BEFORE[:7]}), alternately in the same run on the same store; both found the same problems and rows in",
        f"every file. Median of {repeats}; CPU is this process's (DuckDB's threads included), wall is elapsed.",
        "",
        "| file | values | size | step | old CPU | new CPU | old / new | old wall | new wall | old / new |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        for step in ("validate", "load"):
            timings = result[step]
            cells = []
            for which in (0, 1):
                before, after = _median(timings["old"], which), _median(timings["new"], which)
                cells += [f"{before:.2f} s", f"{after:.2f} s", f"{before / after:.1f}"]
            lines.append(
                f"| {result['file']} | {result['values']:,} | {result['bytes'] / 1024:,.0f} KiB | "
                f"{'validate' if step == 'validate' else 'validate and commit'} | " + " | ".join(cells) + " |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    arguments = parser.parse_args()
    print(markdown(bench(arguments.repeats), arguments.repeats))


if __name__ == "__main__":
    main()
