"""Two dashboard servers on one dataset, as behind the load balancer: a load from the command line, and an upload
in one of them, show in both within seconds, with no restart (each reads the newest published snapshot)."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.request

import pytest

from deploy import serve
from tests.browser.conftest import free_port, save_screenshot, start_server, stop_server, wait_until_rendered
from tests.conftest import AS_OF, LATEST_WEEK, PROJECT_ROOT, SEED, copy_of_demo

pytestmark = pytest.mark.browser

LIVE_VALUES = re.compile(r"([\d,]+) live values")


@pytest.fixture
def two_servers(demo_db_template, tmp_path):
    database = copy_of_demo(demo_db_template, tmp_path)
    uploads = {"TASKFORCE_UPLOADS": str(tmp_path / "uploads")}
    first, first_url = start_server(database, uploads)
    second = None
    try:
        second, second_url = start_server(database, uploads)
        yield database, first_url, second_url
    finally:
        stop_server(first)
        if second is not None:
            stop_server(second)


def _live_values(page) -> int:
    wait_until_rendered(page)
    match = LIVE_VALUES.search(page.get_by_text(LIVE_VALUES).first.inner_text())
    assert match, "About the data should say how many live values are loaded"
    return int(match[1].replace(",", ""))


def _shows(page, url: str, expected: int, seconds: float = 30) -> int:
    """Open About the data again (a new run of the page) until it shows `expected` live values."""
    deadline = time.monotonic() + seconds
    seen = -1
    while time.monotonic() < deadline:
        page.goto(f"{url}/about")
        seen = _live_values(page)
        if seen == expected:
            return seen
        time.sleep(0.5)
    return seen


def _return_file(tmp_path, org: str, value: int):
    path = tmp_path / f"{org}.csv"
    path.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK.isoformat()},{org},oic_arrests,{value}\n")
    return path


def test_a_command_line_load_and_an_upload_show_in_both_servers(two_servers, browser, tmp_path):
    """Given two dashboard servers on the same data, each open in a browser,
    when a return is loaded from the command line while they run, then both show it within seconds;
    when a return is uploaded through the first, then the second shows it too;
    and when the demo is built again while they run, then both show the rebuilt data."""
    database, first_url, second_url = two_servers
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    first, second = context.new_page(), context.new_page()
    first.goto(f"{first_url}/about")
    second.goto(f"{second_url}/about")
    before = _live_values(first)
    assert _live_values(second) == before

    loaded = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskforce",
            "ingest",
            str(_return_file(tmp_path, "gwent", 3)),
            "--db",
            str(database),
            "--by",
            "scheduled load",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert _shows(first, first_url, before + 1) == before + 1
    assert _shows(second, second_url, before + 1) == before + 1
    save_screenshot(second, "two_servers_after_command_line_load")

    first.goto(f"{first_url}/returns?section=Load+a+return")
    wait_until_rendered(first)
    first.locator("input[type=file]").set_input_files(str(_return_file(tmp_path, "lincolnshire", 2)))
    first.get_by_role("button", name="Load these values").click(timeout=60_000)
    first.get_by_text("Loaded", exact=False).first.wait_for(timeout=60_000)
    assert _shows(second, second_url, before + 2) == before + 2
    save_screenshot(second, "two_servers_after_upload_in_the_other")

    rebuilt = subprocess.run(  # the demo built again, as of the same day, while both serve
        [
            sys.executable,
            "-m",
            "taskforce",
            "build-demo",
            "--db",
            str(database),
            "--as-of",
            AS_OF.isoformat(),
            "--seed",
            str(SEED),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _shows(first, first_url, before) == before
    assert _shows(second, second_url, before) == before
    context.close()


@pytest.fixture
def behind_nginx(demo_db_template, tmp_path):
    """Two servers behind nginx, as `make serve SERVERS=2` runs them."""
    database = copy_of_demo(demo_db_template, tmp_path)
    cluster = serve.start(
        2,
        free_port(),
        {"TASKFORCE_DB": str(database), "TASKFORCE_UPLOADS": str(tmp_path / "up")},
        prefix=tmp_path / "nginx",
        server_ports=[free_port(), free_port()],
    )
    yield database, cluster
    serve.stop(cluster)


def test_behind_nginx_every_session_keeps_to_its_server(behind_nginx, browser, tmp_path):
    """Given two servers behind nginx, when four separate browsers each upload a return through it, then every
    upload is loaded: the page, its websocket and its upload all reached the one server holding the session
    (Streamlit keeps an uploaded file in that server's memory; without sticky routing about half would fail),
    the one each browser's route cookie names."""
    _, cluster = behind_nginx
    routes = []
    for org, value in (("gwent", 3), ("lincolnshire", 2), ("gwent", 2), ("lincolnshire", 3)):
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(f"{cluster.url}/returns?section=Load+a+return")
        wait_until_rendered(page)
        page.locator("input[type=file]").set_input_files(str(_return_file(tmp_path, org, value)))
        page.get_by_role("button", name="Load these values").click(timeout=60_000)
        page.get_by_text("Loaded 1 values", exact=False).first.wait_for(timeout=60_000)
        routes += [cookie["value"] for cookie in context.cookies() if cookie["name"] == "tf_route"]
        context.close()
    assert len(routes) == 4 and set(routes) <= {str(port) for port in cluster.ports}  # each named by its server
    page = browser.new_page()
    page.goto(f"{cluster.url}/about")
    wait_until_rendered(page)
    save_screenshot(page, "behind_nginx_about")
    page.close()


def _answering(url: str, cookies: str) -> str | None:
    """The server (its route) that answers a request carrying `cookies`."""
    request = urllib.request.Request(f"{url}/_stcore/health", headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=30) as response:
        named = [cookie for cookie in response.headers.get_all("Set-Cookie") or [] if cookie.startswith("tf_route=")]
    return named[0].split(";")[0].removeprefix("tf_route=") if named else None


def _route(context) -> str | None:
    return next((cookie["value"] for cookie in context.cookies() if cookie["name"] == "tf_route"), None)


def test_behind_nginx_a_session_moved_to_the_other_server_uploads_there_once_its_own_is_back(
    behind_nginx, browser, tmp_path
):
    """Given two servers behind nginx and a browser's session on one of them, when that server dies (the page's
    websocket reconnects to the other) and is started again, then an upload from the page is loaded: the other
    server's answers, its websocket's handshake first, re-pointed the route cookie at it. (Before: nginx's
    route cookie hashed back to the restarted server, which did not know the session: the upload got a 400,
    "AxiosError: Request failed with status code 400", until a reload.)"""
    _, cluster = behind_nginx
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(f"{cluster.url}/returns?section=Load+a+return")
    wait_until_rendered(page)
    first = _route(context)
    assert first is not None
    stale = "; ".join(f"{cookie['name']}={cookie['value']}" for cookie in context.cookies())
    index = cluster.ports.index(int(first))
    cluster.servers[index].kill()
    cluster.servers[index].wait(timeout=30)
    deadline = time.monotonic() + 120
    while _route(context) == first and time.monotonic() < deadline:  # the websocket reconnecting elsewhere
        page.wait_for_timeout(500)
    assert _route(context) not in (None, first)
    serve._launch(cluster, index)  # its own server back
    serve.wait_until_healthy(cluster.server_urls[index], process=cluster.servers[index])
    deadline = time.monotonic() + 60  # until nginx sends to it again (5 s after its last failure)
    while _answering(cluster.url, stale) != first and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _answering(cluster.url, stale) == first  # a browser with the session's first cookies reaches it
    wait_until_rendered(page)
    page.locator("input[type=file]").set_input_files(str(_return_file(tmp_path, "gwent", 3)))
    page.get_by_role("button", name="Load these values").click(timeout=60_000)
    page.get_by_text("Loaded 1 values", exact=False).first.wait_for(timeout=60_000)
    context.close()
