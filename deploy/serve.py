"""Several dashboard servers behind nginx on this machine: `make serve SERVERS=3` (or
`python -m deploy.serve --servers 3 --port 8080`).

Each server is `streamlit run taskforce/ui/server.py` on its own loopback port; nginx (Debian's package) listens on
`--port` and balances the browsers' sessions over them, each session kept to the server its websocket is on (each server
names itself in a `tf_route` cookie: deploy/nginx.conf.template). Every server reads the same published
snapshots, so any number can run; loads go on while they do. A server that dies, or stops answering its health
check, is (killed and) started again after a pause that doubles with each failure in a row up to half a minute,
while the others keep serving; one that refuses to start twice in a row (exit code 1 before it answered: a
wrong setting, an open store) is not started again, and its last lines say why. nginx's logs and the servers'
standard error come through pipes, scrubbed (deploy/logs.py), to serve.py's standard error. Ctrl-C, SIGTERM and
SIGHUP (the terminal closed) stop them all; so does nginx stopping, its workers with it. nginx and the servers
die with serve.py however it dies. The bench (bench/bench_cluster.py) and the browser tests start the same
cluster through `start`.
"""

from __future__ import annotations

import argparse
import ctypes
import http.client
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from deploy import logs
from taskforce.core.private import UMASK  # what the servers and nginx create (its logs too): 0640, folders 0750

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
SERVER = ROOT / "taskforce" / "ui" / "server.py"
FIRST_SERVER_PORT = 8601


# Seconds before a dead server is started again: doubling with each failure in a row, at most the last.
RESTART_PAUSES = (1, 2, 4, 8, 16, 30)
# A server that ran this long before it died has not failed in a row: its next restart waits the first pause.
STEADY_SECONDS = 60
# A server that exits with code 1 before it ever answered has refused to start (its last line says why); after
# this many refusals in a row it is not started again.
REFUSALS_TO_GIVE_UP = 2
# Each running server's /_stcore/health is asked every HEALTH_EVERY seconds, waiting HEALTH_TIMEOUT for the
# answer; after HEALTH_FAILURES failures in a row it is killed (kill -9) and started again. A server that has not
# answered yet since its start is given START_SECONDS first.
HEALTH_EVERY = 5
HEALTH_TIMEOUT = 2
HEALTH_FAILURES = 3
START_SECONDS = 120
ROUTE_VARIABLE = "TASKFORCE_ROUTE"  # the name a server gives itself in its tf_route cookie (its port)
_SERVER_FAILS = "max_fails=1 fail_timeout=5s"
_PR_SET_PDEATHSIG = 1


@dataclass
class Cluster:
    url: str  # nginx, where the browsers go
    server_urls: list[str]
    servers: list[subprocess.Popen] = field(repr=False)
    nginx: subprocess.Popen | None = field(repr=False)
    prefix: Path
    # What each server was started with, to start it again the same way.
    ports: list[int] = field(default_factory=list)
    environment: dict[str, str] = field(default_factory=dict, repr=False)
    # Each server's standard error as it is read (its last lines say why it stopped), and where it is written.
    server_logs: list[logs.Pipe] = field(default_factory=list, repr=False)
    log: TextIO | None = field(default=None, repr=False)


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise FileNotFoundError("nginx is not installed: `sudo apt-get install -y nginx` (Debian's package).")
    return found


def _route_upstream(port: int, server_ports: list[int]) -> str:
    """The servers for a request whose cookie names the server on `port`: that one, else any other (a backup)."""
    backups = [f"        server 127.0.0.1:{other} {_SERVER_FAILS} backup;" for other in server_ports if other != port]
    return "\n".join(
        [f"    upstream route_{port} {{", f"        server 127.0.0.1:{port} {_SERVER_FAILS};", *backups, "    }"]
    )


