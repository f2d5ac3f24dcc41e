"""bench/RESULTS.md from the figures bench/run.py gathered: the targets of issue 9 first, then every table."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from pathlib import Path

from bench import bench_ingest, intake
from bench.bench_browser import CHANGES_PER_SESSION, NAVIGATION_ROUNDS, SESSIONS, percentile
from bench.bench_cluster import SESSIONS as CLUSTER_SESSIONS
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


MAP_PAGE = "Regional activity"  # its WebGL draw in a software renderer is reported apart (issue 17)


def _switch_medians(browser: dict) -> dict[str, float]:
    """Each page's switch time, the median of every visit (the first included); the map page's without its
    WebGL draw (the server's answer and the DOM)."""
    return {
        page: _median(
            [visits["dom_first"], *visits["dom_later"]] if page == MAP_PAGE else [visits["first"], *visits["later"]]
        )
        for page, visits in browser["navigation"].items()
    }


def _ratio(browser: dict, what: str) -> float:
    return _median(browser[what]) / _median(browser[f"{what}_bare"])


def performance_targets(results: dict) -> str:
    rows = []
    for scale, measured in results["scales"].items():
        browser = measured.get("browser")
        if not browser:
            continue
        new_tab, cold = _ratio(browser, "new_tab"), _ratio(browser, "cold_start")
        rows.append(
            (
                f"{scale}x: a new tab opening the overview, at most 2.0 times the bare page",
                f"{_s(_median(browser['new_tab']))} against {_s(_median(browser['new_tab_bare']))}: "
                f"{new_tab:.2f} times",
                new_tab <= 2.0,
            )
        )
        rows.append(
            (
                f"{scale}x: cold start (server started to the overview drawn), at most 2.0 times",
                f"{_s(_median(browser['cold_start']))} against {_s(_median(browser['cold_start_bare']))}: "
                f"{cold:.2f} times",
                cold <= 2.0,
            )
        )
        switches = _switch_medians(browser)
        slowest = max(switches, key=switches.get)
        rows.append(
            (
                f"{scale}x: every page switch at most 1.0 s (median; the map's WebGL draw apart)",
                f"slowest: {slowest}, {_s(switches[slowest])}",
                switches[slowest] <= 1.0,
            )
        )
        map_visits = browser["navigation"][MAP_PAGE]
        with_webgl = _median([map_visits["quiet_first"], *map_visits["quiet_later"]])
        rows.append((f"{scale}x: the map page with its WebGL draw (reported, no target)", _s(with_webgl), None))
        period = browser["filter_change"]["period of the whole trends page"]["together"]
        rows.append(
            (
                f"{scale}x: {SESSIONS} sessions changing the trends period at once, p95 under 1.0 s",
                _s(percentile(period, 0.95)),
                percentile(period, 0.95) < 1.0,
            )
        )
    lines = ["| target | measured | |", "| --- | --- | --- |"]
    lines += [
        f"| {target} | {measured} | {'reported' if met is None else _yes(met)} |" for target, measured, met in rows
    ]
    return "\n".join(lines)


def targets(results: dict) -> str:
    one, hundred = results["scales"][1], results["scales"][100]
    navigation = _switch_medians(one["browser"])
    slowest_page = max(navigation, key=navigation.get)
    warm_one, warm_hundred = _warm_medians(one), _warm_medians(hundred)
    slowest_run = max(warm_one, key=warm_one.get)
    growth = {page: warm_hundred[page] / warm_one[page] for page in warm_one}
    most_grown = max(growth, key=growth.get)
    ratios = {name: row["pandas_s"] / row["duckdb_s"] for name, row in hundred["baseline"].items()}
    weakest = min(ratios, key=ratios.get)
    memory = hundred["browser"]["peak_memory_mib"]
    rows = [
        (
            "Demo: each page rendered within 1.5 s of navigation (median; the map's WebGL draw apart)",
            f"slowest: {slowest_page}, {_s(navigation[slowest_page])}",
            navigation[slowest_page] <= 1.5,
        ),
        (
            "Demo: each page's warm script run within 300 ms (median)",
            f"slowest: {slowest_run}, {_ms(warm_one[slowest_run])}",
            warm_one[slowest_run] <= 0.3,
        ),
        (
            "100x: no page's warm script run more than twice its 1x figure",
            f"largest: {most_grown}, {growth[most_grown]:.2f} times",
            growth[most_grown] <= 2,
        ),
        (
            "100x: the DuckDB path at least 10 times faster than the pandas baseline",
            f"smallest: {weakest}, {ratios[weakest]:,.0f} times",
            ratios[weakest] >= 10,
        ),
        ("100x: server memory under 600 MB", f"peak {memory:,.0f} MiB", memory < 600),
    ]
    for name, runs in one["browser"]["filter_change"].items():
        p95 = percentile(runs["together"], 0.95)
        rows.append((f"{SESSIONS} sessions at once on the demo data: p95 under 2 s, {name}", _s(p95), p95 < 2))
    del hundred
    lines = ["| target | measured | |", "| --- | --- | --- |"]
    lines += [f"| {target} | {measured} | {_yes(met)} |" for target, measured, met in rows]
    return "\n".join(lines)


def builds(results: dict) -> str:
    floor = results["build"]
    lines = ["| scale | weekly values | units | weeks | build | file |", "| --- | --- | --- | --- | --- | --- |"]
    for scale, measured in results["scales"].items():
        b = measured["build"]
        lines.append(
            f"| {scale}x | {b['rows']:,} | {b['units']:,} | {b['weeks']} | {_s(b['build_s'])} | "
            f"{b['file_mib']:,.0f} MiB |"
        )
    return "\n".join(lines) + (
        f"\n\nAt 1x, the whole build (median of {REPEATS}) takes {_s(floor['build_s'])} against "
        f"{_s(floor['floor_s'])} for bulk-loading the same {floor['rows']:,} values already generated "
        f"(ratio {floor['build_s'] / floor['floor_s']:.1f})."
    )


def script_runs(results: dict) -> str:
    scales = list(results["scales"])
    head = "| page | " + " | ".join(f"{s}x cold | {s}x warm (p95)" for s in scales) + " |"
    lines = [head, "| --- |" + " --- | --- |" * len(scales)]
    pages = list(results["scales"][scales[0]]["script_runs"])
    for page in pages:
        cells = []
        for scale in scales:
            runs = results["scales"][scale]["script_runs"][page]
            cells.append(
                f"{_ms(_median(runs['cold']))} | {_ms(_median(runs['warm']))} ({_ms(percentile(runs['warm'], 0.95))})"
            )
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def baseline(results: dict) -> str:
    lines = [
        "| page numbers | scale | DuckDB (rollups) | pandas baseline | ratio | same numbers |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for scale, measured in results["scales"].items():
        for name, row in measured["baseline"].items():
            lines.append(
                f"| {name} | {scale}x | {_ms(row['duckdb_s'])} | {_ms(row['pandas_s'])} | "
                f"{row['pandas_s'] / row['duckdb_s']:,.0f} | {'yes' if row['same_numbers'] else '**no**'} |"
            )
    return "\n".join(lines)


def navigation(results: dict) -> str:
    browsed = {scale: m["browser"] for scale, m in results["scales"].items() if "browser" in m}
    head = (
        "| page | "
        + " | ".join(f"{s}x: drawn, first visit | {s}x: later (median) | {s}x: DOM without the map" for s in browsed)
        + " |"
    )
    lines = [head, "| --- |" + " --- | --- | --- |" * len(browsed)]
    first = next(iter(browsed.values()))
    for page in first["navigation"]:
        cells = [
            f"{_s(b['navigation'][page]['first'])} | {_s(_median(b['navigation'][page]['later']))} | "
            f"{_s(_median([b['navigation'][page]['dom_first'], *b['navigation'][page]['dom_later']]))}"
            for b in browsed.values()
        ]
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| what | " + " | ".join(f"{s}x | bare page, same run" for s in browsed) + " |",
        "| --- |" + " --- | --- |" * len(browsed),
    ]
    lines.append(
        "| cold start: server started to the overview drawn (median of 3) | "
        + " | ".join(f"{_s(_median(b['cold_start']))} | {_s(_median(b['cold_start_bare']))}" for b in browsed.values())
        + " |"
    )
    lines.append(
        "| a new browser tab opening the overview (median of 3) | "
        + " | ".join(f"{_s(_median(b['new_tab']))} | {_s(_median(b['new_tab_bare']))}" for b in browsed.values())
        + " |"
    )
    lines.append(
        "| server's peak memory (VmHWM) after all of the above | "
        + " | ".join(f"{b['peak_memory_mib']:,.0f} MiB | " for b in browsed.values())
        + " |"
    )
    return "\n".join(lines)


def sessions(results: dict) -> str:
    lines = [
        "| scale | filter | one session alone: median | " + f"{SESSIONS} at once: median | p95 | slowest |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for scale, measured in results["scales"].items():
        for name, runs in measured.get("browser", {}).get("filter_change", {}).items():
            together = runs["together"]
            lines.append(
                f"| {scale}x | {name} | {_ms(_median(runs['alone']))} | {_ms(_median(together))} | "
                f"{_ms(percentile(together, 0.95))} | {_ms(max(together))} |"
            )
    return "\n".join(lines)


def _breakdown_rows(label: str, figures: dict) -> list[str]:
    timeline = figures["timeline_ms"]
    busiest = ", ".join(f"{name} {ms:,} ms" for name, ms in figures["busiest"][:4])
    largest = ", ".join(f"{name.split('.')[0]} {size / 1e6:.1f} MB" for name, size in figures["largest"][:3])
    return [
        f"| {label} | {_s(figures['drawn_s'])} | {timeline.get('script running', 0):,} ms | "
        f"{timeline.get('script notRunning', 0):,} ms | {timeline.get('first heading', 0):,} ms | "
        f"{timeline.get('last change', 0):,} ms | {figures['busy_ms']:,} ms ({busiest}) | "
        f"{figures['bytes'].get('script', 0) / 1e6:.1f} MB in {figures['chunks']} chunks ({largest}) | "
        f"{figures['bytes'].get('font', 0) / 1e6:.2f} MB |"
    ]


def _before_and_after(results: dict, key: str) -> tuple[dict, dict] | None:
    """This run's figures under `key` at 1x, and the same measurement of the commit before the work, kept in
    bench/<key>_before.json; None when either is missing."""
    after = results["scales"][1].get(key)
    before_file = Path(__file__).with_name(f"{key}_before.json")
    if after is None or not before_file.exists():
        return None
    return json.loads(before_file.read_text()), after


def script_profile(results: dict) -> str:
    pair = _before_and_after(results, "script_profile")
    if pair is None:
        return "Not measured in this run."
    before, after = pair
    floor = _median(results["scales"][1]["script_runs"][FLOOR]["warm"])
    lines = [
        f"A new session's first run of the overview under AppTest, median of the runs: before (commit "
        f"{before['commit']}) {before['run_ms']} ms, after {after['run_ms']} ms (the bare page's run costs "
        f"AppTest {_ms(floor)} in this bench). Share of samples each function was on the stack:",
        "",
        "| before | | after | |",
        "| --- | --- | --- | --- |",
    ]
    for (old, old_share), (new, new_share) in zip(before["on_stack"][1:11], after["on_stack"][1:11], strict=False):
        lines.append(f"| {old} | {old_share:.0%} | {new} | {new_share:.0%} |")
    return "\n".join(lines)


def breakdown(results: dict) -> str:
    pair = _before_and_after(results, "breakdown")
    if pair is None:
        return "Not measured in this run."
    before, after = pair
    lines = [
        "| | drawn and still | script run started | script run finished | first heading | last change | "
        "main thread busy (the most) | scripts downloaded | fonts |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += _breakdown_rows(f"before (commit {before['commit']})", before)
    lines += _breakdown_rows(f"after (commit {results.get('commit', commit())})", after)
    return "\n".join(lines)


def cluster(results: dict) -> str:
    """The 200-session table (bench/bench_cluster.py)."""
    over = results.get("cluster")
    if not over:
        return "Not measured in this run."
    lines = [
        "| servers | one session alone: change, median | 200 arriving, 10 at a time: open p50 | p95 | "
        "200 changing at once: p50 | p95 | errors | peak memory per server |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for count, figures in sorted(over.items(), key=lambda item: int(item[0])):
        memory = ", ".join(f"{mib:,.0f} MiB" for mib in figures["memory_mib"])
        kinds = f" ({', '.join(figures['error_kinds'])})" if figures["error_kinds"] else ""
        lines.append(
            f"| {count} | {_s(figures['alone']['p50'])} | {_s(figures['open']['p50'])} | "
            f"{_s(figures['open']['p95'])} | {_s(figures['change']['p50'])} | {_s(figures['change']['p95'])} "
            f"| {figures['errors']}{kinds} | {memory} |"
        )
    return "\n".join(lines)


def publishing(results: dict) -> str:
    lines = [
        "| scale | store file | publish a snapshot (median of 3) | plain copy of the file (floor) | ratio |",
        "| --- | --- | --- | --- | --- |",
    ]
    for scale, measured in results["scales"].items():
        timed = measured.get("publishing")
        if timed:
            lines.append(
                f"| {scale}x | {timed['size_mb']:,.0f} MB | {_ms(timed['publish'])} | {_ms(timed['copy'])} | "
                f"{timed['publish'] / timed['copy']:.1f} |"
            )
    return "\n".join(lines)


def markdown(results: dict) -> str:
    return f"""# Benchmark results

Written by `make bench` on {dt.date.today().isoformat()}, commit {results.get("commit", commit())}.
Machine: {machine()}.
Demo data as of {AS_OF.isoformat()}; at scale N every organisation reports through N units, with a year more
history per tenfold (`build-demo --scale N`).

## Targets (issue 17: performance)

Every browser figure is a ratio to, or sits beside, a bare Streamlit page (one heading) served the same way in
the same run: through `st.App` with our middleware (bench/bare_server.py). A page that draws an error or leaves
a placeholder stops the bench.

{performance_targets(results)}

## Where a new tab's time goes

The weekly overview opened in a new tab on a warm server (median of 3; bench/breakdown.py). Times are from the
start of navigation. "Busy" is the browser's main thread from a CPU profile, over the whole measurement.
Before is the same measurement of the commit before this work, served from a checkout of it.

{breakdown(results)}

The first script run on the server, profiled by sampling its thread every millisecond (bench/script_profile.py):

{script_profile(results)}

What each change bought, measured one at a time on this machine on 2026-11-30 while making them (a new tab
on a warm server, median of 5; the bare page took about 0.95 s):

| change | new tab |
| --- | --- |
| before | 3.25 s (ratio 3.1) |
| sparklines as SVG images: no Plotly (4.7 MB of script) on the overview | 2.08 s with the next change |
| the link box in a popover: no syntax highlighter (1.6 MB) or monospace font until it is opened | (with the above) |
| the overview's 10 recommendations as a static table: no data grid (1.2 MB) | 1.50 s (ratio 1.6) |
| python-pptx imported when a pack is first built | 0.09 s less importing at cold start (`-X importtime`) |

The script run itself finished at about 1.0 s before and after (0.3 s of it the server's run of the page):
the time went on the browser fetching and running the code for three kinds of element.

For twenty sessions changing the trends period at once (bench/sessions.py; the profile came from py-spy on
the server, not a dependency): reading a cached frame unpickled it (st.cache_data), about an eighth of a
rerun; the page's frame (sign-in, menu, returns so far) reran with it; each of 59 messages to the browser cost
an event-loop wake-up; every query made two Streamlit cache lookups (the connection and the data version),
each hashing its arguments. Now the page is one fragment, query results are shared (pandas copies on write,
and a test checks no page changes one), the rolling and last-year lines are cached on the data version, a
rerun sends 51 messages, the open connection and the data version are found without Streamlit's caches, and
the crossings' status words are memoised. Measured alone in three runs each, p95 went from about 1.1 s to
between 0.64 and 0.70 s. A full bench of the commit before the last two changes missed the target at 1x
(1.10 s; 0.91 s in the run before it), which is why they were made. Two cores serve twenty whole-page reruns
one after another; the table above is one run.

## Several servers behind nginx (issue 15)

{CLUSTER_SESSIONS} sessions through nginx (deploy/, sticky routing) over 1, 2 and 3 dashboard servers on this
machine, at 1x, with the bench's websocket client (bench/bench_cluster.py). Each server is warmed with two
sessions of its own first. The sessions arrive ten at a time, each opening the trends page; then all of them
change its period at the same moment, twice. The baseline is one session alone on the same servers in the same run.

{cluster(results)}

What two cores can and cannot show. Zero errors at 200 sessions is the target, and the table says whether it
was met. A filter change is a rerun of the page in Python, which runs one thread at a time per process, so one
server does the 200 reruns one after another; a second server on the second core halves the wait. A third
server on two cores has no core of its own: it shows that sessions spread without errors, not that it is
faster, and the bench's own client shares the same two cores. On a machine with more cores, or on more
machines behind the same nginx, each server adds its share; the snapshots they read are shared files, so
nothing else changes.

Reading snapshots did not change what a filter change costs. The twenty-session figure in the targets above
was measured with the code from before this work and with this code, one run after the other, twice each.
Each run was three rounds of 20 sessions, each session changing the trends period 5 times, on this machine on
2026-11-30. Before: p95 from 0.95 to 1.21 s. After: p95 from 0.92 to 1.24 s. A profile of the server under
that load put the new data-access code under 1% of the samples. The 100x target of under 1.0 s sits at the
edge of what two cores give. This session's four full benches measured 0.84, 1.06, 1.03 and 1.15 s.

Publishing a snapshot after a write: a copy of the store, flushed to disk, renamed into place, and the pointer
renamed after it (taskforce/store/snapshots.py). A plain copy of the same file is the floor.

{publishing(results)}

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

From a click on the page in the sidebar to the page drawn and still (its script run finished, no placeholder
left, and the moment of its last change), in one session: the first visit fills the query caches, later
visits are the median of {NAVIGATION_ROUNDS - 1}. "DOM without the map" is the last change outside the
map (the server's answer and the page around it); the map page's WebGL draw runs on the main thread in
Chromium's software renderer (no GPU here) and takes most of its total.

{navigation(results)}

## {SESSIONS} sessions at once

Real Streamlit sessions over the websocket (bench/sessions.py speaks the protocol a browser speaks, without
twenty browsers competing with the server for the two cores). Every session changes the filter at the same
moment, {CHANGES_PER_SESSION} times; the time is until the server has sent its whole answer.

{sessions(results)}

{bench_ingest.markdown(results["ingest"])}
{intake.markdown(results["intake"], repeats=3) if "intake" in results else ""}"""
