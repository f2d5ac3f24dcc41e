"""nginx as deploy/nginx.conf.template configures it, in front of stand-in dashboard servers on loopback: its own
error pages carry the security headers, its logs (through deploy/serve.py's pipe) hold no download address,
query string, session id or cookie, even when its temp disk is full, a session's requests follow the server
that named itself last, one client cannot take every connection, one client's thousands of half-sent requests
leave room for everyone else, and its workers do not outlive a master killed outright."""

from __future__ import annotations

import http.cookiejar
import http.server
import os
import resource
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy import serve
from tests.browser.conftest import free_port
from tests.small_disk import small_disk

SECURITY_HEADERS = {
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}
PER_CLIENT_CONNECTIONS = 512  # the template's limit_conn
HALF_SENT_REQUESTS = 9000  # the red team's number: more than the 2 x 4096 connections nginx had on this machine


class StandIn(http.server.ThreadingHTTPServer):
    """A dashboard server's stand-in: answers everything with its own security headers (as taskforce/ui/server.py
    does), hangs up on /_test/hang-up (nginx then answers 502 itself), and holds /_test/held until released."""

    daemon_threads = True
    request_queue_size = 2048  # nginx passes on hundreds of requests at once

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _StandInHandler)
        self.release = threading.Event()
        self.held = 0
        self.count_lock = threading.Lock()

    def handle_error(self, request, client_address) -> None:
        return  # a client that left before its answer: nothing to report


class _StandInHandler(http.server.BaseHTTPRequestHandler):
    server: StandIn

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        path = urlsplit(self.path).path
        if path == "/_test/hang-up":
            self.close_connection = True
            return
        if path == "/_test/held":
            with self.server.count_lock:
                self.server.held += 1
            self.server.release.wait(timeout=120)
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.send_header("X-Frame-Options", "DENY")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format, *args) -> None:  # noqa: A002 (the standard library's signature)
        return


@dataclass
class Proxy:
    url: str
    port: int
    stand_in: StandIn
    log: Path  # what serve.py writes of nginx's access and error logs
    prefix: Path
    nginx: subprocess.Popen


@contextmanager
def _nginx_in_front_of(ports: list[int], tmp_path: Path) -> Iterator[tuple[int, Path, Path, subprocess.Popen]]:
    """nginx in front of servers on `ports`, as serve.py starts it, its logs written to a file; stopped after."""
    port, prefix, log = free_port(), tmp_path / "nginx", tmp_path / "nginx.log"
    with log.open("w", encoding="utf-8") as writing:
        nginx = serve.start_nginx(ports, port, prefix, access_log=True, log=writing)
        try:
            yield port, prefix, log, nginx
        finally:
            serve.stop_nginx(nginx)


def _serving(server: http.server.HTTPServer) -> None:
    threading.Thread(target=server.serve_forever, daemon=True).start()


def _closed(server: http.server.HTTPServer) -> None:
    server.shutdown()
    server.server_close()


@pytest.fixture
def proxy(tmp_path) -> Iterator[Proxy]:
    stand_in = StandIn()
    _serving(stand_in)
    try:
        with _nginx_in_front_of([stand_in.server_address[1]], tmp_path) as (port, prefix, log, nginx):
            yield Proxy(f"http://127.0.0.1:{port}", port, stand_in, log, prefix, nginx)
            stand_in.release.set()
    finally:
        stand_in.release.set()
        _closed(stand_in)


