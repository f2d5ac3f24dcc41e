"""The demo build: at scale 1 against the floor of bulk-loading the same rows, and at 10x and 100x.

Run by `make bench` (bench/run.py), which writes bench/RESULTS.md with the machine, the date and the commit.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

from taskforce.core.db import connect
from taskforce.demo import generator
from taskforce.demo.build import build_demo_database
from taskforce.store import reference

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"
AS_OF = dt.date(2026, 11, 28)
REPEATS = 3


def _median_seconds(action, repeats: int = REPEATS) -> list[float]:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return timings


def bench_build(folder: Path) -> dict[str, float]:
    """The whole build against its floor: bulk-loading the same rows, already generated, into an empty file."""
    full = _median_seconds(lambda: build_demo_database(folder / "build.duckdb", AS_OF))
    orgs = reference.organisations().query("expected_to_return").reset_index(drop=True)
    weeks = generator.week_endings(AS_OF)
    values = generator.generate_values(weeks, orgs, generator.DEFAULT_SEED)
    receipts = generator.plan_receipts(weeks, orgs, generator.DEFAULT_SEED)
    _, returns, _ = generator.assemble_returns(weeks, orgs, values, receipts, AS_OF, generator.DEFAULT_SEED)

    def bulk_load_only():
        path = folder / "floor.duckdb"
        path.unlink(missing_ok=True)
        con = connect(path)
        con.register("generated_returns", returns)
        con.execute("create table weekly_return as select * from generated_returns")
        con.close()

    floor = _median_seconds(bulk_load_only)
    return {"build_s": statistics.median(full), "floor_s": statistics.median(floor), "rows": len(returns)}


def bench_scaled_build(path: Path, scale: int) -> dict[str, float]:
    """One build at `scale` (the benchmark's own database for that scale): seconds, rows and file size."""
    started = time.perf_counter()
    built = build_demo_database(path, AS_OF, scale=scale)
    return {
        "build_s": time.perf_counter() - started,
        "rows": built.returns,
        "units": built.units,
        "weeks": built.weeks,
        "file_mib": path.stat().st_size / 2**20,
    }


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kib = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    )
    return f"{cpu}, {os.cpu_count()} cores, {memory_kib / 1024**2:.0f} GiB, Python {platform.python_version()}"


def commit() -> str:
    completed = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return completed.stdout.strip() or "unknown"
