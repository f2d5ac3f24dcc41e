"""`make serve` (deploy/serve.py): a dashboard server killed outright, or hung, is started again, and meanwhile
the other server, and nginx in front of both, keep answering; one that refuses to start is given up, saying why;
a hangup stops everything, nginx included; nginx's access log is on the terminal and its folder goes with it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from deploy import serve
from tests.browser.conftest import free_port
from tests.conftest import PROJECT_ROOT, copy_of_demo
from tests.deploy.test_nginx import port_is_free


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


@dataclass
class Serving:
    supervisor: subprocess.Popen
    url: str  # nginx
    first_port: int
    log: Path  # the supervisor's standard error (and output), as the terminal would show it
    database: Path

    def written(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def make_serve(demo_db_template, tmp_path):
    """A function starting `python -m deploy.serve` with these options (`--servers 2`, as `make serve` runs it,
    unless given) on a copy of the demo, its log in a file, in a process group of its own (as a terminal's);
    every one started is stopped after the test."""
    started: list[subprocess.Popen] = []

    def starting(*options: str) -> Serving:
        database = copy_of_demo(demo_db_template, tmp_path)
        first, port = _two_free_ports_in_a_row(), free_port()
        log = tmp_path / "serve.log"
        environment = {**os.environ, "TASKFORCE_DB": str(database), "TASKFORCE_UPLOADS": str(tmp_path / "uploads")}
        with log.open("w") as output:
            supervisor = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "deploy.serve",
                    "--port",
                    str(port),
                    "--first-server-port",
                    str(first),
                    *(options or ("--servers", "2")),
                ],
                cwd=PROJECT_ROOT,
                env=environment,
                stdout=output,
                stderr=output,
                start_new_session=True,
            )
        started.append(supervisor)
        serving = Serving(supervisor, f"http://127.0.0.1:{port}", first, log, database)
        deadline = time.monotonic() + 240
        while f"open {serving.url} " not in serving.written():  # serve.py has seen every server and nginx answer
            assert supervisor.poll() is None and time.monotonic() < deadline, serving.written()
            time.sleep(0.3)
        return serving

    yield starting
    for supervisor in started:
        supervisor.send_signal(signal.SIGTERM)  # serve.py stops its servers and nginx with it
        try:
            supervisor.wait(timeout=60)
        except subprocess.TimeoutExpired:
            supervisor.kill()


def test_a_server_killed_outright_is_started_again_while_the_other_keeps_serving(make_serve):
    """Given `make serve` with two servers behind nginx, when one server is killed (kill -9), then the supervisor
    logs it and starts it again, the other server and nginx answer all the while, and the supervisor itself
    keeps running. (Before: it stopped everything.)"""
    serving = make_serve()
    supervisor, proxy_url, first_port, log = serving.supervisor, serving.url, serving.first_port, serving.log
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


def _nginx_of(supervisor: int) -> tuple[int, Path]:
    """The pid of the nginx master that `supervisor` runs, and its folder (`-p`), from its command line."""
    for child in Path(f"/proc/{supervisor}/task/{supervisor}/children").read_text().split():
        try:
            arguments = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode().split()
        except FileNotFoundError:
            continue
        if "-p" in arguments and any("nginx" in argument for argument in arguments[:3]):
            return int(child), Path(arguments[arguments.index("-p") + 1])
    raise AssertionError(f"no nginx under {supervisor}")


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return


def test_a_hangup_stops_everything_nginx_included(make_serve):
    """Given `make serve` in a terminal, when the terminal is closed (SIGHUP to its process group), then
    serve.py stops its servers and nginx, and nothing is left on nginx's port. (Before: serve.py and the servers
    died, but nginx took the hangup for a reload and stayed on the port answering 502, and the next start
    failed with "Address already in use".)"""
    serving = make_serve("--servers", "1")
    nginx, _ = _nginx_of(serving.supervisor.pid)
    try:
        os.killpg(serving.supervisor.pid, signal.SIGHUP)
        serving.supervisor.wait(timeout=60)
        assert port_is_free(int(serving.url.rsplit(":", 1)[1])), serving.written()
    finally:
        _kill_group(nginx)  # what the old code left behind


def test_nginx_s_access_log_is_on_the_terminal_and_its_folder_goes_at_the_stop(make_serve):
    """Given `make serve`, when a browser opens a page, then nginx's access line for it is on serve.py's standard
    error (the terminal), and when serve.py stops, nginx's folder is gone. (Before: nginx wrote the lines to a
    file named `stderr` in that folder, and the folders stayed behind in /tmp.)"""
    serving = make_serve("--servers", "1")
    _, prefix = _nginx_of(serving.supervisor.pid)
    assert _answers(f"{serving.url}/about?section=x")  # a page's address with a query string
    deadline = time.monotonic() + 30
    while '"GET /about" 200' not in serving.written() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert '"GET /about" 200' in serving.written()
    assert not (prefix / "stderr").exists()
    serving.supervisor.send_signal(signal.SIGTERM)
    assert serving.supervisor.wait(timeout=60) == 0
    assert not prefix.exists()


def test_a_server_that_refuses_to_start_is_not_started_again_and_says_why(make_serve):
    """Given `make serve` whose store others have been let read meanwhile, when its server dies, then its
    restart refuses to start (exit code 1) and so does the next one, and serve.py stops starting it, showing the
    server's own sentence (which files, and the chmod that mends them). (Before: its standard error went nowhere
    and the restarts looped for ever, each logged as "exited with code 1".)"""
    serving = make_serve("--servers", "1")
    serving.database.chmod(0o644)
    victim = _pid_on_port(serving.supervisor.pid, serving.first_port)
    assert victim is not None
    os.kill(victim, signal.SIGKILL)
    assert serving.supervisor.wait(timeout=120) == 1  # its only server given up
    written = serving.written()
    assert written.count(f"Started the server on port {serving.first_port} again") == 2
    assert (
        f"The server on port {serving.first_port} refuses to start (2 times in a row, exit code 1); it is not "
        "started again"
    ) in written
    assert f"chmod -R o= {serving.database}" in written.split("refuses to start (2 times")[1]


def test_a_hung_server_is_killed_and_started_again(make_serve):
    """Given `make serve` checking its servers' health every second, when a server hangs (kill -STOP), then after
    two failed checks in a row serve.py kills it (kill -9) and starts it again, and the new one answers.
    (Before: a hung server was never noticed.)"""
    serving = make_serve("--servers", "1", "--health-every", "1", "--health-failures", "2")
    victim = _pid_on_port(serving.supervisor.pid, serving.first_port)
    assert victim is not None
    os.kill(victim, signal.SIGSTOP)
    restarted, deadline = None, time.monotonic() + 180
    try:
        while time.monotonic() < deadline and serving.supervisor.poll() is None:
            restarted = _pid_on_port(serving.supervisor.pid, serving.first_port)
            if restarted not in (None, victim) and _answers(f"http://127.0.0.1:{serving.first_port}"):
                break
            time.sleep(0.5)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(victim, signal.SIGKILL)
    assert restarted not in (None, victim), serving.written()
    assert (
        f"The server on port {serving.first_port} (pid {victim}) did not answer its health check 2 times in a row"
    ) in serving.written()


def test_make_serve_on_a_store_others_may_read_says_why_it_does_not_start(demo_db_template, tmp_path):
    """Given a store other accounts may read, when `make serve` starts, then it exits 1 with the server's own
    sentence (the files and the chmod that mends them), no traceback. (Before: the server's standard error went
    nowhere, and serve.py's traceback said only that python exited with 1.)"""
    database = copy_of_demo(demo_db_template, tmp_path)
    database.chmod(0o644)
    started = subprocess.run(
        [
            sys.executable,
            "-m",
            "deploy.serve",
            "--servers",
            "1",
            "--port",
            str(free_port()),
            "--first-server-port",
            str(free_port()),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "TASKFORCE_DB": str(database), "TASKFORCE_UPLOADS": str(tmp_path / "uploads")},
    )
    assert started.returncode == 1
    said = started.stderr.splitlines()[-1]
    assert "exited with code 1 before it answered: The taskforce's files are open to other accounts" in said
    assert f"chmod -R o= {database}" in said and said.endswith("nothing is left running.")
    assert "Traceback" not in started.stderr