def _raw_request(port: int, request: bytes) -> tuple[int, dict[str, list[str]], bytes]:
    """Send `request` as it is; the status, every header (a name may come more than once) and the body."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers: dict[str, list[str]] = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    return int(status_line.split()[1]), headers, body


def _get(path: str, extra_headers: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra_headers}\r\n".encode()


NGINX_ERRORS = {
    400: b"NOT-A-REQUEST\r\n\r\n",
    413: b"POST /returns HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 30000000\r\n\r\n",  # over the 21 MB limit
    502: _get("/_test/hang-up"),  # the server hung up without an answer
}


@pytest.mark.parametrize("status", sorted(NGINX_ERRORS))
def test_nginx_s_own_error_pages_carry_the_security_headers(proxy, status):
    """Given nginx in front of a dashboard server, when nginx itself answers with an error (a malformed request,
    a body over the limit, a server that hung up), then the answer forbids framing and sniffing like every page,
    and is a line of plain text."""
    answered, headers, body = _raw_request(proxy.port, NGINX_ERRORS[status])
    assert answered == status
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == [value], name
    assert headers["content-type"] == ["text/plain; charset=utf-8"]
    assert b"<html" not in body


def test_a_server_s_own_security_headers_are_passed_on_once(proxy):
    _, headers, _ = _raw_request(proxy.port, _get("/_stcore/health"))
    assert headers["x-frame-options"] == ["DENY"]  # the server's, not a second copy from nginx
    assert headers["content-security-policy"] == ["frame-ancestors 'none'"]  # nginx's, where the server set none


SECRETS = (
    "0123abcd",
    "week-secret",
    "session-id-123",
    "file-id-456",
    "section",
    "route-value-789",
    "cookie-value-000",
    "referred-from",
)
PRIVATE_HEADERS = (
    "Cookie: taskforce_route=route-value-789; _streamlit_user=cookie-value-000\r\n"
    "Referer: http://127.0.0.1/briefing?referred-from=yes\r\n"
)


def _logged_requests(log: Path, expected: int) -> list[str]:
    """The access log's lines (serve.py writes the error log's lines with them) but the health checks, once there
    are `expected` of them (nginx writes a line as its request ends)."""
    deadline = time.monotonic() + 30
    lines: list[str] = []
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        lines = [line for line in text.splitlines() if " upstream=" in line and "/_stcore/health" not in line]
        if len(lines) >= expected:
            break
        time.sleep(0.1)
    return lines


def test_the_logs_hold_no_download_address_query_string_session_or_cookie(proxy):
    """Given nginx logging every request, when a browser downloads a pack (/media/<id>.pptx), uploads a file (the
    upload address names its session), opens a page with a query string, and a download fails at the server,
    all with its cookies and a referrer, then the access log names each request by its page or the first part
    of its path, and neither log holds the address, the query string, the session id or a cookie."""
    for path in (
        "/media/0123abcd.pptx?week-secret=1",
        "/_stcore/upload_file/session-id-123/file-id-456",
        "/returns?section=Load+a+return",
        "/_test/hang-up?0123abcd",
    ):  # the last one fails: a 502
        _raw_request(proxy.port, _get(path, PRIVATE_HEADERS))
    lines = _logged_requests(proxy.log, 4)
    assert len(lines) == 4
    assert '"GET /media/[hidden]" 200' in lines[0]
    assert '"GET /_stcore/[hidden]" 200' in lines[1]
    assert '"GET /returns" 200' in lines[2]
    assert '"GET /_test/[hidden]" 502' in lines[3]
    assert not [secret for secret in SECRETS if secret in _every_log(proxy)]


def _every_log(proxy: Proxy) -> str:
    """What serve.py wrote of nginx's logs, and every file nginx wrote in its folder but its temp files."""
    written = [
        path
        for path in proxy.prefix.rglob("*")
        if path.is_file() and "temp" not in path.parts and path.name != "nginx.conf"
    ]
    return "".join(path.read_text(encoding="utf-8", errors="replace") for path in [proxy.log, *written])


