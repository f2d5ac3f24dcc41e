"""Packs issued and kept as briefed; what has been revised since, traced to the returns behind it."""
from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial

import pytest

from taskforce.briefing import archive
from taskforce.briefing.pack import build_pack
from taskforce.briefing.slides import build_briefing
from taskforce.core.db import transaction
from taskforce.core.queries import run_query
from taskforce.returns import intake
from taskforce.store import rollups
from taskforce.store.pack_key import PackKey
from tests.conftest import LATEST_WEEK

ISSUED_AT = dt.datetime(2026, 11, 23, 9, 30)
LATER = dt.datetime(2026, 11, 24, 14, 0)
KEY = PackKey(b"a key of the test's own, 32 bytes", sealed_from_pack=1)


def _briefing(con):
    return build_briefing(partial(run_query, con), LATEST_WEEK, 0.5, ISSUED_AT, LATEST_WEEK)


def _issue(con, by: str = "analyst.one"):
    briefing = _briefing(con)
    content = build_pack(briefing, "OFFICIAL-SENSITIVE")
    return archive.issue(con, briefing, content, by, ISSUED_AT, wider_circulation=False, key=KEY), content


def _load(con, rows: str) -> None:
    raw = ("week_ending,org_code,measure_code,value\n" + rows).encode()
    outcome, checked = intake.load(con, "later.csv", raw, "analyst.two", LATER, confirm_warnings=True)
    assert outcome.status == "committed", [problem.message for problem in checked.problems]


def _arrests(con, org: str) -> float:
    return con.execute("select value from weekly_return where week_ending = $week and org_code = $org "
                       "and measure_code = 'oic_arrests'", {"week": LATEST_WEEK, "org": org}).fetchone()[0]


def test_an_issued_pack_is_kept_unchanged_with_who_when_checksum_and_data(con):
    pack, content = _issue(con)
    issued = archive.issued_file(con, pack.pack_id, KEY)
    name, stored = issued.name, issued.content
    assert stored == content and issued.sealed
    assert name == f"oic_briefing_week_ending_{LATEST_WEEK.isoformat()}_issue_1.pptx"
    listed = archive.issued_packs(con).iloc[0]
    assert listed["issued_by"] == "analyst.one"
    assert listed["issued_at"] == ISSUED_AT
    assert listed["sha256"] == hashlib.sha256(content).hexdigest() == pack.sha256
    assert listed["last_upload_id"] == con.execute("select max(id) from upload").fetchone()[0]
    assert listed["size_bytes"] == len(content)


def test_issuing_a_week_twice_keeps_both_numbered(con):
    first, _ = _issue(con, "analyst.one")
    second, _ = _issue(con, "admin.one")
    packs = archive.issued_packs(con)
    assert len(packs) == 2
    assert sorted(packs["issue_number"]) == [1, 2]
    assert first.label == "Week ending 22 Nov 2026, issue 1"
    assert second.label == "Week ending 22 Nov 2026, issue 2"
    assert archive.issued_file(con, first.pack_id, KEY).name != archive.issued_file(con, second.pack_id, KEY).name


def test_a_pack_altered_in_storage_is_refused(con):
    pack, _ = _issue(con)
    con.execute("update issued_pack set content = $junk where pack_id = $id", {"junk": b"junk", "id": pack.pack_id})
    with pytest.raises(archive.PackAltered):
        archive.issued_file(con, pack.pack_id, KEY)


def _replace_file_and_hash(con, pack_id: int, content: bytes) -> None:
    con.execute("update issued_pack set content = $content, sha256 = $sha where pack_id = $id",
                {"content": content, "sha": hashlib.sha256(content).hexdigest(), "id": pack_id})


def test_a_pack_whose_file_and_hash_are_replaced_together_is_caught(con):
    """Given an issued pack, when its file and its recorded SHA-256 are both replaced (anyone who can write the
    store can do both), then the seal, keyed outside the store, no longer matches and the pack is refused.
    (Before: the new hash matched the new file, and it was handed out as issued.)"""
    pack, content = _issue(con)
    _replace_file_and_hash(con, pack.pack_id, content + b"a slide added after the briefing")
    with pytest.raises(archive.PackAltered):
        archive.issued_file(con, pack.pack_id, KEY)


