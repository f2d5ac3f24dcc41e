"""Partner datasets read in place: the newest good extract is read, a file that differs is refused with a plain
sentence and the last good one kept, and DuckDB can reach no file outside the shared-data folder. The folders are
a sandbox: a folder or file that leads outside is refused, so is a file over its dataset's size limit, a file is
read only once it is complete, and a dashboard looks in the background, its pages never waiting for a look."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from taskforce.store import catalogue, reading, shared_copies, writing
from tests.conftest import PROJECT_ROOT, new_server_process

BORDER_FORCE = "border_force_port_detections"


@pytest.fixture
def partner_root(shared_data, tmp_path):
    """A private copy of the session's partner folders, which a test may add files to."""
    root = tmp_path / "shared"
    shutil.copytree(shared_data, root)
    return root


def _reader(store, root):
    snapshot = writing.publish_if_missing(store)
    return reading.open_snapshot(snapshot.path, root)


def _states(con, root, settled: bool = True) -> dict[str, catalogue.DatasetState]:
    """What a look finds now; `settled`: as if the files written by the test had been left alone long enough to
    count as complete."""
    now = time.time() + (catalogue.SETTLE_SECONDS if settled else 0)
    return {state.dataset.name: state for state in catalogue.refresh_views(con, root, catalogue.datasets(), now)}


def _arrived(written, path):
    """A file as a partner delivers it: written under another name, then renamed into place."""
    catalogue.put_in_place(written, path)
    return path


def _view_rows(con, name: str) -> int:
    return con.execute(f"select count(*) from shared.{name}").fetchone()[0]


def test_every_declared_dataset_is_read_as_a_view_with_its_declared_columns(writable_db_path, partner_root):
    con = _reader(writable_db_path, partner_root)
    for dataset in catalogue.datasets():
        described = con.execute(f"describe shared.{dataset.name}").fetchall()
        assert [(row[0], row[1]) for row in described] == [(c.name, c.type) for c in dataset.columns]
    states = _states(con, partner_root)
    assert states["small_boat_arrivals"].rows > 100 and not states["small_boat_arrivals"].synthetic
    assert states[BORDER_FORCE].synthetic and states[BORDER_FORCE].rows == 104 * 11
    con.close()


def test_a_newer_file_with_other_types_is_refused_and_the_last_good_one_kept(writable_db_path, partner_root):
    """Given a good Border Force extract, when a newer one arrives with people_detected as text, then it is
    refused with the column named, and the view still reads the good one."""
    folder = catalogue.dataset(BORDER_FORCE).location(partner_root)
    good = next(folder.glob("*.parquet"))
    pd.read_parquet(good).astype({"people_detected": str}).to_parquet(folder / "port_detections_2030-01-05.parquet")
    con = _reader(writable_db_path, partner_root)
    state = _states(con, partner_root)[BORDER_FORCE]
    assert state.file == good
    assert [refusal.file for refusal in state.refused] == ["port_detections_2030-01-05.parquet"]
    assert "people_detected is VARCHAR, not INTEGER" in state.refused[0].reason
    assert con.execute(f"select count(*) from shared.{BORDER_FORCE}").fetchone()[0] == state.rows
    con.close()


def test_a_csv_with_a_bad_value_is_refused_with_its_line(writable_db_path, partner_root):
    folder = catalogue.dataset("small_boat_arrivals").location(partner_root)
    good = next(folder.glob("*.csv"))
    lines = good.read_text().splitlines()
    fields = lines[3].split(",", 2)
    lines[3] = ",".join([fields[0], "lots", fields[2]])
    (folder / "small_boat_arrivals_2030-01-01.csv").write_text("\n".join(lines) + "\n")
    (folder / "small_boat_arrivals_2030-02-01.csv").write_text("month,people\n2030-01,5\n")
    con = _reader(writable_db_path, partner_root)
    state = _states(con, partner_root)["small_boat_arrivals"]
    assert state.file == good
    reasons = {refusal.file: refusal.reason for refusal in state.refused}
    assert "missing columns boats, status, source" in reasons["small_boat_arrivals_2030-02-01.csv"]
    assert "at line 4" in reasons["small_boat_arrivals_2030-01-01.csv"]
    assert "lots" in reasons["small_boat_arrivals_2030-01-01.csv"]
    con.close()


