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
NAVIGATION_ROUNDS = 3
SESSIONS = 20
CHANGES_PER_SESSION = 3


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
        done = wait_until_rendered(page)
        context.close()
        return done - started
    finally:
        _stop(server)


def _new_tab(url: str, browser) -> float:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    started = time.monotonic()
    page.goto(url)
    done = wait_until_rendered(page)
    context.close()
    return done - started


def navigation(url: str, browser) -> dict[str, dict[str, float | list[float]]]:
    """For each page in the sidebar: the first visit and the later ones, in one session."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(url)
    wait_until_rendered(page)
    links = page.locator('[data-testid="stSidebarNavLink"]')
    titles = [links.nth(i).inner_text().split("\n")[-1].strip() for i in range(links.count())]
    visits: dict[str, list[float]] = {title: [] for title in titles}
    for _ in range(NAVIGATION_ROUNDS):
        for title in titles[1:] + titles[:1]:
            started = time.monotonic()
            # dispatched, not clicked: the briefing collapses the sidebar, and a click needs it on screen
            page.locator('[data-testid="stSidebarNavLink"]', has_text=title).dispatch_event("click")
            visits[title].append(wait_until_rendered(page) - started)
    context.close()
    return {title: {"first": times[0], "later": times[1:]} for title, times in visits.items()}


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
        results["cold_start_bare"] = [cold_start(database, root / "bench" / "bare_page.py", browser) for _ in range(3)]
        bare, bare_url = start_server(database, script=root / "bench" / "bare_page.py")
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