def test_a_full_temp_disk_logs_no_session_id_or_query_string(proxy):
    """Given nginx's folder for request bodies on a full disk, when a browser uploads a file (its address names
    its session and the file, with a query string), then nginx refuses it and its log says the disk is full, but
    no log holds the session, the file or the query. (Before: its error log held the whole request line.)"""
    with small_disk(proxy.prefix / "temp" / "body", 64 * 1024) as disk:
        disk.fill()
        body = b"x" * (1 << 20)  # over the body buffer: nginx writes it to a temp file first
        status, _, _ = _raw_request(
            proxy.port,
            b"PUT /_stcore/upload_file/SESSIONX/FILEY?secret=Q HTTP/1.1\r\n"
            b"Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body),
        )
    assert status == 500
    logged = _logged_until(proxy.log, "No space left on device")
    assert "PUT /_stcore/[hidden]" in logged
    assert not [secret for secret in ("SESSIONX", "FILEY", "secret=Q") if secret in _every_log(proxy)]


def _logged_until(log: Path, words: str) -> str:
    """The log once it holds `words` (at most 30 s: a thread writes what nginx says)."""
    deadline, text = time.monotonic() + 30, ""
    while time.monotonic() < deadline and words not in text:
        time.sleep(0.1)
        text = log.read_text(encoding="utf-8")
    return text


def _send_all(port: int, count: int, request: bytes) -> list[socket.socket]:
    """`count` connections from this one client, each having sent `request`: a loop bounded by `count` and by
    two minutes, on loopback only. The caller closes them."""
    opened: list[socket.socket] = []
    deadline = time.monotonic() + 120
    try:
        while len(opened) < count and time.monotonic() < deadline:
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            opened.append(connection)
            connection.sendall(request)
    except BaseException:
        _close_all(opened)
        raise
    return opened


def _close_all(connections: list[socket.socket]) -> None:
    for connection in connections:
        connection.close()


def _health(url: str) -> int:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=60) as response:
        return response.status


def test_one_client_holds_no_more_than_its_share_of_connections(proxy):
    """Given one client with 512 requests waiting on the dashboard at once, when it makes one more, then nginx
    refuses that one (429, with the security headers) instead of letting one address take every connection."""
    held = _send_all(proxy.port, PER_CLIENT_CONNECTIONS, _get("/_test/held"))
    try:
        deadline = time.monotonic() + 120
        while proxy.stand_in.held < PER_CLIENT_CONNECTIONS and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proxy.stand_in.held == PER_CLIENT_CONNECTIONS
        status, headers, _ = _raw_request(proxy.port, _get("/returns"))
        assert status == 429
        assert headers.get("x-frame-options") == ["DENY"]
    finally:
        proxy.stand_in.release.set()
        _close_all(held)


def _descriptors_for(connections: int) -> None:
    """Let this process open `connections` sockets and more (up to its hard limit), or skip saying why not."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections + 500
    if hard != resource.RLIM_INFINITY and hard < wanted:
        pytest.skip(f"this machine lets a process open {hard} files; the test needs {wanted}")
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def test_one_client_s_thousands_of_half_sent_requests_do_not_stop_a_normal_request(proxy):
    """Given one client holding 9,000 connections, each with a request whose headers it never finishes (a slow
    client, or an attack), when anyone makes a normal request, then nginx answers it. (Before: 4096
    connections per worker were all taken, and every request was refused until the half-sent ones timed out.)"""
    _descriptors_for(HALF_SENT_REQUESTS)
    half_sent = _send_all(proxy.port, HALF_SENT_REQUESTS, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
    try:
        assert len(half_sent) == HALF_SENT_REQUESTS
        assert _health(proxy.url) == 200
    finally:
        _close_all(half_sent)


class NamedServer(http.server.ThreadingHTTPServer):
    """A dashboard server's stand-in on a given port that names itself as ours do (Set-Cookie: tf_route=<its
    port>, as taskforce/ui/middleware.py sets it) and answers with its port."""

    daemon_threads = True

    def __init__(self, port: int) -> None:
        super().__init__(("127.0.0.1", port), _NamedHandler)


class _NamedHandler(http.server.BaseHTTPRequestHandler):
    server: NamedServer

    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        self._answer()

    def do_PUT(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self._answer()

    def _answer(self) -> None:
        port = str(self.server.server_address[1]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(port)))
        self.send_header("Set-Cookie", f"tf_route={port.decode()}; Path=/; HttpOnly; SameSite=Strict")
        self.end_headers()
        self.wfile.write(port)

    def log_message(self, format, *args) -> None:  # noqa: A002 (the standard library's signature)
        return


def _browser(cookies: http.cookiejar.CookieJar | None = None) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies or http.cookiejar.CookieJar()))


def _browser_like(browser: urllib.request.OpenerDirector) -> urllib.request.OpenerDirector:
    """Another browser that sends `browser`'s cookies as they are now, and keeps none it is given."""
    handler = next(handler for handler in browser.handlers if isinstance(handler, urllib.request.HTTPCookieProcessor))
    stale = urllib.request.build_opener()
    stale.addheaders = [("Cookie", "; ".join(f"{cookie.name}={cookie.value}" for cookie in handler.cookiejar))]
    return stale