def test_no_query_reaches_a_file_outside_the_shared_data_folder(writable_db_path, partner_root):
    """Given the reader locked down, then a file elsewhere (the store itself included) cannot be read, and the
    setting cannot be switched back on."""
    con = _reader(writable_db_path, partner_root)
    for outside in (PROJECT_ROOT / "data" / "reference" / "forces.csv", writable_db_path):
        with pytest.raises(duckdb.PermissionException):
            con.execute(f"select * from read_csv('{outside}')").fetchall()
    with pytest.raises(duckdb.Error):
        con.execute("set enable_external_access = true")
    con.close()


def test_lateness_follows_the_arrival_date_and_the_cadence(writable_db_path, partner_root):
    con = _reader(writable_db_path, partner_root)
    state = _states(con, partner_root)[BORDER_FORCE]
    assert state.arrived is not None
    due = state.arrived + dt.timedelta(days=7 + 2)
    assert state.due_by() == due
    assert not state.is_late(due) and state.is_late(due + dt.timedelta(days=1))
    con.close()


def test_a_catalogue_entry_that_could_escape_its_folder_is_refused(tmp_path):
    bad = tmp_path / "catalogue.toml"
    bad.write_text(
        '[[dataset]]\nname = "x"\ntitle = "x"\nowner = "x"\ndescription = "x"\nmarking = "x"\n'
        'folder = "../../etc"\nformat = "csv"\narrives_every_days = 7\n'
        '[[dataset.column]]\nname = "a"\ntype = "INTEGER"\ndefinition = "a"\n'
    )
    with pytest.raises(catalogue.CatalogueError, match="relative path inside"):
        catalogue.datasets(bad)
    assert os.path.exists(PROJECT_ROOT / "data" / "catalogue.toml")


def test_a_folder_replaced_by_a_link_to_the_root_of_the_disk_is_refused_and_opens_nothing(
    writable_db_path, partner_root
):
    """The red team's attack: a dataset's folder replaced by a link to /. Then the reader may still open nothing
    outside the shared-data folder (neither /etc/passwd nor the store itself), and the Data catalogue says in a
    plain sentence that the folder is refused."""
    folder = catalogue.dataset(BORDER_FORCE).location(partner_root)
    shutil.rmtree(folder)
    folder.symlink_to("/")
    con = _reader(writable_db_path, partner_root)
    allowed = con.execute("select current_setting('allowed_directories')").fetchone()[0]
    assert f"{partner_root.resolve()}/" in allowed and Path("/") not in [Path(entry).resolve() for entry in allowed]
    for reading_outside in ("select * from read_text('/etc/passwd')", f"select * from read_blob('{writable_db_path}')"):
        with pytest.raises(duckdb.PermissionException):
            con.execute(reading_outside).fetchall()
    state = _states(con, partner_root)[BORDER_FORCE]
    assert state.file is None and _view_rows(con, BORDER_FORCE) == 0
    assert [refusal.file for refusal in state.refused] == ["border_force/port_detections"]
    assert state.refused[0].reason.startswith("Its folder leads outside the shared-data folder (through a link)")
    con.close()


def test_a_folder_that_leads_outside_later_is_refused_at_the_next_look(writable_db_path, partner_root, tmp_path):
    """Given a reader opened on a sound folder, when a folder above it (border_force/) is replaced by a link to
    a folder outside holding a well-formed extract, then the next look refuses the folder and reads nothing."""
    con = _reader(writable_db_path, partner_root)
    assert _states(con, partner_root)[BORDER_FORCE].file is not None
    elsewhere = tmp_path / "elsewhere"
    shutil.move(partner_root / "border_force", elsewhere)
    (partner_root / "border_force").symlink_to(elsewhere)
    state = _states(con, partner_root)[BORDER_FORCE]
    assert state.file is None and _view_rows(con, BORDER_FORCE) == 0
    assert "leads outside the shared-data folder" in state.refused[0].reason
    con.close()


