"""Where a new tab's time goes: the weekly overview opened in a new Chromium tab on a warm server.

- the timeline in the page: when the script run started and finished (the app's script state), when the first
  element of the page appeared and when the page last changed;
- the browser's main thread, from a CPU profile (Chrome DevTools Protocol): time busy in each script, and idle
  (waiting on the server or the network);
- what the page downloaded: scripts, fonts, the rest, in bytes, and the largest chunks.

`python -m bench.breakdown DATABASE [--code FOLDER]` prints it as JSON; `--code` serves another checkout of the
project (the "before" figures in bench/RESULTS.md came from the commit before issue 17's changes).
"""

from __future__ import annotations

import argparse
import collections
import json
import statistics
import time
from pathlib import Path

from bench.bench_browser import VIEWPORT, drawn
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PROJECT_ROOT, start_server, stop_server

TIMELINE = """
window.__timeline = {};
const note = (what) => { if (!(what in window.__timeline)) window.__timeline[what] = performance.now(); };
new MutationObserver(() => {
  const state = document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state');
  if (state) note('script ' + state);
  if (document.querySelector('[data-testid="stMain"] [data-testid="stHeading"]')) note('first heading');
  window.__timeline['last change'] = performance.now();
}).observe(document, {subtree: true, childList: true, attributes: true});
"""
ROUNDS = 3


def _profile_by_script(profile: dict) -> dict[str, float]:
    """Milliseconds of main-thread time by script file (and idle, program, garbage collection)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    by_script: collections.Counter = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"], strict=True):
        frame = nodes[sample]["callFrame"]
        name = frame["url"].rsplit("/", 1)[-1] or frame["functionName"] or "(native)"
        by_script[name.split(".")[0] if frame["url"] else name] += delta / 1000
    return dict(by_script)


def _downloads(page) -> list[dict]:
    return page.evaluate("""() => performance.getEntriesByType('resource').map(entry => ({
        name: entry.name.split('/').pop(), kind: entry.initiatorType, bytes: entry.encodedBodySize,
        start: entry.startTime, end: entry.responseEnd}))""")


def one_tab(browser, url: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(TIMELINE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 500})
    cdp.send("Profiler.start")
    started = time.monotonic()
    page.goto(url)
    done = drawn(page, "the overview in a new tab") - started
    profile = cdp.send("Profiler.stop")["profile"]
    timeline = page.evaluate("window.__timeline")
    downloads = _downloads(page)
    context.close()
    busy = _profile_by_script(profile)
    # the profile runs on past the page's last change (the stillness wait); count only up to that moment
    return {"drawn_s": done, "timeline_ms": timeline, "main_thread_ms": busy, "downloads": downloads}


def summary(tabs: list[dict]) -> dict:
    """The median tab's figures, and the main thread and downloads of the tab nearest that median."""
    middle = sorted(tabs, key=lambda tab: tab["drawn_s"])[len(tabs) // 2]
    kinds: collections.Counter = collections.Counter()
    for item in middle["downloads"]:
        kind = (
            "script"
            if item["name"].endswith(".js")
            else "font"
            if item["name"].endswith((".woff2", ".ttf"))
            else "other"
        )
        kinds[kind] += item["bytes"]
    largest = sorted(middle["downloads"], key=lambda item: -item["bytes"])[:6]
    busy = middle["main_thread_ms"]
    return {
        "drawn_s": statistics.median(tab["drawn_s"] for tab in tabs),
        "timeline_ms": {what: round(at) for what, at in middle["timeline_ms"].items()},
        "idle_ms": round(busy.get("(idle)", 0)),
        "busy_ms": round(sum(ms for name, ms in busy.items() if name != "(idle)")),
        "busiest": [
            (name, round(ms)) for name, ms in sorted(busy.items(), key=lambda item: -item[1]) if name != "(idle)"
        ][:6],
        "bytes": dict(kinds),
        "chunks": len([item for item in middle["downloads"] if item["name"].endswith(".js")]),
        "largest": [(item["name"], item["bytes"]) for item in largest],
    }


def measure(database: Path, code: Path = PROJECT_ROOT) -> dict:
    from playwright.sync_api import sync_playwright

    server, url = start_server(database, script=code / "taskforce" / "ui" / "server.py", cwd=code)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            one_tab(browser, url)  # the server warm: caches filled, as on Monday morning after the first visitor
            tabs = [one_tab(browser, url) for _ in range(ROUNDS)]
            browser.close()
    finally:
        stop_server(server)
    return summary(tabs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--code", type=Path, default=PROJECT_ROOT)
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.database, arguments.code), indent=1))


if __name__ == "__main__":
    main()
