"""Going live: init-db makes an empty live database, and demo and live never mix."""

from __future__ import annotations

from taskforce.cli import main
from taskforce.core.db import connect
from taskforce.store.creating import DatabaseKind, database_kind
from tests.conftest import count_in


def test_init_db_makes_a_live_database_with_reference_data_and_no_returns(tmp_path, capsys):
    """Given no database, when init-db runs, then the file holds the organisations, measures, recommendations
    and milestones, no returns and no uploads, and records that it is live."""
    path = tmp_path / "live.duckdb"
    assert main(["init-db", "--db", str(path)]) == 0
    assert "empty live database" in capsys.readouterr().out
    assert count_in(path, "select count(*) from org where type = 'force'") == 46
    assert count_in(path, "select count(*) from measure") > 10
    assert count_in(path, "select count(*) from recommendation") == 10
    assert count_in(path, "select count(*) from milestone") > 0
    assert count_in(path, "select count(*) from weekly_return") == 0
    assert count_in(path, "select count(*) from upload") == 0
    assert count_in(path, "select count(*) from rec_update") == 0
    con = connect(path)
    assert database_kind(con) is DatabaseKind.LIVE
    con.close()


def test_init_db_refuses_to_overwrite_a_database_unless_forced(tmp_path, capsys, own_shared_data):
    path = tmp_path / "live.duckdb"
    assert main(["build-demo", "--db", str(path), "--as-of", "2024-03-06"]) == 0
    values = count_in(path, "select count(*) from weekly_return")
    assert main(["init-db", "--db", str(path)]) == 1
    assert "--force" in capsys.readouterr().err
    assert count_in(path, "select count(*) from weekly_return") == values
    assert main(["init-db", "--db", str(path), "--force"]) == 0
    assert count_in(path, "select count(*) from weekly_return") == 0


def test_build_demo_refuses_a_live_database(tmp_path, capsys):
    """Given a live database holding a real return, when build-demo is pointed at it, then it is refused with
    exit 1 and the real return is still there."""
    path = tmp_path / "live.duckdb"
    assert main(["init-db", "--db", str(path)]) == 0
    return_file = tmp_path / "return.csv"
    return_file.write_text("week_ending,org_code,measure_code,value\n2024-03-03,kent,oic_arrests,4\n")
    assert main(["ingest", str(return_file), "--db", str(path), "--by", "analyst"]) == 0
    capsys.readouterr()
    assert main(["build-demo", "--db", str(path), "--as-of", "2024-03-06"]) == 1
    assert "live database" in capsys.readouterr().err
    assert count_in(path, "select count(*) from weekly_return") == 1


def test_a_demo_database_records_that_it_is_a_demo(demo_db_path, db):
    assert database_kind(db) is DatabaseKind.DEMO
