"""The process's commit count, which tells the dashboard when to read the data version again."""
from __future__ import annotations

import pytest

from taskforce.core import db


def test_a_committed_transaction_moves_the_count_and_a_rolled_back_one_does_not(tmp_path):
    con = db.connect(tmp_path / "count.duckdb")
    start = db.commits_in_process()
    with db.transaction(con) as cursor:
        cursor.execute("create table t (x integer)")
    assert db.commits_in_process() == start + 1
    with pytest.raises(RuntimeError), db.transaction(con) as cursor:
        cursor.execute("insert into t values (1)")
        raise RuntimeError("refused")
    assert db.commits_in_process() == start + 1
    assert con.execute("select count(*) from t").fetchone()[0] == 0
