"""The dashboard as the server runs it: `streamlit run taskforce/ui/server.py` (`make run`, `make serve`, the
systemd unit and the tests). It refuses to start on settings of the wrong kind or on files other accounts may
read, then serves `dashboard.py` as an ASGI application (Streamlit's `st.App`) behind our middleware
(`ui/middleware.py`: security headers, foreign websockets refused, files behind sign-in, logs scrubbed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `streamlit run` puts this file's folder on the path, not the project's
    sys.path.insert(0, str(ROOT))

from taskforce.core.config import database_path  # noqa: E402
from taskforce.core.private import refuse_to_serve_open_files  # noqa: E402
from taskforce.ui.middleware import GuardMiddleware, scrub_log_records  # noqa: E402
from taskforce.ui.settings import refuse_to_start_on_wrong_settings  # noqa: E402

DASHBOARD = ROOT / "dashboard.py"

refuse_to_start_on_wrong_settings()  # a boolean written as text refuses the server, never reads as true
refuse_to_serve_open_files(database_path())  # umask 0027, and no start on files other accounts may read
scrub_log_records()
app = st.App(DASHBOARD, middleware=[Middleware(GuardMiddleware)])
