"""What deploy/serve.py writes of nginx's logs and its servers' standard error: every line read from the child's
pipe on a thread of its own, scrubbed, then written to serve.py's standard error (the terminal under `make
serve`), the last few kept to say why a server stopped.

nginx's lines lose every path after its first part, and every query string (`PUT /_stcore/[hidden]`: an upload's
address names its session; a download's address is its key): its error log cannot be given a format and
carries whole request lines. A server's lines keep file paths (its refusal to start names the files to mend) and
lose the paths of addresses and request lines. Both lose session ids, file ids and e-mail addresses
(`taskforce.core.scrub`).
"""

from __future__ import annotations

import re
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import IO, TextIO

from taskforce.core.scrub import scrubbed, without_identifiers

_ADDRESS_START = r'https?://[^/\s"]*|\b[A-Z]{3,16} '
# A path after an address's origin or a request's method, or (nginx) any path at all, split at its first part.
_ADDRESS_PATH = re.compile(rf'({_ADDRESS_START})(/[^/\s"?]*)([^\s"]*)')
_ANY_PATH = re.compile(rf'({_ADDRESS_START}|(?<![\w.:/]))(/[^/\s"?]*)([^\s"]*)')
KEPT_LINES = 12
NAMED_IN_FULL = {"/_stcore/health", "/_stcore/stream"}  # addresses that name nothing but themselves
_WRITING = threading.Lock()


def _first_part(match: re.Match) -> str:
    path, query = (match[2] + match[3]).partition("?")[::2]
    if path not in NAMED_IN_FULL:
        path = match[2] + ("/[hidden]" if match[3].startswith("/") else "")
    return match[1] + path + ("?[hidden]" if query else "")


def nginx_line(line: str) -> str:
    return without_identifiers(_ANY_PATH.sub(_first_part, line))


def server_line(line: str) -> str:
    return scrubbed(_ADDRESS_PATH.sub(_first_part, line))


@dataclass
class Pipe:
    """One child's output as it is read: its last lines, scrubbed."""

    thread: threading.Thread
    last: deque[str]

    def last_lines(self, seconds: float = 5) -> list[str]:
        """The last lines, once the child's output has ended (or after `seconds`, what was read by then)."""
        self.thread.join(seconds)
        return list(self.last)


def read(stream: IO[str], label: str, scrub: Callable[[str], str], log: TextIO | None = None) -> Pipe:
    """Read `stream` to its end on a thread: each line scrubbed, written to `log` (serve.py's standard error)
    after `label`, and the last KEPT_LINES kept."""
    last: deque[str] = deque(maxlen=KEPT_LINES)

    def reading() -> None:
        with stream:
            for line in stream:  # ends when the child and its children have closed the pipe
                kept = scrub(line.rstrip("\n"))
                last.append(kept)
                with _WRITING:
                    print(f"{label}{kept}", file=log or sys.stderr, flush=True)

    thread = threading.Thread(target=reading, name=f"log {label}", daemon=True)
    thread.start()
    return Pipe(thread, last)
