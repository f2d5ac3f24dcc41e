"""The command line shares the library's code and reports usage errors with exit code 2."""

from __future__ import annotations

import os
import subprocess
import sys

from taskforce.cli import main
from taskforce.core.db import connect
from tests.conftest import PROJECT_ROOT


def test_build_demo_writes_the_database_it_is_given(tmp_path, capsys, own_shared_data):
    path = tmp_path / "cli.duckdb"
    assert main(["build-demo", "--db", str(path), "--as-of", "2024-03-06", "--seed", "7"]) == 0
    con = connect(path)
    assert con.execute("select max(week_ending) from weekly_return").fetchone()[0].isoformat() == "2024-03-03"
    assert con.execute("select value from meta where key = 'demo_seed'").fetchone()[0] == "7"
    assert "Built" in capsys.readouterr().out


def test_a_date_in_the_wrong_form_is_a_usage_error(tmp_path, capsys):
    assert main(["build-demo", "--db", str(tmp_path / "x.duckdb"), "--as-of", "28/11/2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists()


def test_an_unknown_command_is_a_usage_error():
    assert main(["no-such-command"]) == 2


def test_the_database_path_comes_from_taskforce_db(tmp_path, own_shared_data):
    """Run as a user would, as a module, with only the environment variable to say where."""
    path = tmp_path / "from_env.duckdb"
    environment = {**os.environ, "TASKFORCE_DB": str(path)}
    completed = subprocess.run(
        [sys.executable, "-m", "taskforce", "build-demo", "--as-of", "2023-06-01"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    assert path.exists()


def test_build_demo_writes_its_synthetic_partner_extract_where_the_catalogue_says(tmp_path, own_shared_data):
    assert main(["build-demo", "--db", str(tmp_path / "x.duckdb"), "--as-of", "2024-03-06"]) == 0
    written = list((own_shared_data / "border_force" / "port_detections").glob("*.parquet"))
    assert [path.name for path in written] == ["port_detections_synthetic_2024-03-06.parquet"]