def _answered_by(browser: urllib.request.OpenerDirector, url: str, method: str = "GET") -> int:
    """Which server answered a request from `browser` (which keeps its cookies)."""
    with browser.open(
        urllib.request.Request(url, data=b"file" if method == "PUT" else None, method=method), timeout=30
    ) as response:
        return int(response.read())


def test_a_session_moved_to_another_server_keeps_to_it_when_its_own_server_is_back(tmp_path):
    """Given nginx in front of two servers and a browser whose session is on one of them, when that server stops
    (the session's websocket reconnects to the other), and then starts again, then the browser's upload goes to
    the server its session is now on: the other one's answer re-pointed its cookie. (Before: nginx's route cookie
    hashed back to the restarted server, which did not know the session: every upload got a 400 until reload.)"""
    servers = {port: NamedServer(port) for port in (free_port(), free_port())}
    for server in servers.values():
        _serving(server)
    browser = _browser()
    try:
        with _nginx_in_front_of(list(servers), tmp_path) as (port, _, _, _):
            url = f"http://127.0.0.1:{port}"
            first = _answered_by(browser, f"{url}/returns")
            assert _answered_by(browser, f"{url}/_stcore/stream") == first
            stale = _browser_like(browser)  # a browser that keeps the first answer's cookies
            _closed(servers.pop(first))
            other = _answered_by(browser, f"{url}/_stcore/stream")
            assert other != first
            servers[first] = NamedServer(first)  # its own server back
            _serving(servers[first])
            deadline = time.monotonic() + 60  # until nginx sends to it again (5 s after its last failure)
            while _answered_by(stale, f"{url}/returns") != first and time.monotonic() < deadline:
                time.sleep(0.2)
            assert _answered_by(stale, f"{url}/returns") == first
            assert _answered_by(browser, f"{url}/_stcore/upload_file/session/file", "PUT") == other
            assert _answered_by(browser, f"{url}/returns") == other
    finally:
        for server in servers.values():
            _closed(server)


def port_is_free(port: int, seconds: float = 30) -> bool:
    """Whether nothing listens on `port` (as the next `make serve` would find it), waiting at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # past connections' TIME_WAIT do not count
            try:
                probe.bind(("127.0.0.1", port))
                return True
            except OSError:
                if time.monotonic() >= deadline:
                    return False
        time.sleep(0.2)


def test_nginx_s_master_killed_outright_leaves_no_worker_on_the_port(proxy):
    """Given serve.py's supervisor watching nginx, when nginx's master is killed (kill -9), then the supervisor
    stops and nothing is left listening on nginx's port: its workers were killed with their group. (Before: the
    workers stayed, orphaned, on the port, and the next start failed with "Address already in use".)"""
    os.kill(proxy.nginx.pid, signal.SIGKILL)
    cluster = serve.Cluster(proxy.url, [], [], proxy.nginx, proxy.prefix)
    assert serve.supervise(cluster, poll_seconds=0.1) == 1
    assert port_is_free(proxy.port)