def test_a_file_that_links_outside_its_folder_is_refused(writable_db_path, partner_root, tmp_path):
    """Given a newer file in the Border Force folder that is a link to a well-formed extract elsewhere, then it
    is refused with a plain sentence, and the folder's own extract is read."""
    folder = catalogue.dataset(BORDER_FORCE).location(partner_root)
    good = next(folder.glob("*.parquet"))
    outside = shutil.copyfile(good, tmp_path / "port_detections_2030-01-05.parquet")
    (folder / "port_detections_2030-01-05.parquet").symlink_to(outside)
    con = _reader(writable_db_path, partner_root)
    state = _states(con, partner_root)[BORDER_FORCE]
    assert state.file == good
    assert [(refusal.file, refusal.reason) for refusal in state.refused] == [
        ("port_detections_2030-01-05.parquet", catalogue.LINK_OUTSIDE)
    ]
    con.close()


def test_a_gigabyte_csv_with_no_newlines_is_refused_for_its_size_without_being_read(
    writable_db_path, partner_root, monkeypatch
):
    """The red team's attack: a 1 GB partner CSV with no newline (here a sparse file, so it costs no disk).
    Then it is refused for its size, with the limit and where it is set, and DuckDB never opens it."""
    folder = catalogue.dataset("small_boat_arrivals").location(partner_root)
    huge = folder / "small_boat_arrivals_2030-01-01.csv"
    with huge.open("wb") as handle:
        handle.truncate(1024 * catalogue.MEGABYTE)
    con = _reader(writable_db_path, partner_root)
    opened = []
    problem = catalogue._problem
    monkeypatch.setattr(
        catalogue, "_problem", lambda con, dataset, path: opened.append(path.name) or problem(con, dataset, path)
    )
    state = _states(con, partner_root)["small_boat_arrivals"]
    assert state.file is not None and state.file.name != huge.name
    assert [refusal.file for refusal in state.refused] == [huge.name]
    assert state.refused[0].reason.startswith(
        "It is 1,024.0 MB, more than the 5 MB a file of this dataset may be (max_file_megabytes in data/catalogue.toml)"
    )
    assert huge.name not in opened
    con.close()


def test_the_size_limit_is_declared_per_dataset_with_a_default(tmp_path):
    entry = (
        '[[dataset]]\nname = "x"\ntitle = "x"\nowner = "x"\ndescription = "x"\nmarking = "x"\n'
        'folder = "x"\nformat = "csv"\narrives_every_days = 7\n{limit}'
        '[[dataset.column]]\nname = "a"\ntype = "INTEGER"\ndefinition = "a"\n'
    )

    def declaring(limit: str, name: str):
        declared = tmp_path / f"{name}.toml"  # a file each: the catalogue is read once per file
        declared.write_text(entry.format(limit=limit))
        return catalogue.datasets(declared)

    assert declaring("", "default")[0].max_file_megabytes == catalogue.DEFAULT_MAX_FILE_MEGABYTES
    assert declaring("max_file_megabytes = 2.5\n", "declared")[0].max_file_megabytes == 2.5
    for number, bad in enumerate(('"lots"', "0", "true")):
        with pytest.raises(catalogue.CatalogueError, match="max_file_megabytes .* is not a positive number"):
            declaring(f"max_file_megabytes = {bad}\n", f"bad{number}")
    assert {dataset.name: dataset.max_file_megabytes for dataset in catalogue.datasets()} == {
        "small_boat_arrivals": 5,
        BORDER_FORCE: 50,
    }


def _first_lines(path, count: int) -> str:
    return "".join(path.read_text().splitlines(keepends=True)[:count])


