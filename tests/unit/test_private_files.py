"""Private files by construction: the store, its lock, the snapshots, the raw uploads and issued packs are
created 0640 and their folders 0750 whatever the umask; a server will not start, and a writer will not write,
on a store other accounts can read, and each says how to mend it."""
from __future__ import annotations

import os
import shlex
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from taskforce.cli import EXIT_OK, EXIT_REJECTED, main
from taskforce.core import private
from taskforce.core.db import connect, transaction
from taskforce.returns import intake
from taskforce.store import snapshots, writing
from tests.conftest import LATEST_WEEK, PROJECT_ROOT, count_in

DEPLOY = PROJECT_ROOT / "deploy"


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def open_umask():
    """The permissive umask most accounts have (files 0644, folders 0755), so a private mode is our doing."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


@pytest.fixture
def uploads(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "kept" / "uploads"
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(folder))
    return folder


def test_the_library_makes_every_file_0640_and_every_folder_0750(tmp_path, open_umask, uploads, monkeypatch):
    """Given a umask that would make files 0644, when a store is created, written, published and a raw upload
    kept, then the store, its lock, the snapshot folder and each snapshot and pointer, and the kept upload
    (and its folders) are 0640 and 0750: the account `nobody` reads none of them."""
    monkeypatch.setenv("TASKFORCE_SNAPSHOTS", str(tmp_path / "shared" / "snapshots"))
    store = tmp_path / "taskforce.duckdb"
    connect(store).close()
    with writing.writing(store) as con, transaction(con) as cursor:
        cursor.execute("create table probe (x integer)")
    kept = intake.keep_raw_file(b"week_ending,org_code,measure_code,value\n", "a" * 64, "kent.csv")
    published = snapshots.current(store)
    assert published is not None
    files = [store, writing.lock_path(store), published.path, published.path.parent / snapshots.POINTER, kept]
    folders = [published.path.parent, published.path.parent.parent, uploads, uploads.parent]
    assert {str(path): _mode(path) for path in files} == {str(path): 0o640 for path in files}
    assert {str(path): _mode(path) for path in folders} == {str(path): 0o750 for path in folders}


def test_a_pack_written_out_is_0640_and_the_command_line_puts_the_callers_umask_back(writable_db_path, tmp_path,
                                                                                     open_umask):
    out = tmp_path / "issued.pptx"
    assert main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--out", str(out), "--db",
                 str(writable_db_path)]) == EXIT_OK
    assert _mode(out) == 0o640
    assert os.umask(0o022) == 0o022  # main ran with 0027 and put the caller's back


def _open_store(writable_db_path: Path) -> Path:
    """A store as main left it for every local account: 0644, its snapshot folder 0755."""
    writing.publish_if_missing(writable_db_path)
    writable_db_path.chmod(0o644)
    snapshots.current(writable_db_path).path.parent.chmod(0o755)  # type: ignore[union-attr]
    return writable_db_path


def test_a_writer_refuses_a_store_other_accounts_can_read_and_says_how_to_mend_it(writable_db_path, tmp_path,
                                                                                 uploads, capsys):
    """Given a store readable by others, when a return is ingested, then nothing is written (exit 1) and the
    command names the files and the chmod that mends them; after that chmod the same ingest loads."""
    store = _open_store(writable_db_path)
    file = tmp_path / "kent.csv"
    file.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},kent,oic_arrests,5\n")
    before = count_in(store, "select count(*) from upload")
    assert main(["ingest", str(file), "--db", str(store)]) == EXIT_REJECTED
    said = capsys.readouterr().err
    assert f"open to other accounts on this machine: {store} (-rw-r--r--)" in said
    assert count_in(store, "select count(*) from upload") == before
    mend = said.split("Mend it as the taskforce account: ", 1)[1].split(" (README", 1)[0]
    subprocess.run(shlex.split(mend), check=True, timeout=60)
    assert private.refusal(store) == ""
    assert main(["ingest", str(file), "--db", str(store)]) == EXIT_OK


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_server_will_not_start_on_a_store_other_accounts_can_read(writable_db_path, uploads):
    """Given a store readable by others, when a dashboard server starts on it, then it stops at once with the
    sentence that says how to mend it, and serves nothing."""
    store = _open_store(writable_db_path)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "taskforce" / "ui" / "server.py"),
         "--server.port", str(_free_port()), "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=PROJECT_ROOT, env={**os.environ, "TASKFORCE_DB": str(store)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)
    try:
        _, said = server.communicate(timeout=180)
    except subprocess.TimeoutExpired:
        server.kill()
        server.communicate()
        pytest.fail("the server started on a store that other accounts can read")
    assert server.returncode != 0
    assert "open to other accounts on this machine" in said and "chmod -R o= " in said
    assert "Traceback" not in said


def test_the_service_and_the_cluster_create_private_files(monkeypatch):
    """The systemd unit sets UMask=0027, and `make serve` starts each dashboard server with it."""
    unit = (DEPLOY / "taskforce-dashboard@.service").read_text(encoding="utf-8")
    assert "\nUMask=0027\n" in unit
    from deploy import serve

    started = {}
    monkeypatch.setattr(serve.subprocess, "Popen", lambda arguments, **options: started.update(options))
    serve._start_server(8601, {})
    assert started["umask"] == 0o027
