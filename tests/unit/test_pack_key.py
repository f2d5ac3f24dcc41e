"""The key that seals issued packs: made once in the writer's turn, beside the store and outside it, 0640, never
replaced, and recording the packs issued before it, unsealed; never a symbolic link, never made again over
sealed packs."""

from __future__ import annotations

import os
import stat

import pytest

from taskforce.core.db import connect
from taskforce.store import pack_key
from taskforce.store.pack_key import PackKeyLost, PackKeyUnreadable, pack_key_for_issuing, read_pack_key


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
    assert len(made.secret) == 32 and made.unsealed == {}  # the demo has issued no pack
    assert read_pack_key(path) == made
    assert pack_key_for_issuing(con, path) == made  # never replaced
    assert made.secret.hex() not in repr(made)


def test_the_key_records_each_pack_issued_before_it_with_its_hash(store):
    """Packs issued before the key existed are recorded in the key file, each with its SHA-256: only they may be
    offered unsealed. (Before: only the first sealed number, so a pack numbered 0 or below passed as older.)"""
    path, con = store
    con.execute(
        "insert into issued_pack (pack_id, week_ending, issue_number, issued_at, issued_by, "
        "wider_circulation, provisional, last_upload_id, data_version, file_name, sha256, size_bytes, "
        "content) values (41, date '2026-11-22', 1, timestamp '2026-11-23 09:00', 'analyst', false, false, "
        "0, 0, 'old.pptx', 'x', 1, 'x'::blob)"
    )
    assert pack_key_for_issuing(con, path).unsealed == {41: "x"}
    assert read_pack_key(path).unsealed == {41: "x"}


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


def test_a_key_file_from_before_the_packs_were_listed_records_those_below_its_first_sealed_pack(store):
    path, con = store
    key_file = path.with_name(path.name + ".pack-key")
    key_file.write_text(f'key = "{"ab" * 32}"\nsealed_from_pack = 3\n')
    assert read_pack_key(path).unsealed == {1: "", 2: ""}


def test_no_new_key_is_made_while_a_pack_has_a_seal(store):
    """Given a sealed pack and the key file deleted, issuing refuses in a sentence and makes no key (before: a
    new key was made silently, genuine packs then read as altered and stripped ones were served)."""
    path, con = store
    _sealed_pack(con)
    with pytest.raises(PackKeyLost, match="Restore the key file from the store's backup"):
        pack_key_for_issuing(con, path)
    assert not path.with_name(path.name + ".pack-key").exists()


def _sealed_pack(con) -> None:
    con.execute(
        "insert into issued_pack (pack_id, week_ending, issue_number, issued_at, issued_by, "
        "wider_circulation, provisional, last_upload_id, data_version, file_name, sha256, size_bytes, "
        "content, hmac_sha256) values (1, date '2026-11-22', 1, timestamp '2026-11-23 09:00', 'analyst', "
        "false, false, 0, 0, 'p.pptx', 'x', 1, 'x'::blob, 'v2:00')"
    )


@pytest.mark.parametrize("target", ["a key", None])
def test_a_key_file_that_is_a_symbolic_link_is_refused_and_not_replaced(store, tmp_path, target):
    """A link to a good key is refused (never followed); a dangling one too, in a sentence (before: a
    RecursionError on --issue, as the retry never ended)."""
    path, con = store
    elsewhere = tmp_path / "elsewhere.key"
    if target:
        elsewhere.write_text(f'key = "{"ab" * 32}"\n[unsealed_packs]\n')
    key_file = path.with_name(path.name + ".pack-key")
    key_file.symlink_to(elsewhere)
    for reading in (lambda: read_pack_key(path), lambda: pack_key_for_issuing(con, path)):
        with pytest.raises(PackKeyUnreadable, match="symbolic link"):
            reading()
    assert os.readlink(key_file) == str(elsewhere) and elsewhere.exists() == bool(target)


def test_making_the_key_is_tried_once(store, monkeypatch):
    """When the key file cannot be put in place and none is there after, issuing says so (no endless retry)."""
    path, con = store
    monkeypatch.setattr(pack_key, "_write_new", lambda *_: False)
    with pytest.raises(PackKeyUnreadable, match="could not be made"):
        pack_key_for_issuing(con, path)


@pytest.mark.parametrize("text", ['key = "abcd"\n', "\x00\xff garbage", 'key = "zz"\n'])
def test_a_garbage_key_is_unreadable(store, text):
    path, _ = store
    path.with_name(path.name + ".pack-key").write_bytes(text.encode("latin-1"))
    with pytest.raises(PackKeyUnreadable, match="cannot be read"):
        read_pack_key(path)


def _issue_on_the_command_line(store_path, monkeypatch, tmp_path) -> int:
    from taskforce.cli import main
    from tests.conftest import LATEST_WEEK

    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    return main(["export-briefing", "--week", LATEST_WEEK.isoformat(), "--issue", "--db", str(store_path)])


@pytest.mark.parametrize("damage", ["deleted", "garbage", "dangling link"])
def test_issuing_with_the_key_lost_or_damaged_says_so_writes_nothing_and_exits_1(
    writable_db_path, monkeypatch, tmp_path, capsys, damage
):
    """Given a sealed pack, when the key file is deleted, garbage or a dangling link, then --issue says in a
    sentence that the key is missing or unreadable, exits 1 with no traceback, and writes no pack and no key.
    (Before: deleted made a new key silently; a dangling link ended in a RecursionError; garbage a traceback.)"""
    from tests.conftest import count_in

    assert _issue_on_the_command_line(writable_db_path, monkeypatch, tmp_path) == 0
    key_file = writable_db_path.with_name(writable_db_path.name + ".pack-key")
    key_file.unlink()
    if damage == "garbage":
        key_file.write_text("not a key at all [")
        key_file.chmod(0o640)  # private, as the check of open files requires: only its content is wrong
    if damage == "dangling link":
        key_file.symlink_to(tmp_path / "nowhere")
    capsys.readouterr()
    assert _issue_on_the_command_line(writable_db_path, monkeypatch, tmp_path) == 1
    said = capsys.readouterr().err
    assert ("is missing" if damage == "deleted" else "cannot be read") in said and "Traceback" not in said
    assert "restore" in said.lower()
    assert count_in(writable_db_path, "select count(*) from issued_pack") == 1
    assert os.path.lexists(key_file) == (damage != "deleted")