def render(server_ports: list[int], listen: str, prefix: Path, access_log: bool = False) -> str:
    """The nginx configuration for these servers, listening on `listen`, with its files under `prefix`; its
    access log (if asked) and its error log on its standard error."""
    running_as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    fields = {
        "{{PREFIX}}": str(prefix),
        "{{LISTEN}}": listen,
        "{{UPSTREAMS}}": "\n".join(f"        server 127.0.0.1:{port} {_SERVER_FAILS};" for port in server_ports),
        "{{ROUTES}}": "\n".join(f"        {port} route_{port};" for port in server_ports),
        "{{ROUTE_UPSTREAMS}}": "\n".join(_route_upstream(port, server_ports) for port in server_ports),
        # The log's own format (no query string, cookie or download address), to serve.py's pipe.
        "{{ACCESS_LOG}}": "/dev/stderr taskforce" if access_log else "off",
        # As many descriptors per worker as this machine lets a process have, up to 65536.
        "{{WORKER_DESCRIPTORS}}": str(min(65536, resource.getrlimit(resource.RLIMIT_NOFILE)[1])),
        # As root, nginx's workers would run as nobody; here they run as whoever started them.
        "{{USER}}": "user root;" if running_as_root else "",
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace(name, value)
    return text


def wait_until_healthy(url: str, seconds: float = 120, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer its health check in {seconds} s")


def _dies_with_parent(parent: int):
    """Run in a child before it runs its program: SIGTERM to it when serve.py (its parent's thread that started
    it) dies, however it dies (kill -9 included); at once if that has already happened."""

    def preparing() -> None:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)

    return preparing


def _start_server(port: int, environment: dict[str, str]) -> subprocess.Popen:
    """A dashboard server on `port` that names itself by its port (its route cookie), its standard error piped."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(SERVER),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**environment, ROUTE_VARIABLE: str(port)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        umask=UMASK,
        preexec_fn=_dies_with_parent(os.getpid()),
    )


def _launch(cluster: Cluster, index: int) -> subprocess.Popen:
    """Start server `index` of `cluster`, its standard error read into the log (scrubbed) and its last lines."""
    port = cluster.ports[index]
    process = _start_server(port, cluster.environment)
    assert process.stderr is not None
    piped = logs.read(process.stderr, f"server {port}: ", logs.server_line, cluster.log)
    if index < len(cluster.servers):
        cluster.servers[index], cluster.server_logs[index] = process, piped
    else:
        cluster.servers.append(process)
        cluster.server_logs.append(piped)
    return process


def start_nginx(
    server_ports: list[int], port: int, prefix: Path, access_log: bool = False, log: TextIO | None = None
) -> subprocess.Popen:
    """nginx on `port` in front of servers on `server_ports`, its configuration and files under `prefix`; return
    when it answers (its health check is passed on to a server, so at least one must be up). Its logs are
    scrubbed into `log` (serve.py's standard error); it runs in a process group of its own (its workers too),
    so a hangup sent to serve.py's group reaches serve.py alone, and it dies with serve.py."""
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / folder).mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(render(server_ports, f"127.0.0.1:{port}", prefix, access_log), encoding="utf-8")
    nginx = subprocess.Popen(
        [nginx_binary(), "-p", str(prefix), "-e", "stderr", "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        process_group=0,
        preexec_fn=_dies_with_parent(os.getpid()),
    )
    assert nginx.stderr is not None
    logs.read(nginx.stderr, "nginx: ", logs.nginx_line, log)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", seconds=30, process=nginx)
    except BaseException:
        stop_nginx(nginx)
        raise
    return nginx


def stop_nginx(nginx: subprocess.Popen) -> None:
    """nginx stopped, and then every process left in its group (workers whose master was killed outright)."""
    if nginx.poll() is None:
        nginx.terminate()
    try:
        nginx.wait(timeout=20)
    except subprocess.TimeoutExpired:
        nginx.kill()
        nginx.wait(timeout=20)
    try:
        os.killpg(nginx.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        return  # none left


def _wait_for_server(cluster: Cluster, index: int) -> None:
    """Return when server `index` answers; if it exits first, say so with its last lines (why it refused)."""
    try:
        wait_until_healthy(cluster.server_urls[index], process=cluster.servers[index])
    except RuntimeError:
        said = " / ".join(cluster.server_logs[index].last_lines()[-3:])
        raise RuntimeError(
            f"The server on port {cluster.ports[index]} exited with code "
            f"{cluster.servers[index].returncode} before it answered: {said}"
        ) from None


def start(
    servers: int,
    port: int,
    environment: dict[str, str] | None = None,
    prefix: Path | None = None,
    first_server_port: int = FIRST_SERVER_PORT,
    access_log: bool = False,
    server_ports: list[int] | None = None,
    log: TextIO | None = None,
) -> Cluster:
    """Start `servers` dashboard servers (on `server_ports`, else consecutive ports from `first_server_port`)
    and nginx on `port` in front of them; return when all answer. Their output goes to `log` (scrubbed)."""
    environment = {**os.environ, **(environment or {})}
    prefix = prefix or Path(tempfile.mkdtemp(prefix="taskforce-nginx-"))
    ports = server_ports or [first_server_port + number for number in range(servers)]
    cluster = Cluster(
        f"http://127.0.0.1:{port}",
        [f"http://127.0.0.1:{p}" for p in ports],
        [],
        None,
        prefix,
        ports,
        environment,
        log=log,
    )
    try:
        for index in range(len(ports)):
            _launch(cluster, index)
        for index in range(len(ports)):
            _wait_for_server(cluster, index)
        cluster.nginx = start_nginx(ports, port, prefix, access_log, log)
    except BaseException:
        stop(cluster)
        raise
    return cluster


def server_pids(cluster: Cluster) -> list[int]:
    return [process.pid for process in cluster.servers]


def stop(cluster: Cluster) -> None:
    """nginx and every server stopped (nginx's workers with it), and nginx's folder removed."""
    for process in cluster.servers:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    if cluster.nginx is not None:
        stop_nginx(cluster.nginx)
    for process in cluster.servers:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)
    shutil.rmtree(cluster.prefix, ignore_errors=True)


def restart_pause(failures_in_a_row: int) -> int:
    """Seconds to wait before starting a server that has now failed this many times in a row (1, 2, ...)."""
    return RESTART_PAUSES[min(max(failures_in_a_row, 1), len(RESTART_PAUSES)) - 1]


def _log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


@dataclass
class _Watched:
    """One server as the supervisor sees it: since when it runs, whether it has answered since, its failures,
    refusals and failed health checks in a row, when to start it again, and whether it is given up."""

    started_at: float
    answered: bool = False
    failures: int = 0
    refusals: int = 0
    unhealthy: int = 0
    restart_at: float | None = None
    given_up: bool = False


@dataclass(frozen=True)
class Health:
    """How often each server's health is checked, how long its answer may take, how many failures in a row
    make it hung."""

    every: float = HEALTH_EVERY
    timeout: float = HEALTH_TIMEOUT
    failures: int = HEALTH_FAILURES


def _said(cluster: Cluster, index: int) -> str:
    lines = cluster.server_logs[index].last_lines()[-5:]
    return "".join(f"\n    {line}" for line in lines) if lines else " (it wrote nothing)"


def _notice_exit(cluster: Cluster, index: int, watched: _Watched, now: float) -> None:
    process, port = cluster.servers[index], cluster.ports[index]
    refused = process.returncode == 1 and not watched.answered
    watched.refusals = watched.refusals + 1 if refused else 0
    if watched.refusals >= REFUSALS_TO_GIVE_UP:
        watched.given_up = True
        _log(
            f"The server on port {port} refuses to start ({watched.refusals} times in a row, exit code 1); it is "
            f"not started again: mend what it says, then start make serve again. Its last lines:"
            f"{_said(cluster, index)}"
        )
        return
    watched.failures = 1 if now - watched.started_at >= STEADY_SECONDS else watched.failures + 1
    pause = restart_pause(watched.failures)
    watched.restart_at = now + pause
    _log(
        f"The server on port {port} (pid {process.pid}) exited with code {process.returncode}; "
        f"starting it again in {pause} s (failure {watched.failures} in a row). The others keep serving. "
        f"Its last lines:{_said(cluster, index)}"
    )


def _restart(cluster: Cluster, index: int, watched: _Watched, now: float) -> None:
    process = _launch(cluster, index)
    watched.started_at, watched.restart_at, watched.answered, watched.unhealthy = now, None, False, 0
    _log(f"Started the server on port {cluster.ports[index]} again (pid {process.pid}).")


def _tend(cluster: Cluster, index: int, watched: _Watched, now: float) -> None:
    if watched.given_up:
        return
    if watched.restart_at is None and cluster.servers[index].poll() is not None:
        _notice_exit(cluster, index, watched, now)
    elif watched.restart_at is not None and now >= watched.restart_at:
        _restart(cluster, index, watched, now)


def _answers(url: str, seconds: float) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=seconds) as response:
            return response.status == 200
    except (OSError, http.client.HTTPException):  # refused, reset, timed out, or not HTTP
        return False


def _check(cluster: Cluster, index: int, watched: _Watched, health: Health, now: float) -> None:
    """Ask one running server for its health; kill it (to be started again) after too many failures in a row."""
    process = cluster.servers[index]
    if watched.given_up or watched.restart_at is not None or process.poll() is not None:
        return
    if _answers(cluster.server_urls[index], health.timeout):
        watched.answered, watched.unhealthy = True, 0
        return
    if watched.answered or now - watched.started_at >= START_SECONDS:
        watched.unhealthy += 1
    if watched.unhealthy >= health.failures:
        _log(
            f"The server on port {cluster.ports[index]} (pid {process.pid}) did not answer its health check "
            f"{watched.unhealthy} times in a row (hung); killing it (kill -9) to start it again."
        )
        process.kill()
        process.wait(timeout=20)


def _nginx_stopped(cluster: Cluster) -> bool:
    if cluster.nginx is None or cluster.nginx.poll() is None:
        return False
    stop_nginx(cluster.nginx)  # its workers, if its master was killed outright, before the servers
    _log(f"nginx exited with code {cluster.nginx.returncode}; stopping the servers.")
    return True


def supervise(cluster: Cluster, keep_going=lambda: True, poll_seconds: float = 1.0, health: Health = Health()) -> int:
    """Keep every server running while nginx does: a server that exits, or is hung, is started again after its
    pause, the others serving meanwhile (nginx sends its sessions to them); one that refuses to start is given
    up. Returns 1 when nginx stops or every server is given up, 0 when `keep_going()` says to stop."""
    watched = [_Watched(time.monotonic(), answered=True) for _ in cluster.servers]  # start() saw each answer
    next_check = time.monotonic() + health.every
    while keep_going():
        if _nginx_stopped(cluster):
            return 1
        now = time.monotonic()
        for index, state in enumerate(watched):
            _tend(cluster, index, state, now)
            if now >= next_check:
                _check(cluster, index, state, health, now)
        next_check = now + health.every if now >= next_check else next_check
        if watched and all(state.given_up for state in watched):
            _log("Every server refuses to start; stopping.")
            return 1
        time.sleep(poll_seconds)
    return 0


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt  # the same clean stop as Ctrl-C: every server and nginx with it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, help="how many dashboard servers (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens (default 8080)")
    parser.add_argument(
        "--first-server-port",
        type=int,
        default=FIRST_SERVER_PORT,
        help=f"the first server's port; the others follow (default {FIRST_SERVER_PORT})",
    )
    parser.add_argument(
        "--health-every",
        type=float,
        default=HEALTH_EVERY,
        help=f"seconds between two health checks of each server (default {HEALTH_EVERY})",
    )
    parser.add_argument(
        "--health-failures",
        type=int,
        default=HEALTH_FAILURES,
        help=f"failed health checks in a row that make a server hung (default {HEALTH_FAILURES})",
    )
    arguments = parser.parse_args(argv)
    for stopping in (signal.SIGTERM, signal.SIGHUP):  # SIGHUP: the terminal closed
        signal.signal(stopping, _stop_on_signal)
    try:
        cluster = start(
            arguments.servers, arguments.port, first_server_port=arguments.first_server_port, access_log=True
        )
    except (RuntimeError, TimeoutError) as failed:
        _log(f"{failed}; nothing is left running.")
        return 1
    print(
        f"{arguments.servers} dashboard server(s) at {', '.join(cluster.server_urls)}; open {cluster.url} "
        "(nginx, sticky sessions). A server that stops is started again; Ctrl-C stops them all.",
        flush=True,
    )
    try:
        return supervise(cluster, health=Health(every=arguments.health_every, failures=arguments.health_failures))
    except KeyboardInterrupt:
        return 0
    finally:
        stop(cluster)


if __name__ == "__main__":
    sys.exit(main())
