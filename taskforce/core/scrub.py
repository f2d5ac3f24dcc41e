"""What no log line may carry: a session id (a UUID), a file's address or id (a long hex digest), an e-mail
address. The server's log records (ui/middleware.py) and what deploy/serve.py writes of its servers' and nginx's
output are passed through these."""

from __future__ import annotations

import re

IDENTIFIERS = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\b[0-9a-f]{32,}\b"
    r"|[\w.+-]+@[\w-]+(\.[\w-]+)+",
    re.IGNORECASE,
)
NOT_LOGGED = re.compile(rf"{IDENTIFIERS.pattern}|/media/\S*", re.IGNORECASE)


def scrubbed(message: str) -> str:
    """`message` without session ids, file ids, e-mail addresses or download addresses."""
    return NOT_LOGGED.sub("[not logged]", message)


def without_identifiers(message: str) -> str:
    """`message` without session ids, file ids or e-mail addresses (for lines whose paths are already cut)."""
    return IDENTIFIERS.sub("[not logged]", message)
