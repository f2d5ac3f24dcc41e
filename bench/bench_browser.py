"""The dashboard in Chromium, served by a real `streamlit run` on one database:

- cold start: from starting the server to the first overview rendered and still;
- navigation: from clicking a page in the sidebar to that page rendered and still, for every page, the first
  visit (query caches cold) and later visits (warm); and a new browser tab opening the overview;
- 20 sessions at once (bench/sessions.py, Streamlit's own protocol): each changes a filter at the same
  moment; the time until the server has sent its whole answer, against one session alone;
- the server's peak memory (VmHWM) after all of it.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from bench import sessions
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SERVER, start_server, wait_until_rendered

VIEWPORT = {"width": 1920, "height": 1080}
# The baseline: one heading, served the way the dashboard is (st.App with our middleware).
BARE_SERVER = Path(__file__).with_name("bare_server.py")
NAVIGATION_ROUNDS = 3
SESSIONS = 20
CHANGES_PER_SESSION = 5


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _stop(server) -> None:
    server.terminate()
    server.wait(timeout=30)


def cold_start(database: Path, script: Path, browser) -> float:
    """Seconds from starting the server to the first page rendered and still."""
    started = time.monotonic()
    server, url = start_server(database, script=script)
    try:
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        page.goto(url)
        done = drawn(page, "the first page after a cold start")
        context.close()
        return done - started
    finally:
        _stop(server)


# What would make a timing a lie: an exception, an error box, or a placeholder still where an element should be.
PROBLEMS = """() => ({
  exceptions: document.querySelectorAll('[data-testid="stException"]').length,
  errors: [...document.querySelectorAll('[data-testid="stAlertContentError"]')].map(e => e.innerText.slice(0, 160)),
  placeholders: document.querySelectorAll('[data-testid="stMain"] [data-testid^="stSkeleton"]').length,
})"""
# Long tasks on the browser's main thread (scripts, layout, a map's WebGL draw in a software renderer), kept
# from the start of the page, so the end of the last one after a click says when the page stopped working.
LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => { for (const task of list.getEntries()) window.__longTasks.push(task.startTime
  + task.duration); }).observe({type: 'longtask', buffered: true});
"""
# Changes to the page outside the map: the last one after a click is when the server's answer and the DOM were
# done, apart from the map's own WebGL draw (seconds in a software renderer, with no GPU).
MUTATIONS = """
window.__changes = [];
new MutationObserver(records => { for (const record of records) {
  const target = record.target.nodeType === 1 ? record.target : record.target.parentElement;
  if (target && !target.closest('[data-testid="stDeckGlJsonChart"], [data-testid="data-grid-canvas"]'))
    { window.__changes.push(performance.now()); return; } } }
).observe(document, {subtree: true, childList: true, characterData: true});
"""
PAGE_LINKS = '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'


def drawn(page, what: str) -> float:
    """wait_until_rendered, then fail loudly if the page drew an error or left a placeholder."""
    done = wait_until_rendered(page)
    problems = page.evaluate(PROBLEMS)
    if problems["exceptions"] or problems["errors"] or problems["placeholders"]:
        raise RuntimeError(f"{what} drew an error or a placeholder, so its timing would mean nothing: {problems}")
    return done


def _busy_until(page, since_ms: float) -> float:
    """Milliseconds (page clock) when the last long task after `since_ms` ended, or `since_ms` if none did."""
    return page.evaluate(f"Math.max({since_ms}, ...window.__longTasks.filter(end => end > {since_ms}))")


def _new_tab(url: str, browser) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    started = time.monotonic()
    page.goto(url)
    done = drawn(page, f"a new tab on {url}")
    context.close()
    return done - started


def navigation(url: str, browser) -> dict[str, dict[str, float | list[float]]]:
    """For each page in the sidebar: the first visit and the later ones, in one session. Each visit is timed
    twice: until the page is drawn and still (the server's run and the DOM), and until the browser's main
    thread has finished its last long task too (a map's WebGL draw, in a software renderer here)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(LONG_TASKS + MUTATIONS)
    page = context.new_page()
    page.goto(url)
    drawn(page, "the first page")
    links = page.locator(PAGE_LINKS)
    titles = [links.nth(i).inner_text().split("\n")[-1].strip() for i in range(links.count())]
    if len(titles) < 8:
        raise RuntimeError(f"the sidebar offers {len(titles)} pages: {titles}")
    visits: dict[str, list[float]] = {title: [] for title in titles}
    quiet: dict[str, list[float]] = {title: [] for title in titles}
    dom: dict[str, list[float]] = {title: [] for title in titles}
    for _ in range(NAVIGATION_ROUNDS):
        for title in titles[1:] + titles[:1]:
            clicked_ms = page.evaluate("performance.now()")
            started = time.monotonic()
            # dispatched, not clicked: the briefing collapses the sidebar, and a click needs it on screen
            page.locator(PAGE_LINKS, has_text=title).dispatch_event("click")
            still = drawn(page, title) - started
            visits[title].append(still)
            quiet[title].append(max(still, (_busy_until(page, clicked_ms) - clicked_ms) / 1000))
            last_change = page.evaluate(f"Math.max({clicked_ms}, ...window.__changes.filter(t => t > {clicked_ms}))")
            dom[title].append((last_change - clicked_ms) / 1000)
    context.close()
    return {
        title: {
            "first": times[0],
            "later": times[1:],
            "quiet_first": quiet[title][0],
            "quiet_later": quiet[title][1:],
            "dom_first": dom[title][0],
            "dom_later": dom[title][1:],
        }
        for title, times in visits.items()
    }


FILTERS = {  # label -> (page, control, the two choices it switches between)
    "split of the trend chart (a fragment)": ("trends", "Split", ("By agency", "National")),
    "period of the whole trends page": ("trends", "Period", ("Monthly", "Weekly")),
}


def concurrency(url: str) -> dict[str, dict[str, list[float]]]:
    """Each filter changed by one session alone, then by SESSIONS sessions at the same moment."""
    results = {}
    for name, (page, label, choices) in FILTERS.items():
        alone = asyncio.run(sessions.sessions_at_once(url, 1, page, label, choices, 10))
        together = asyncio.run(sessions.sessions_at_once(url, SESSIONS, page, label, choices, CHANGES_PER_SESSION))
        results[name] = {"alone": alone, "together": together}
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(database: Path, root: Path, with_concurrency: bool) -> dict:
    """Everything above on one database, the bare Streamlit page measured the same way as the floor."""
    from playwright.sync_api import sync_playwright

    results: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results["cold_start"] = [cold_start(database, SERVER, browser) for _ in range(3)]
        results["cold_start_bare"] = [cold_start(database, BARE_SERVER, browser) for _ in range(3)]
        bare, bare_url = start_server(database, script=BARE_SERVER)
        try:
            _new_tab(bare_url, browser)
            results["new_tab_bare"] = [_new_tab(bare_url, browser) for _ in range(3)]
        finally:
            _stop(bare)
        browser.close()
    server, url = start_server(database, script=SERVER)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            results["navigation"] = navigation(url, browser)
            results["new_tab"] = [_new_tab(url, browser) for _ in range(3)]
            browser.close()
        if with_concurrency:
            results["filter_change"] = concurrency(url)
        results["peak_memory_mib"] = peak_memory_mib(server.pid)
    finally:
        _stop(server)
    return results


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s"
