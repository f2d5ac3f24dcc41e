"""Transactions: a block that raises leaves nothing behind."""

from __future__ import annotations

import pytest

from taskforce.core import db


def test_a_rolled_back_transaction_leaves_nothing(tmp_path):
    con = db.connect(tmp_path / "count.duckdb")
    with db.transaction(con) as cursor:
        cursor.execute("create table t (x integer)")
    with pytest.raises(RuntimeError), db.transaction(con) as cursor:
        cursor.execute("insert into t values (1)")
        raise RuntimeError("refused")
    assert con.execute("select count(*) from t").fetchone()[0] == 0
