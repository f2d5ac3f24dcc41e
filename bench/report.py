"""bench/RESULTS.md from the figures bench/run.py gathered: the targets of issue 9 first, then every table."""
from __future__ import annotations

import datetime as dt
import statistics

from bench import bench_ingest
from bench.bench_browser import CHANGES_PER_SESSION, NAVIGATION_ROUNDS, SESSIONS, percentile
from bench.bench_foundation import AS_OF, REPEATS, commit, machine

FLOOR = "bare page (floor)"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def _yes(met: bool) -> str:
    return "met" if met else "**not met**"


def _median(values) -> float:
    return statistics.median(values)


def _warm_medians(scale: dict) -> dict[str, float]:
    return {page: _median(runs["warm"]) for page, runs in scale["script_runs"].items() if page != FLOOR}


def _navigation_medians(browser: dict) -> dict[str, float]:
    return {page: _median(visits["later"]) for page, visits in browser["navigation"].items()}


def targets(results: dict) -> str:
    one, hundred = results["scales"][1], results["scales"][100]
    navigation = _navigation_medians(one["browser"])
    slowest_page = max(navigation, key=navigation.get)
    warm_one, warm_hundred = _warm_medians(one), _warm_medians(hundred)
    slowest_run = max(warm_one, key=warm_one.get)
    growth = {page: warm_hundred[page] / warm_one[page] for page in warm_one}
    most_grown = max(growth, key=growth.get)
    ratios = {name: row["pandas_s"] / row["duckdb_s"] for name, row in hundred["baseline"].items()}
    weakest = min(ratios, key=ratios.get)
    memory = hundred["browser"]["peak_memory_mib"]
    rows = [
        ("Demo: each page rendered within 1.5 s of navigation (median)",
         f"slowest: {slowest_page}, {_s(navigation[slowest_page])}", navigation[slowest_page] <= 1.5),
        ("Demo: each page's warm script run within 300 ms (median)",
         f"slowest: {slowest_run}, {_ms(warm_one[slowest_run])}", warm_one[slowest_run] <= 0.3),
        ("100x: no page's warm script run more than twice its 1x figure",
         f"largest: {most_grown}, {growth[most_grown]:.2f} times", growth[most_grown] <= 2),
        ("100x: the DuckDB path at least 10 times faster than the pandas baseline",
         f"smallest: {weakest}, {ratios[weakest]:,.0f} times", ratios[weakest] >= 10),
        ("100x: server memory under 600 MB", f"peak {memory:,.0f} MiB", memory < 600),
    ]
    for name, runs in one["browser"]["filter_change"].items():
        p95 = percentile(runs["together"], 0.95)
        rows.append((f"{SESSIONS} sessions at once on the demo data: p95 under 2 s, {name}", _s(p95), p95 < 2))
    lines = ["| target | measured | |", "| --- | --- | --- |"]
    lines += [f"| {target} | {measured} | {_yes(met)} |" for target, measured, met in rows]
    return "\n".join(lines)


def builds(results: dict) -> str:
    floor = results["build"]
    lines = ["| scale | weekly values | units | weeks | build | file |", "| --- | --- | --- | --- | --- | --- |"]
    for scale, measured in results["scales"].items():
        b = measured["build"]
        lines.append(f"| {scale}x | {b['rows']:,} | {b['units']:,} | {b['weeks']} | {_s(b['build_s'])} | "
                     f"{b['file_mib']:,.0f} MiB |")
    return "\n".join(lines) + (
        f"\n\nAt 1x, the whole build (median of {REPEATS}) takes {_s(floor['build_s'])} against "
        f"{_s(floor['floor_s'])} for bulk-loading the same {floor['rows']:,} values already generated "
        f"(ratio {floor['build_s'] / floor['floor_s']:.1f}).")


