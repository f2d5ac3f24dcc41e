"""A real dashboard server on a free loopback port, and headless Chromium (Debian's) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from deploy.serve import wait_until_healthy
from tests.conftest import PROJECT_ROOT, SHARED_BOUNDARIES, copy_of_demo

CHROMIUM = "/usr/bin/chromium"
# The dashboard as served for real: dashboard.py inside the ASGI wrapper that adds the security headers.
SERVER = PROJECT_ROOT / "taskforce" / "ui" / "server.py"
SCREENSHOTS = PROJECT_ROOT / "tests" / "browser" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(
    database: Path,
    extra_env: dict[str, str] | None = None,
    script: Path = SERVER,
    cwd: Path = PROJECT_ROOT,
    port: int | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run` on a free loopback port and wait until it answers its health check. Streamlit
    reads .streamlit/ (config and secrets) from `cwd`."""
    port = port or free_port()
    environment = {**os.environ, "TASKFORCE_DB": str(database), **(extra_env or {})}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=cwd,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process=server)
    except Exception:
        server.kill()
        raise
    return server, url


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="session")
def server_database(demo_db_template, tmp_path_factory) -> Path:
    """The server's own copy of the demo database: DuckDB lets only one process open a file, and the test
    process holds the session's database open for its direct SQL checks."""
    return copy_of_demo(demo_db_template, tmp_path_factory.mktemp("server"))


def _open_home_once(browser, url: str) -> None:
    """Run dashboard.py once, as a first visitor would: until then Streamlit serves pages/ on its own
    (the window the frame's guard exists for), with file names for navigation."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    wait_until_rendered(page)
    context.close()


@pytest.fixture(scope="session")
def dashboard_url(server_database, tmp_path_factory, browser):
    """The dashboard on its own database, with the test boundaries installed when ../shared has them."""
    geo = tmp_path_factory.mktemp("server_geo")
    if SHARED_BOUNDARIES.is_file():
        shutil.copyfile(SHARED_BOUNDARIES, geo / "police_force_areas.geojson")
    server, url = start_server(server_database, extra_env={"TASKFORCE_GEO_DIR": str(geo)})
    _open_home_once(browser, url)
    yield url
    stop_server(server)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it with apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class LoadedPage:
    page: object
    requests: list[str] = field(default_factory=list)

    def outside_requests(self, base_url: str) -> list[str]:
        """Every request to anything but the local server (data: and blob: URLs stay in the page)."""
        return [
            url
            for url in self.requests
            if not url.startswith(base_url) and not url.startswith(("data:", "blob:", "about:"))
        ]


# What counts as the page's drawing: every element of the main area, except the accessible copy of a data
# grid's cells, which the grid adds out of sight about two seconds after it has drawn (the grid itself, drawn
# on a canvas, is counted when it appears).
DRAWN_ELEMENTS = '[data-testid="stMain"] *:not([data-testid="data-grid-canvas"] *)'


def wait_until_rendered(page, seconds: float = 180) -> float:
    """Wait until Streamlit is done: its script run has finished (the app's `data-test-script-state`), the
    main block is on the page with no placeholder left (an element whose code is still loading shows a
    skeleton), and the page has stopped changing (the same number of elements) for a second and a half.
    Returns the monotonic time of the last change, when the page was fully drawn."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=seconds * 1000)
    deadline, still_since, last_count = time.monotonic() + seconds, None, -1
    while time.monotonic() < deadline:
        state = page.evaluate(
            "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state')"
        )
        count = page.evaluate(f"document.querySelectorAll('{DRAWN_ELEMENTS}').length")
        loading = page.evaluate(
            'document.querySelectorAll(\'[data-testid="stMain"] [data-testid^="stSkeleton"]\').length'
        )
        if state != "notRunning" or loading or count != last_count:
            still_since, last_count = None, count
        else:
            still_since = still_since or time.monotonic()
            if time.monotonic() - still_since > 1.5:
                return still_since
        time.sleep(0.05)
    raise TimeoutError("the page was still running")


@pytest.fixture
def open_page(browser, dashboard_url):
    """Open a path of the dashboard in a fresh context, recording every request it makes."""
    contexts = []

    def _open(path: str = "/", width: int = 1920, height: int = 1080) -> LoadedPage:
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        loaded = LoadedPage(page)
        page.on("request", lambda request: loaded.requests.append(request.url))
        page.goto(dashboard_url + path)
        wait_until_rendered(page)
        return loaded

    yield _open
    for context in contexts:
        context.close()


def save_screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