@pytest.mark.parametrize("change", [
    "hmac_sha256 = null",  # the seal taken away, as if the pack were older than sealing
    "issued_by = 'someone.else'",
    "issue_number = 7",
    "issued_at = issued_at + interval 1 day",
    "file_name = 'another.pptx'",
])
def test_a_seal_taken_away_or_a_pack_moved_to_another_issue_is_caught(con, change):
    pack, _ = _issue(con)
    con.execute(f"update issued_pack set {change} where pack_id = $id", {"id": pack.pack_id})
    with pytest.raises(archive.PackAltered):
        archive.issued_file(con, pack.pack_id, KEY)


def test_a_pack_sealed_under_another_key_is_caught(con):
    pack, _ = _issue(con)
    with pytest.raises(archive.PackAltered):
        archive.issued_file(con, pack.pack_id, PackKey(b"a key made by someone else", sealed_from_pack=1))


def test_a_pack_issued_before_packs_were_sealed_is_checked_against_its_hash_only(con):
    """A pack from before the seal (none recorded, numbered below the key's first sealed pack, or no key at
    all yet) is handed out as checked by its SHA-256 only, and says so (`sealed` is False)."""
    pack, content = _issue(con)
    con.execute("update issued_pack set hmac_sha256 = null where pack_id = $id", {"id": pack.pack_id})
    for key in (PackKey(KEY.secret, sealed_from_pack=pack.pack_id + 1), None):
        issued = archive.issued_file(con, pack.pack_id, key)
        assert issued.content == content and not issued.sealed
    _replace_file_and_hash(con, pack.pack_id, b"junk")  # its hash still guards it, as far as a hash can
    assert archive.issued_file(con, pack.pack_id, None).content == b"junk"


def test_a_sealed_pack_is_not_offered_without_its_key(con):
    pack, _ = _issue(con)
    with pytest.raises(archive.PackKeyMissing, match="not offered for download"):
        archive.issued_file(con, pack.pack_id, None)


def test_nothing_is_revised_while_no_return_changes(con):
    pack, _ = _issue(con)
    assert archive.revisions(con, pack.pack_id, _briefing(con).overview).empty


def test_a_resubmission_after_issue_shows_as_briefed_now_and_why(con):
    pack, _ = _issue(con)
    kent = _arrests(con, "kent")
    briefed = _briefing(con).overview.cards[0]
    _load(con, f"{LATEST_WEEK},kent,oic_arrests,{kent + 7:.0f}\n")
    table = archive.revisions(con, pack.pack_id, _briefing(con).overview)
    arrests = table.set_index("Figure").loc["OIC arrests"]
    assert arrests["As briefed"] == briefed.formatted_value
    assert arrests["Now"] == f"{briefed.value + 7:,.0f}"
    assert arrests["Why"] == (f"Resubmitted by Kent Police (Arrests {kent:.0f} to {kent + 7:.0f}, week ending "
                              "22 Nov 2026).")
    # the charge rate over 12 weeks is made from arrests too, so it moves and names the same return
    assert "Kent Police" in table.set_index("Figure").loc["Charge rate, 12 weeks", "Why"]


def test_a_resubmission_with_the_same_value_revises_nothing(con):
    pack, _ = _issue(con)
    _load(con, f"{LATEST_WEEK},kent,oic_arrests,{_arrests(con, 'kent'):.0f}\n")
    assert archive.revisions(con, pack.pack_id, _briefing(con).overview).empty


def test_a_late_return_after_issue_is_named_as_late(con):
    """Gwent's return taken out before the pack is issued (the rollups rebuilt to match), then loaded late."""
    with transaction(con) as cursor:
        cursor.execute("delete from weekly_return where week_ending = $week and org_code = 'gwent'",
                       {"week": LATEST_WEEK})
        rollups.rebuild(cursor)
    pack, _ = _issue(con)
    _load(con, f"{LATEST_WEEK},gwent,oic_arrests,5\n")
    table = archive.revisions(con, pack.pack_id, _briefing(con).overview).set_index("Figure")
    assert table.loc["OIC arrests", "Why"] == ("Late returns from Gwent Police (Arrests none to 5, week ending "
                                               "22 Nov 2026).")
    assert "Returns received" not in table.index  # one measure is a partial return: still 48 complete of 49


def test_for_wider_circulation_the_why_names_the_organisation_without_its_values(con):
    pack, _ = _issue(con)
    kent = _arrests(con, "kent")
    _load(con, f"{LATEST_WEEK},kent,oic_arrests,{kent + 7:.0f}\n")
    why = archive.revisions(con, pack.pack_id, _briefing(con).overview, wider_circulation=True).set_index(
        "Figure").loc["OIC arrests", "Why"]
    assert why == "Resubmitted by Kent Police."
