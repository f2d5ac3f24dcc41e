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
from taskforce.returns import storage
from taskforce.store import snapshots, writing
from tests.conftest import LATEST_WEEK, PROJECT_ROOT, copy_of_demo, count_in

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
    kept = storage.keep_raw_file(b"week_ending,org_code,measure_code,value\n", "a" * 64, "kent.csv")
    published = snapshots.current(store)
    assert published is not None
    files = [store, writing.lock_path(store), published.path, published.path.parent / snapshots.POINTER, kept]
    folders = [published.path.parent, published.path.parent.parent, uploads, uploads.parent]
    assert {str(path): _mode(path) for path in files} == {str(path): 0o640 for path in files}
    assert {str(path): _mode(path) for path in folders} == {str(path): 0o750 for path in folders}


def test_a_pack_written_out_is_0640_and_the_command_line_puts_the_callers_umask_back(
    writable_db_path, tmp_path, open_umask
):
    out = tmp_path / "issued.pptx"
    assert (
        main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--out", str(out), "--db", str(writable_db_path)])
        == EXIT_OK
    )
    assert _mode(out) == 0o640
    assert os.umask(0o022) == 0o022  # main ran with 0027 and put the caller's back


def _open_store(writable_db_path: Path) -> Path:
    """A store as main left it for every local account: 0644, its snapshot folder 0755."""
    writing.publish_if_missing(writable_db_path)
    writable_db_path.chmod(0o644)
    snapshots.current(writable_db_path).path.parent.chmod(0o755)  # type: ignore[union-attr]
    return writable_db_path


def test_a_writer_refuses_a_store_other_accounts_can_read_and_says_how_to_mend_it(
    writable_db_path, tmp_path, uploads, capsys
):
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
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(PROJECT_ROOT / "taskforce" / "ui" / "server.py"),
            "--server.port",
            str(_free_port()),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "TASKFORCE_DB": str(store)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
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


def _count_uploads_after_ingest(store: Path, tmp_path: Path) -> tuple[int, int]:
    file = tmp_path / "kent.csv"
    file.write_text(f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},kent,oic_arrests,5\n")
    before = count_in(store, "select count(*) from upload")
    return main(["ingest", str(file), "--db", str(store)]), count_in(store, "select count(*) from upload") - before


def test_the_stores_folder_and_the_files_beside_it_are_checked_and_mended(writable_db_path, tmp_path, uploads, capsys):
    """Given the store's folder 0777 (anyone could rename the sign-out list away) and its sign-out list 0666 and
    pack key 0644, when a return is ingested, then nothing is written and the command names them; after the
    commands it gives the same ingest loads."""
    store = writable_db_path
    writing.publish_if_missing(store)
    for path, mode in ((Path(f"{store}.sign-outs"), 0o666), (Path(f"{store}.pack-key"), 0o644), (store.parent, 0o777)):
        path.touch()
        path.chmod(mode)
    assert _count_uploads_after_ingest(store, tmp_path) == (EXIT_REJECTED, 0)
    said = capsys.readouterr().err
    assert all(f"{path} (" in said for path in (store.parent, f"{store}.sign-outs", f"{store}.pack-key"))
    mend = said.split("Mend it as the taskforce account: ", 1)[1].split(" (README", 1)[0]
    subprocess.run(mend, shell=True, check=True, timeout=60)
    assert private.refusal(store) == "" and _mode(store.parent) == 0o750


@pytest.mark.parametrize("opened", ["CURRENT", "snapshot folder", "uploads folder", "store's folder for the group"])
def test_each_kept_file_and_folder_open_to_others_is_refused(writable_db_path, uploads, opened):
    store = writable_db_path
    current = writing.publish_if_missing(store)
    uploads.mkdir(parents=True)
    path, mode = {
        "CURRENT": (current.path.parent / snapshots.POINTER, 0o644),
        "snapshot folder": (current.path.parent, 0o755),
        "uploads folder": (uploads, 0o705),
        "store's folder for the group": (store.parent, 0o770),
    }[opened]
    path.chmod(mode)
    assert f"open to other accounts on this machine: {path} (" in private.refusal(store)


def test_a_store_in_a_folder_other_accounts_share_is_refused(demo_db_template, tmp_path, uploads, capsys):
    """Given a store in a sticky folder open to all (like /tmp), a writer refuses it and says to give it a folder
    of its own (a chmod of a shared root would take it from the others)."""
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    store = copy_of_demo(demo_db_template, shared)
    assert _count_uploads_after_ingest(store, tmp_path) == (EXIT_REJECTED, 0)
    said = capsys.readouterr().err
    assert "a folder other accounts share" in said and "Give the store a folder of its own" in said


@pytest.mark.parametrize("linked", ["store", "snapshot"])
def test_a_symbolic_link_to_a_file_others_can_read_is_refused(writable_db_path, tmp_path, uploads, linked):
    """Given the store, or a snapshot, a symbolic link to a file every account can read (DuckDB and the writers
    follow it), the store is refused, naming the link."""
    current = writing.publish_if_missing(writable_db_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    home = tmp_path / "home"
    home.mkdir(mode=0o750)
    if linked == "store":
        target, link, store = elsewhere / "real.duckdb", home / "taskforce.duckdb", home / "taskforce.duckdb"
        writable_db_path.rename(target)
    else:
        target, link, store = elsewhere / "readable", current.path.parent / "readable", writable_db_path
        target.write_bytes(b"abc")
    target.chmod(0o644)
    link.symlink_to(target)
    assert f"open to other accounts on this machine: {link} (-rw-r--r--)" in private.refusal(store)
