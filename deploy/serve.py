"""Several dashboard servers behind nginx on this machine: `make serve SERVERS=3` (or
`python -m deploy.serve --servers 3 --port 8080`).

Each server is `streamlit run taskforce/ui/server.py` on its own loopback port; nginx (Debian's package) listens on
`--port` and balances the browsers' sessions over them with sticky routing (deploy/nginx.conf.template). Every
server reads the same published snapshots, so any number can run; loads go on while they do. A server that dies
is started again, after a pause that doubles with each failure in a row up to half a minute (each one logged),
while the others keep serving. Ctrl-C stops them all; so does nginx stopping. The bench (bench/bench_cluster.py)
and the browser tests start the same cluster through `start`.
"""
from __future__ import annotations

import argparse
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

from taskforce.core.private import UMASK  # what the servers and nginx create (its logs too): 0640, folders 0750

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("nginx.conf.template")
SERVER = ROOT / "taskforce" / "ui" / "server.py"
FIRST_SERVER_PORT = 8601


# Seconds before a dead server is started again: doubling with each failure in a row, at most the last.
RESTART_PAUSES = (1, 2, 4, 8, 16, 30)
# A server that ran this long before it died has not failed in a row: its next restart waits the first pause.
STEADY_SECONDS = 60


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


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if found is None:
        raise FileNotFoundError("nginx is not installed: `sudo apt-get install -y nginx` (Debian's package).")
    return found


def render(server_ports: list[int], listen: str, prefix: Path, access_log: str = "off") -> str:
    """The nginx configuration for these servers, listening on `listen`, with its files under `prefix`."""
    upstreams = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" for port in server_ports)
    running_as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    fields = {
        "{{PREFIX}}": str(prefix), "{{UPSTREAMS}}": upstreams, "{{LISTEN}}": listen,
        # The log's own format (no query string, cookie or download address), wherever it goes.
        "{{ACCESS_LOG}}": "off" if access_log == "off" else f"{access_log} taskforce",
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


def _start_server(port: int, environment: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(SERVER), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, umask=UMASK,
    )


def start_nginx(server_ports: list[int], port: int, prefix: Path, access_log: str = "off") -> subprocess.Popen:
    """nginx on `port` in front of servers on `server_ports`, its configuration and files under `prefix`; return
    when it answers (its health check is passed on to a server, so at least one must be up)."""
    for folder in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / "temp" / folder).mkdir(parents=True, exist_ok=True)
    (prefix / "nginx.conf").write_text(render(server_ports, f"127.0.0.1:{port}", prefix, access_log), encoding="utf-8")
    # Its log to the terminal when asked (`make serve`); a pipe that nobody read would stall nginx once full.
    nginx = subprocess.Popen([nginx_binary(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=None if access_log == "stderr" else subprocess.DEVNULL)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", seconds=30, process=nginx)
    except BaseException:
        nginx.kill()
        raise
    return nginx


def start(servers: int, port: int, environment: dict[str, str] | None = None, prefix: Path | None = None,
          first_server_port: int = FIRST_SERVER_PORT, access_log: str = "off",
          server_ports: list[int] | None = None) -> Cluster:
    """Start `servers` dashboard servers (on `server_ports`, else consecutive ports from `first_server_port`)
    and nginx on `port` in front of them; return when all answer."""
    environment = {**os.environ, **(environment or {})}
    prefix = prefix or Path(tempfile.mkdtemp(prefix="taskforce-nginx-"))
    ports = server_ports or [first_server_port + number for number in range(servers)]
    started: list[subprocess.Popen] = []
    cluster = Cluster(f"http://127.0.0.1:{port}", [f"http://127.0.0.1:{p}" for p in ports], started, None, prefix,
                      ports, environment)
    try:
        for server_port in ports:
            started.append(_start_server(server_port, environment))
        for url, process in zip(cluster.server_urls, started, strict=True):
            wait_until_healthy(url, process=process)
        cluster.nginx = start_nginx(ports, port, prefix, access_log)
    except BaseException:
        stop(cluster)
        raise
    return cluster


def server_pids(cluster: Cluster) -> list[int]:
    return [process.pid for process in cluster.servers]


def stop(cluster: Cluster) -> None:
    for process in [*([cluster.nginx] if cluster.nginx else []), *cluster.servers]:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in [*([cluster.nginx] if cluster.nginx else []), *cluster.servers]:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def restart_pause(failures_in_a_row: int) -> int:
    """Seconds to wait before starting a server that has now failed this many times in a row (1, 2, ...)."""
    return RESTART_PAUSES[min(max(failures_in_a_row, 1), len(RESTART_PAUSES)) - 1]


def _log(message: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


@dataclass
class _Watched:
    """One server as the supervisor sees it: since when it runs, its failures in a row, when to start it again."""
    started_at: float
    failures: int = 0
    restart_at: float | None = None


def _notice_exit(cluster: Cluster, index: int, watched: _Watched, now: float) -> None:
    process = cluster.servers[index]
    watched.failures = 1 if now - watched.started_at >= STEADY_SECONDS else watched.failures + 1
    pause = restart_pause(watched.failures)
    watched.restart_at = now + pause
    _log(f"The server on port {cluster.ports[index]} (pid {process.pid}) exited with code {process.returncode}; "
         f"starting it again in {pause} s (failure {watched.failures} in a row). The others keep serving.")


def _restart(cluster: Cluster, index: int, watched: _Watched, now: float) -> None:
    process = _start_server(cluster.ports[index], cluster.environment)
    cluster.servers[index] = process
    watched.started_at, watched.restart_at = now, None
    _log(f"Started the server on port {cluster.ports[index]} again (pid {process.pid}).")


def supervise(cluster: Cluster, keep_going=lambda: True, poll_seconds: float = 1.0) -> int:
    """Keep every server running while nginx does: a server that exits is started again after its pause, the
    others serving meanwhile (nginx sends its sessions to them). Returns 1 when nginx stops, 0 when
    `keep_going()` says to stop."""
    watched = [_Watched(time.monotonic()) for _ in cluster.servers]
    while keep_going():
        if cluster.nginx is not None and cluster.nginx.poll() is not None:
            _log(f"nginx exited with code {cluster.nginx.returncode}; stopping the servers.")
            return 1
        now = time.monotonic()
        for index, state in enumerate(watched):
            if state.restart_at is None and cluster.servers[index].poll() is not None:
                _notice_exit(cluster, index, state, now)
            elif state.restart_at is not None and now >= state.restart_at:
                _restart(cluster, index, state, now)
        time.sleep(poll_seconds)
    return 0


def _stop_on_sigterm(signum, frame) -> None:
    raise KeyboardInterrupt  # the same clean stop as Ctrl-C: every server and nginx with it


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=2, help="how many dashboard servers (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens (default 8080)")
    parser.add_argument("--first-server-port", type=int, default=FIRST_SERVER_PORT,
                        help=f"the first server's port; the others follow (default {FIRST_SERVER_PORT})")
    arguments = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    cluster = start(arguments.servers, arguments.port, first_server_port=arguments.first_server_port,
                    access_log="stderr")
    print(f"{arguments.servers} dashboard server(s) at {', '.join(cluster.server_urls)}; open {cluster.url} "
          "(nginx, sticky sessions). A server that stops is started again; Ctrl-C stops them all.", flush=True)
    try:
        return supervise(cluster)
    except KeyboardInterrupt:
        return 0
    finally:
        stop(cluster)


if __name__ == "__main__":
    sys.exit(main())
