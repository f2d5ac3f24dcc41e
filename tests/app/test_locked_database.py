"""The dashboards read published snapshots, so a program holding the store does not stop them; only a store
that has never been published, and is held, gets a plain message instead of data."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT


def _hold(path) -> subprocess.Popen:
    """Another program holding the store open for writing (the way DuckDB's own shell would)."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(path)!r}); con.execute("create table if not exists t (x integer)")
        print("ready", flush=True); time.sleep(120)
    """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


def _overview() -> AppTest:
    return AppTest.from_file(str(PROJECT_ROOT / "pages" / "overview.py"), default_timeout=60).run()


def test_a_store_held_before_anything_is_published_gives_a_plain_message(tmp_path, monkeypatch):
    """Given a store that has never been published, held open by another program,
    when a page opens, then it says why there is nothing to show, and shows no data."""
    path = tmp_path / "held.duckdb"
    holder = _hold(path)
    try:
        monkeypatch.setenv("TASKFORCE_DB", str(path))
        at = _overview()
        assert not at.exception
        assert any("held by a program other than the taskforce's own tools" in error.value for error in at.error)
        assert not at.metric
    finally:
        holder.kill()


def test_the_dashboard_reads_on_while_another_program_holds_the_store(writable_db_path, monkeypatch):
    """Given a published snapshot, when another program holds the store open for writing,
    then a page still opens with its figures: it reads the snapshot, never the store."""
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    assert _overview().metric  # publishes the first snapshot
    holder = _hold(writable_db_path)
    try:
        at = _overview()
        assert not at.exception and not at.error
        assert at.metric
    finally:
        holder.kill()
