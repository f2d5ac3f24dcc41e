"""A database held by another program gives a plain message, not a stack trace."""
from __future__ import annotations

import subprocess
import sys
import textwrap

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT


def test_a_database_held_by_another_process_gives_a_plain_message(tmp_path, monkeypatch):
    """Given another process holding the database file open for writing,
    when a page opens, then it says the database is in use and shows no data."""
    path = tmp_path / "held.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(path)!r}); con.execute("create table t (x integer)")
        print("ready", flush=True); time.sleep(120)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        monkeypatch.setenv("TASKFORCE_DB", str(path))
        at = AppTest.from_file(str(PROJECT_ROOT / "pages" / "overview.py"), default_timeout=60).run()
        assert not at.exception
        assert any("in use by another program" in error.value for error in at.error)
        assert not at.metric
    finally:
        holder.kill()
