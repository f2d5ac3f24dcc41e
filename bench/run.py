"""`make bench`: every benchmark at 1x, 10x and 100x the demo data, printed and written to bench/RESULTS.md
with the machine, the date and the commit.

Each scale gets its own database. Script runs and the pandas baseline run in their own processes (so each
scale starts with empty caches and its own memory); the browser measures run against a real server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import bench_browser, bench_cluster, bench_foundation, bench_ingest, breakdown, intake, report
from taskforce.core.config import snapshot_folder
from taskforce.demo.build import write_partner_extracts
from taskforce.store import writing
from tests.conftest import LATEST_WEEK

SCALES = (1, 10, 100)
BROWSER_SCALES = (1, 100)


def _json_from(*arguments: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", *arguments], cwd=bench_foundation.ROOT, check=True, capture_output=True, text=True
    )
    return json.loads(completed.stdout)


def _step(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def _partner_folders(root: Path) -> None:
    """The partner datasets every server in the bench reads: the committed Home Office series and the demo's
    synthetic Border Force extract (TASKFORCE_SHARED_DATA, inherited by every server started)."""
    shutil.copytree(bench_foundation.ROOT / "data" / "shared" / "home_office", root / "home_office")
    write_partner_extracts(root, bench_foundation.AS_OF)
    os.environ["TASKFORCE_SHARED_DATA"] = str(root)


def main() -> None:
    results: dict = {"scales": {}, "commit": bench_foundation.commit()}
    with tempfile.TemporaryDirectory() as folder:
        _partner_folders(Path(folder) / "shared")
        _step("demo build at 1x against bulk loading")
        results["build"] = bench_foundation.bench_build(Path(folder))
        for scale in SCALES:
            database = Path(folder) / f"scale{scale}.duckdb"
            _step(f"{scale}x: building")
            measured = {"build": bench_foundation.bench_scaled_build(database, scale)}
            writing.publish_if_missing(database)  # as build-demo does: the servers below read the snapshot
            _step(f"{scale}x: script runs")
            measured["script_runs"] = _json_from("bench.script_runs", str(database))
            _step(f"{scale}x: DuckDB against the pandas baseline")
            measured["baseline"] = _json_from(
                "bench.bench_baseline",
                str(database),
                "--week",
                LATEST_WEEK.isoformat(),
                "--repeats",
                "1" if scale >= 100 else "3",
            )
            if scale in BROWSER_SCALES:
                _step(f"{scale}x: Chromium and sessions")
                measured["browser"] = bench_browser.measure(database, bench_foundation.ROOT, with_concurrency=True)
            _step(f"{scale}x: publishing a snapshot")
            measured["publishing"] = bench_cluster.publishing(database)
            if scale == 1:
                _step(f"1x: {bench_cluster.SESSIONS} sessions through nginx over 1, 2 and 3 servers")
                results["cluster"] = bench_cluster.sessions_over_servers(database, {})
                _step("1x: where a new tab's time goes")
                measured["breakdown"] = breakdown.measure(database)
                measured["script_profile"] = _json_from("bench.script_profile", str(database))
            results["scales"][scale] = measured
            database.unlink()
            shutil.rmtree(snapshot_folder(database), ignore_errors=True)
    _step("loading returns")
    results["ingest"] = bench_ingest.bench_ingest()
    _step("checking returns on whole columns against the cell-by-cell checks")
    results["intake"] = intake.bench(repeats=3)
    text = report.markdown(results)
    bench_foundation.RESULTS.write_text(text)
    (bench_foundation.ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1, default=str))
    print(text)


if __name__ == "__main__":
    main()