def script_runs(results: dict) -> str:
    scales = list(results["scales"])
    head = "| page | " + " | ".join(f"{s}x cold | {s}x warm (p95)" for s in scales) + " |"
    lines = [head, "| --- |" + " --- | --- |" * len(scales)]
    pages = list(results["scales"][scales[0]]["script_runs"])
    for page in pages:
        cells = []
        for scale in scales:
            runs = results["scales"][scale]["script_runs"][page]
            cells.append(f"{_ms(_median(runs['cold']))} | {_ms(_median(runs['warm']))} "
                         f"({_ms(percentile(runs['warm'], 0.95))})")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def baseline(results: dict) -> str:
    lines = ["| page numbers | scale | DuckDB (rollups) | pandas baseline | ratio | same numbers |",
             "| --- | --- | --- | --- | --- | --- |"]
    for scale, measured in results["scales"].items():
        for name, row in measured["baseline"].items():
            lines.append(f"| {name} | {scale}x | {_ms(row['duckdb_s'])} | {_ms(row['pandas_s'])} | "
                         f"{row['pandas_s'] / row['duckdb_s']:,.0f} | {'yes' if row['same_numbers'] else '**no**'} |")
    return "\n".join(lines)


def navigation(results: dict) -> str:
    browsed = {scale: m["browser"] for scale, m in results["scales"].items() if "browser" in m}
    head = "| page | " + " | ".join(f"{s}x first visit | {s}x later (median)" for s in browsed) + " |"
    lines = [head, "| --- |" + " --- | --- |" * len(browsed)]
    first = next(iter(browsed.values()))
    for page in first["navigation"]:
        cells = [f"{_s(b['navigation'][page]['first'])} | {_s(_median(b['navigation'][page]['later']))}"
                 for b in browsed.values()]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += ["", "| what | " + " | ".join(f"{s}x" for s in browsed) + " | bare Streamlit page (1x) |",
              "| --- |" + " --- |" * (len(browsed) + 1)]
    bare = first
    lines.append("| cold start: server started to the overview rendered (median of 3) | "
                 + " | ".join(_s(_median(b["cold_start"])) for b in browsed.values())
                 + f" | {_s(_median(bare['cold_start_bare']))} |")
    lines.append("| a new browser tab opening the overview (median of 3) | "
                 + " | ".join(_s(_median(b["new_tab"])) for b in browsed.values())
                 + f" | {_s(_median(bare['new_tab_bare']))} |")
    lines.append("| server's peak memory (VmHWM) after all of the above | "
                 + " | ".join(f"{b['peak_memory_mib']:,.0f} MiB" for b in browsed.values()) + " | |")
    return "\n".join(lines)


def sessions(results: dict) -> str:
    changes = results["scales"][1]["browser"]["filter_change"]
    lines = ["| filter | one session alone: median | " + f"{SESSIONS} at once: median | p95 | slowest |",
             "| --- | --- | --- | --- | --- |"]
    for name, runs in changes.items():
        together = runs["together"]
        lines.append(f"| {name} | {_ms(_median(runs['alone']))} | {_ms(_median(together))} | "
                     f"{_ms(percentile(together, 0.95))} | {_ms(max(together))} |")
    return "\n".join(lines)


def markdown(results: dict) -> str:
    return f"""# Benchmark results

Written by `make bench` on {dt.date.today().isoformat()}, commit {commit()}.
Machine: {machine()}.
Demo data as of {AS_OF.isoformat()}; at scale N every organisation reports through N units, with a year more
history per tenfold (`build-demo --scale N`).

## Targets (issue 9)

{targets(results)}

## Demo build

{builds(results)}

## Server-side script runs

Each page's script run under Streamlit's AppTest, in a process of its own per scale: cold is with the query
caches and the memoised charts emptied (median of 3), warm with them filled (median and 95th percentile
of 10). The bare page (one heading) is what AppTest itself costs.

{script_runs(results)}

## The DuckDB path against a pandas baseline

The same page numbers computed the dashboard's way (a named query on the rollups kept up to date at ingest:
what a cache miss costs) and the way a typical Streamlit app does it (load the returns into pandas on every
rerun, map units to organisations, filter and group). Both results are compared value by value. The pandas
figure is a median of 3 runs (1 run at 100x).

{baseline(results)}

## In Chromium (1920x1080)

From a click on the page in the sidebar to the page rendered and still (its script run finished, no
placeholder left, and the moment of its last change), in one session: the first visit fills the query
caches, later visits are the median of {NAVIGATION_ROUNDS - 1}.

{navigation(results)}

## {SESSIONS} sessions at once (demo data)

Real Streamlit sessions over the websocket (bench/sessions.py speaks the protocol a browser speaks, without
twenty browsers competing with the server for the two cores). Every session changes the filter at the same
moment, {CHANGES_PER_SESSION} times; the time is until the server has sent its whole answer.

{sessions(results)}

{bench_ingest.markdown(results["ingest"])}"""
