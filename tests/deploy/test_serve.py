"""`make serve` (deploy/serve.py): a dashboard server killed outright is started again, and meanwhile the other
server, and nginx in front of both, keep answering."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from deploy import serve
from tests.browser.conftest import free_port
from tests.conftest import PROJECT_ROOT, copy_of_demo


def _two_free_ports_in_a_row() -> int:
    """A port p such that p and p + 1 are free (serve.py numbers its servers from --first-server-port)."""
    for _ in range(50):
        first = free_port()
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", first + 1))
            except OSError:
                continue
        return first
    raise RuntimeError("no two free ports in a row on loopback")


def _pid_on_port(parent: int, port: int) -> int | None:
    """The pid of the dashboard server that `parent` runs on `port` (from its command line in /proc)."""
    children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
    for child in children:
        try:
            arguments = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except FileNotFoundError:
            continue
        if b"--server.port" in arguments and arguments[arguments.index(b"--server.port") + 1] == str(port).encode():
            return int(child)
    return None


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=30) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def make_serve(demo_db_template, tmp_path):
    """`python -m deploy.serve --servers 2`, as `make serve` runs it, on a copy of the demo; its log in a file."""
    database = copy_of_demo(demo_db_template, tmp_path)
    first, port = _two_free_ports_in_a_row(), free_port()
    log = tmp_path / "serve.log"
    environment = {**os.environ, "TASKFORCE_DB": str(database), "TASKFORCE_UPLOADS": str(tmp_path / "uploads")}
    with log.open("w") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "deploy.serve", "--servers", "2", "--port", str(port),
             "--first-server-port", str(first)], cwd=PROJECT_ROOT, env=environment, stdout=output, stderr=output)
    try:
        serve.wait_until_healthy(f"http://127.0.0.1:{port}", seconds=240, process=supervisor)
        yield supervisor, f"http://127.0.0.1:{port}", first, log
    finally:
        supervisor.send_signal(signal.SIGTERM)  # serve.py stops its servers and nginx with it
        try:
            supervisor.wait(timeout=60)
        except subprocess.TimeoutExpired:
            supervisor.kill()


def test_a_server_killed_outright_is_started_again_while_the_other_keeps_serving(make_serve):
    """Given `make serve` with two servers behind nginx, when one server is killed (kill -9), then the supervisor
    logs it and starts it again, the other server and nginx answer all the while, and the supervisor itself
    keeps running. (Before: it stopped everything.)"""
    supervisor, proxy_url, first_port, log = make_serve
    victim = _pid_on_port(supervisor.pid, first_port)
    assert victim is not None
    os.kill(victim, signal.SIGKILL)
    survivor_url = f"http://127.0.0.1:{first_port + 1}"
    answered, deadline = [], time.monotonic() + 240
    restarted = None
    while time.monotonic() < deadline and supervisor.poll() is None:
        answered.append((_answers(survivor_url), _answers(proxy_url)))
        restarted = _pid_on_port(supervisor.pid, first_port)
        if restarted not in (None, victim) and _answers(f"http://127.0.0.1:{first_port}"):
            break
        time.sleep(0.5)
    assert supervisor.poll() is None, log.read_text()
    assert restarted not in (None, victim)
    assert answered and all(survivor and proxy for survivor, proxy in answered)
    written = log.read_text()
    assert f"The server on port {first_port} (pid {victim}) exited with code -9; starting it again in 1 s" in written
    assert f"Started the server on port {first_port} again (pid {restarted})" in written


@pytest.mark.parametrize("failures, pause", [(1, 1), (2, 2), (3, 4), (6, 30), (40, 30)])
def test_a_server_that_keeps_failing_waits_longer_each_time_up_to_half_a_minute(failures, pause):
    assert serve.restart_pause(failures) == pause