def test_a_csv_caught_mid_copy_is_not_read_until_it_is_complete(writable_db_path, partner_root):
    """The red team's attack: a newer CSV caught mid-copy (its first 20 lines of 105 written just now). Then the
    last complete file is still read and the new one is listed as still arriving; once nothing has been
    written to it for the settle time, it is read."""
    folder = catalogue.dataset("small_boat_arrivals").location(partner_root)
    good = next(folder.glob("*.csv"))
    copying = folder / "small_boat_arrivals_2030-01-01.csv"
    copying.write_text(_first_lines(good, 20))
    con = _reader(writable_db_path, partner_root)
    state = _states(con, partner_root, settled=False)["small_boat_arrivals"]
    assert state.file == good and state.arriving == (copying.name,) and not state.refused
    assert _view_rows(con, "small_boat_arrivals") == state.rows > 100
    later = _states(con, partner_root, settled=True)["small_boat_arrivals"]
    assert later.file == copying and later.rows == 19 and not later.arriving
    con.close()


def test_a_file_renamed_into_place_once_written_is_read_at_once(writable_db_path, partner_root):
    folder = catalogue.dataset("small_boat_arrivals").location(partner_root)
    good = next(folder.glob("*.csv"))
    written = folder / "small_boat_arrivals_2030-01-01.csv.partial"
    written.write_text(_first_lines(good, 50))
    renamed = _arrived(written, folder / "small_boat_arrivals_2030-01-01.csv")
    con = _reader(writable_db_path, partner_root)
    state = _states(con, partner_root, settled=False)["small_boat_arrivals"]
    assert state.file == renamed and state.rows == 49 and not state.arriving
    con.close()


def test_a_file_written_to_while_it_is_being_read_counts_as_still_arriving(writable_db_path, partner_root, monkeypatch):
    """Given a file that looked settled, when more is written to it while the look counts its rows, then the
    look does not take it: the last good file stays in use and the file is still arriving."""
    folder = catalogue.dataset("small_boat_arrivals").location(partner_root)
    good = next(folder.glob("*.csv"))
    growing = folder / "small_boat_arrivals_2030-01-01.csv"
    growing.write_text(_first_lines(good, 20))
    count = catalogue._count

    def count_while_more_arrives(con, dataset, path):
        rows = count(con, dataset, path)
        if growing.name in path.name:  # the look's copy of it
            with growing.open("a") as handle:
                handle.write(_first_lines(good, 21).splitlines(keepends=True)[-1])
        return rows

    con = _reader(writable_db_path, partner_root)
    monkeypatch.setattr(catalogue, "_count", count_while_more_arrives)
    state = _states(con, partner_root)["small_boat_arrivals"]
    assert state.file == good and state.arriving == (growing.name,)
    con.close()


@pytest.fixture
def new_server(writable_db_path, partner_root, monkeypatch):
    with new_server_process(writable_db_path, partner_root, monkeypatch) as data:
        yield data


