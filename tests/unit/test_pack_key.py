"""The key that seals issued packs: made once in the writer's turn, beside the store and outside it, 0640, never
replaced, and recording the first pack it seals."""
from __future__ import annotations

import stat

import pytest

from taskforce.core.db import connect
from taskforce.store.pack_key import PackKeyUnreadable, pack_key_for_issuing, read_pack_key


@pytest.fixture
def store(writable_db_path):
    con = connect(writable_db_path)
    yield writable_db_path, con
    con.close()


def test_the_key_is_made_once_beside_the_store_readable_by_its_group_only(store):
    path, con = store
    assert read_pack_key(path) is None  # no pack sealed yet
    made = pack_key_for_issuing(con, path)
    key_file = path.with_name(path.name + ".pack-key")
    assert stat.S_IMODE(key_file.stat().st_mode) & 0o037 == 0  # nothing for others, no writing for the group
    assert len(made.secret) == 32 and made.sealed_from_pack == 1  # the demo has issued no pack
    assert read_pack_key(path) == made
    assert pack_key_for_issuing(con, path) == made  # never replaced
    assert made.secret.hex() not in repr(made)


def test_the_key_records_the_first_pack_it_seals(store):
    """Packs issued before the key existed are numbered below its first sealed pack."""
    path, con = store
    con.execute("insert into issued_pack (pack_id, week_ending, issue_number, issued_at, issued_by, "
                "wider_circulation, provisional, last_upload_id, data_version, file_name, sha256, size_bytes, "
                "content) values (41, date '2026-11-22', 1, timestamp '2026-11-23 09:00', 'analyst', false, false, "
                "0, 0, 'old.pptx', 'x', 1, 'x'::blob)")
    assert pack_key_for_issuing(con, path).sealed_from_pack == 42


def test_the_key_file_can_be_set(store, tmp_path, monkeypatch):
    path, con = store
    monkeypatch.setenv("TASKFORCE_PACK_KEY", str(tmp_path / "keys" / "packs.key"))
    (tmp_path / "keys").mkdir()
    made = pack_key_for_issuing(con, path)
    assert (tmp_path / "keys" / "packs.key").is_file() and read_pack_key(path) == made


def test_a_damaged_key_file_is_named_not_replaced(store):
    path, con = store
    key_file = path.with_name(path.name + ".pack-key")
    key_file.write_text("key = 'not hex'\n")
    with pytest.raises(PackKeyUnreadable, match="cannot be read"):
        pack_key_for_issuing(con, path)
    assert key_file.read_text() == "key = 'not hex'\n"
