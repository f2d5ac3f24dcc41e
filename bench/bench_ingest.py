"""Loading returns: validating and committing a full week for every organisation, and a year's backfill,
against the floor of DuckDB's typed CSV reader loading the same file with no checks."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from taskforce.core.db import connect
from taskforce.demo.build import build_demo_database
from taskforce.returns import intake

AS_OF = dt.date(2026, 11, 28)
LAST_WEEK = dt.date(2026, 11, 22)


def _long_csv(con, first: dt.date, last: dt.date) -> bytes:
    """Every live value in the weeks given, each plus one: a resubmission that replaces them all."""
    rows = con.execute(
        """select week_ending, org_code, measure_code, value + 1 from weekly_return
        where week_ending between $first and $last order by all""",
        {"first": first, "last": last},
    ).fetchall()
    lines = ["week_ending,org_code,measure_code,value"] + [f"{w},{o},{m},{v:g}" for w, o, m, v in rows]
    return ("\n".join(lines) + "\n").encode()


def _time_load(template: Path, folder: Path, raw: bytes, repeats: int) -> tuple[float, int]:
    timings = []
    for attempt in range(repeats):
        path = folder / f"load{attempt}.duckdb"
        path.write_bytes(template.read_bytes())
        con = connect(path)
        started = time.perf_counter()
        outcome, checked = intake.load(
            con, "bench.csv", raw, "bench", dt.datetime(2026, 11, 28, 12), confirm_warnings=True
        )
        timings.append(time.perf_counter() - started)
        assert outcome.status == "committed", outcome.message
        con.close()
    return statistics.median(timings), len(checked.rows)


def _time_floor(folder: Path, raw: bytes, repeats: int) -> float:
    csv_path = folder / "floor.csv"
    csv_path.write_bytes(raw)
    timings = []
    for attempt in range(repeats):
        path = folder / f"floor{attempt}.duckdb"
        path.unlink(missing_ok=True)
        con = duckdb.connect(str(path))  # plain DuckDB: the baseline reads a file
        started = time.perf_counter()
        con.execute(
            """create table loaded as select * from read_csv($path, header = true, auto_detect = false,
            columns = {'week_ending': 'DATE', 'org_code': 'VARCHAR', 'measure_code': 'VARCHAR', 'value': 'DOUBLE'})""",
            {"path": str(csv_path)},
        )
        timings.append(time.perf_counter() - started)
        con.close()
    return statistics.median(timings)


def demo_template(folder: Path) -> Path:
    """The 1x demo store as of AS_OF, built in `folder`, with the raw files of uploads kept there too."""
    os.environ["TASKFORCE_UPLOADS"] = str(folder / "uploads")
    return build_demo_database(folder / "template.duckdb", AS_OF).path


def bench_ingest(repeats: int = 3) -> dict[str, dict[str, float]]:
    results = {}
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        template = demo_template(folder)
        con = connect(template)
        files = {
            "one week, every organisation": _long_csv(con, LAST_WEEK, LAST_WEEK),
            "a year's backfill (52 weeks)": _long_csv(con, LAST_WEEK - dt.timedelta(weeks=51), LAST_WEEK),
        }
        con.close()
        for label, raw in files.items():
            seconds, rows = _time_load(template, folder, raw, repeats)
            floor = _time_floor(folder, raw, repeats)
            results[label] = {"rows": rows, "bytes": len(raw), "load_s": seconds, "floor_s": floor}
    return results


def markdown(results: dict[str, dict[str, float]], repeats: int = 3) -> str:
    lines = [
        "## Loading returns (`ingest`: validate, preview checks, commit)",
        "",
        "Each file replaces the live values it names (a resubmission), so every row is checked, superseded into",
        "the history and written. Baseline: DuckDB's typed CSV reader loading the same file with no checks.",
        "",
        f"| file | values | size | validate and commit (median of {repeats}) | baseline | ratio |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for label, figures in results.items():
        lines.append(
            f"| {label} | {figures['rows']:,} | {figures['bytes'] / 1024:,.0f} KiB | "
            f"{figures['load_s']:.2f} s | {figures['floor_s']:.3f} s | "
            f"{figures['load_s'] / figures['floor_s']:.0f} |"
        )
    return "\n".join(lines) + "\n"