def _answered_at_once(call):
    """The call's result, made on another thread: a call that waits on the held look times out here (the
    generous timeout is only a guard against hanging the run; nothing is timed)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result(timeout=60)


def test_a_slow_look_in_the_partner_folders_holds_up_no_page_nor_a_publish(
    new_server, partner_root, writable_db_path, monkeypatch
):
    """The red team's attack: a look that takes a long time (a huge file, a slow share) stalled every page, and
    again on every publish. Given the server's first look done, when a newer extract arrives and the next look
    is held up, then a page's calls still answer, with the last look's result, and so does the first read of a
    snapshot published meanwhile; once the look finishes, pages read the newer extract."""
    data = new_server
    assert data.wait_for_partner_folders(timeout=120)
    folder = catalogue.dataset(BORDER_FORCE).location(partner_root)
    good = data.shared_dataset(BORDER_FORCE).file
    assert good is not None and good.parent == folder
    looking, finish = threading.Event(), threading.Event()
    inspect = catalogue.inspect

    def held_look(*args, **kwargs):
        looking.set()
        finish.wait(timeout=600)
        return inspect(*args, **kwargs)

    monkeypatch.setattr(catalogue, "inspect", held_look)
    written = folder / "port_detections_2030-01-05.parquet.partial"
    pd.read_parquet(good).head(11).to_parquet(written)
    newer = _arrived(written, folder / "port_detections_2030-01-05.parquet")
    try:
        assert looking.wait(timeout=120), "the background look did not notice the new file"
        key = data.data_key()
        assert _answered_at_once(lambda: data.shared_dataset(BORDER_FORCE).file) == good
        with writing.writing(writable_db_path):
            pass  # a publish: the next page reads a new snapshot
        assert _answered_at_once(data.data_key) != key
        assert _answered_at_once(lambda: _view_rows(data.connection().cursor(), BORDER_FORCE)) == 104 * 11
    finally:
        finish.set()
    assert data.wait_for_partner_folders(timeout=120)
    assert data.shared_dataset(BORDER_FORCE).file == newer
    assert _view_rows(data.connection().cursor(), BORDER_FORCE) == 11


def test_a_file_copied_over_in_place_is_not_read_until_a_look_passes_it(writable_db_path, partner_root):
    """The red team's attack: an accepted extract copied over in place (a plain `cp`, same file name, same
    inode) between two looks. Then the views go on reading exactly what the last look checked, a private copy
    outside the partner folders: not the 22 lines caught mid-copy, nor a file past the dataset's 5 MB limit."""
    folder = catalogue.dataset("small_boat_arrivals").location(partner_root)
    good = next(folder.glob("*.csv"))
    accepted = _arrived(
        _copy_to(good, folder / "small_boat_arrivals_2030-01-01.csv.partial"),
        folder / "small_boat_arrivals_2030-01-01.csv",
    )
    con = _reader(writable_db_path, partner_root)
    state = _states(con, partner_root)["small_boat_arrivals"]
    assert state.file == accepted and state.rows > 100
    accepted.write_text(_first_lines(good, 22))  # mid-copy
    assert _view_rows(con, "small_boat_arrivals") == state.rows
    rows = good.read_text().splitlines(keepends=True)
    with accepted.open("a") as handle:  # the copy goes on past the limit
        for _ in range(6 * catalogue.MEGABYTE // len(rows[1])):
            handle.write(rows[1])
    assert accepted.stat().st_size > 5 * catalogue.MEGABYTE
    assert _view_rows(con, "small_boat_arrivals") == state.rows
    copy = state.copy
    assert copy is not None and not copy.is_relative_to(partner_root.resolve())
    assert copy.stat().st_mode & 0o777 == 0o640 and copy.read_bytes() == good.read_bytes()
    con.close()


def _copy_to(source: Path, path: Path) -> Path:
    shutil.copyfile(source, path)
    return path


def test_old_copies_and_the_copies_of_processes_that_are_gone_are_removed(writable_db_path, partner_root):
    """Given extract after extract accepted, then a process keeps only its newest few copies of a dataset (the
    view's among them); and a folder of copies left by a process of this machine that no longer runs is removed,
    while another machine's (on a shared folder) is left to it."""
    folder = catalogue.dataset("small_boat_arrivals").location(partner_root)
    good = next(folder.glob("*.csv"))
    con = _reader(writable_db_path, partner_root)
    for day in range(1, shared_copies.KEEP + 3):
        written = folder / f"small_boat_arrivals_2030-01-0{day}.csv.partial"
        written.write_text(_first_lines(good, 10 + day))
        _arrived(written, folder / f"small_boat_arrivals_2030-01-0{day}.csv")
        state = _states(con, partner_root)["small_boat_arrivals"]
    kept = sorted(shared_copies.own().glob("small_boat_arrivals-*"))
    assert state.copy in kept and len(kept) == shared_copies.KEEP
    no_such_process = int(Path("/proc/sys/kernel/pid_max").read_text()) + 1
    gone, elsewhere = (
        shared_copies.root() / f"{no_such_process}@{host}@abandoned"
        for host in (socket.gethostname(), "another-machine")
    )
    gone.mkdir()
    elsewhere.mkdir()
    shared_copies._remove_abandoned(shared_copies.root())
    assert not gone.exists() and elsewhere.is_dir() and shared_copies.own().is_dir()
    con.close()
