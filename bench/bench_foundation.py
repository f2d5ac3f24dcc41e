"""Foundation benchmark: how long the demo build takes, and how long the dashboard takes from a cold server
start to a rendered overview, each against a baseline measured in the same run.

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

from taskforce import demo, reference
from taskforce.database import build_demo_database
from taskforce.db import connect
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, start_server, wait_until_rendered

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
    weeks = demo.week_endings(AS_OF)
    values = demo.generate_values(weeks, orgs, demo.DEFAULT_SEED)
    receipts = demo.plan_receipts(weeks, orgs, demo.DEFAULT_SEED)
    _, returns, _ = demo.assemble_returns(weeks, orgs, values, receipts, AS_OF, demo.DEFAULT_SEED)

    def bulk_load_only():
        path = folder / "floor.duckdb"
        path.unlink(missing_ok=True)
        con = connect(path)
        con.register("generated_returns", returns)
        con.execute("create table weekly_return as select * from generated_returns")
        con.close()

    floor = _median_seconds(bulk_load_only)
    return {"build_s": statistics.median(full), "floor_s": statistics.median(floor), "rows": len(returns)}


def _cold_start_to_render(database: Path, script: Path, browser) -> float:
    started = time.perf_counter()
    server, url = start_server(database, script=script)
    try:
        context = browser.new_context(viewport={"width": 1920, "height": 1080})
        page = context.new_page()
        page.goto(url)
        wait_until_rendered(page)
        elapsed = time.perf_counter() - started
        context.close()
        return elapsed
    finally:
        server.terminate()
        server.wait(timeout=20)


def _warm_render(url: str, browser) -> float:
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    wait_until_rendered(page)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def bench_render(database: Path) -> dict[str, float]:
    """Cold start (server start to rendered overview) and warm navigation, against a bare Streamlit page.
    The render wait includes 1.5 s of quiet that proves the page has stopped changing; it is subtracted."""
    from playwright.sync_api import sync_playwright

    quiet = 1.5
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for name, script in (("overview", ROOT / "dashboard.py"), ("bare", ROOT / "bench" / "bare_page.py")):
            cold = [_cold_start_to_render(database, script, browser) - quiet for _ in range(REPEATS)]
            server, url = start_server(database, script=script)
            try:
                _warm_render(url, browser)  # fill the caches
                warm = [_warm_render(url, browser) - quiet for _ in range(5)]
            finally:
                server.terminate()
                server.wait(timeout=20)
            results[f"{name}_cold_s"] = statistics.median(cold)
            results[f"{name}_warm_s"] = statistics.median(warm)
        browser.close()
    return results


def _machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kib = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                          if line.startswith("MemTotal")))
    return f"{cpu}, {os.cpu_count()} cores, {memory_kib / 1024 ** 2:.0f} GiB, Python {platform.python_version()}"


def _commit() -> str:
    completed = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return completed.stdout.strip() or "unknown"


def results_markdown(build: dict[str, float], render: dict[str, float]) -> str:
    return f"""# Benchmark results

Written by `make bench` on {dt.date.today().isoformat()}, commit {_commit()}.
Machine: {_machine()}.

## Demo build (`build-demo`, as of {AS_OF.isoformat()})

| what | seconds (median of {REPEATS}) |
| --- | --- |
| whole build: generate {build['rows']:,} weekly values, uploads, history and write them | {build['build_s']:.2f} |
| baseline: bulk-load the same weekly values, already generated, into an empty file | {build['floor_s']:.2f} |
| ratio (whole build / baseline) | {build['build_s'] / build['floor_s']:.1f} |

## Dashboard in Chromium (1920x1080)

Time from starting the server (cold) or from navigation (warm) until the page has rendered and stopped
changing; the baseline is a bare Streamlit page with one heading, served the same way in the same run.

| what | overview | bare Streamlit page | ratio |
| --- | --- | --- | --- |
| cold start to rendered page (median of {REPEATS}) | {render['overview_cold_s']:.2f} s | {render['bare_cold_s']:.2f} s | {render['overview_cold_s'] / render['bare_cold_s']:.1f} |
| warm navigation to rendered page (median of 5) | {render['overview_warm_s']:.2f} s | {render['bare_warm_s']:.2f} s | {render['overview_warm_s'] / render['bare_warm_s']:.1f} |
"""
