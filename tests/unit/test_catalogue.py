"""Partner datasets read in place: the newest good extract is read, a file that differs is refused with a plain
sentence and the last good one kept, and DuckDB can reach no file outside the declared folders."""
from __future__ import annotations

import datetime as dt
import os
import shutil

import duckdb
import pandas as pd
import pytest

from taskforce.store import catalogue, reading, writing
from tests.conftest import PROJECT_ROOT

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


def _states(con, root) -> dict[str, catalogue.DatasetState]:
    return {state.dataset.name: state for state in catalogue.refresh_views(con, root, catalogue.datasets())}


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


def test_no_query_reaches_a_file_outside_the_declared_folders(writable_db_path, partner_root):
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
    bad.write_text('[[dataset]]\nname = "x"\ntitle = "x"\nowner = "x"\ndescription = "x"\nmarking = "x"\n'
                   'folder = "../../etc"\nformat = "csv"\narrives_every_days = 7\n'
                   '[[dataset.column]]\nname = "a"\ntype = "INTEGER"\ndefinition = "a"\n')
    with pytest.raises(catalogue.CatalogueError, match="relative path inside"):
        catalogue.datasets(bad)
    assert os.path.exists(PROJECT_ROOT / "data" / "catalogue.toml")
