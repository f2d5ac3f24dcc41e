"""nginx as deploy/nginx.conf.template configures it, in front of a stand-in dashboard server on loopback: its own
error pages carry the security headers, its logs hold no download address, query string, session id or cookie,
one client cannot take every connection, and one client's thousands of half-sent requests leave room for
everyone else."""
from __future__ import annotations

import http.server
import resource
import socket
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deploy import serve
from tests.browser.conftest import free_port

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
    access_log: Path
    error_log: Path


@pytest.fixture
def proxy(tmp_path) -> Iterator[Proxy]:
    stand_in = StandIn()
    threading.Thread(target=stand_in.serve_forever, daemon=True).start()
    port, prefix = free_port(), tmp_path / "nginx"
    nginx = serve.start_nginx([stand_in.server_address[1]], port, prefix, access_log=str(tmp_path / "access.log"))
    try:
        yield Proxy(f"http://127.0.0.1:{port}", port, stand_in, tmp_path / "access.log", prefix / "error.log")
    finally:
        stand_in.release.set()
        nginx.terminate()
        nginx.wait(timeout=30)
        stand_in.shutdown()
        stand_in.server_close()


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


SECRETS = ("0123abcd", "week-secret", "session-id-123", "file-id-456", "section", "route-value-789",
           "cookie-value-000", "referred-from")
PRIVATE_HEADERS = ("Cookie: taskforce_route=route-value-789; _streamlit_user=cookie-value-000\r\n"
                   "Referer: http://127.0.0.1/briefing?referred-from=yes\r\n")


def _logged_requests(log: Path, expected: int) -> list[str]:
    """The access log's lines but the health checks, once there are `expected` of them (nginx writes a line as
    its request ends)."""
    deadline = time.monotonic() + 30
    lines: list[str] = []
    while time.monotonic() < deadline:
        text = log.read_text(encoding="utf-8") if log.exists() else ""
        lines = [line for line in text.splitlines() if "/_stcore/health" not in line]
        if len(lines) >= expected:
            break
        time.sleep(0.1)
    return lines


def test_the_logs_hold_no_download_address_query_string_session_or_cookie(proxy):
    """Given nginx logging every request, when a browser downloads a pack (/media/<id>.pptx), uploads a file (the
    upload address names its session), opens a page with a query string, and a download fails at the server,
    all with its cookies and a referrer, then the access log names each request by its page or the first part
    of its path, and neither log holds the address, the query string, the session id or a cookie."""
    for path in ("/media/0123abcd.pptx?week-secret=1", "/_stcore/upload_file/session-id-123/file-id-456",
                 "/returns?section=Load+a+return", "/_test/hang-up?0123abcd"):  # the last one fails: a 502
        _raw_request(proxy.port, _get(path, PRIVATE_HEADERS))
    lines = _logged_requests(proxy.access_log, 4)
    assert len(lines) == 4
    assert '"GET /media/[hidden]" 200' in lines[0]
    assert '"GET /_stcore/[hidden]" 200' in lines[1]
    assert '"GET /returns" 200' in lines[2]
    assert '"GET /_test/[hidden]" 502' in lines[3]
    logged = proxy.access_log.read_text(encoding="utf-8") + proxy.error_log.read_text(encoding="utf-8")
    assert not [secret for secret in SECRETS if secret in logged]


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
