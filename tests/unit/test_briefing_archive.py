"""Packs issued and kept as briefed; what has been revised since, traced to the returns behind it."""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import partial

import pandas as pd
import pytest

from taskforce.briefing import issued_packs
from taskforce.briefing.contents import build_briefing
from taskforce.briefing.issued_packs import PackAltered
from taskforce.briefing.pack import build_pack
from taskforce.core.db import transaction
from taskforce.core.queries import run_query
from taskforce.returns import intake
from taskforce.store import rollups
from taskforce.store.pack_key import PackKey
from tests.conftest import LATEST_WEEK

ISSUED_AT = dt.datetime(2026, 11, 23, 9, 30)
LATER = dt.datetime(2026, 11, 24, 14, 0)
KEY = PackKey(b"a key of the test's own, 32 bytes")


def _briefing(con):
    return build_briefing(partial(run_query, con), LATEST_WEEK, 0.5, ISSUED_AT, LATEST_WEEK)


def _issue(con, by: str = "analyst.one"):
    briefing = _briefing(con)
    content = build_pack(briefing, "OFFICIAL-SENSITIVE")
    return issued_packs.issue(con, briefing, content, by, ISSUED_AT, wider_circulation=False, key=KEY), content


def _load(con, rows: str) -> None:
    raw = ("week_ending,org_code,measure_code,value\n" + rows).encode()
    outcome, checked = intake.load(con, "later.csv", raw, "analyst.two", LATER, confirm_warnings=True)
    assert outcome.status == "committed", [problem.message for problem in checked.problems]


def _arrests(con, org: str) -> float:
    return con.execute(
        "select value from weekly_return where week_ending = $week and org_code = $org "
        "and measure_code = 'oic_arrests'",
        {"week": LATEST_WEEK, "org": org},
    ).fetchone()[0]


def test_an_issued_pack_is_kept_unchanged_with_who_when_checksum_and_data(con):
    pack, content = _issue(con)
    issued = issued_packs.issued_file(con, pack.pack_id, KEY)
    name, stored = issued.name, issued.content
    assert stored == content and issued.sealed
    assert name == f"oic_briefing_week_ending_{LATEST_WEEK.isoformat()}_issue_1.pptx"
    listed = issued_packs.issued_packs(con).iloc[0]
    assert listed["issued_by"] == "analyst.one"
    assert listed["issued_at"] == ISSUED_AT
    assert listed["sha256"] == hashlib.sha256(content).hexdigest() == pack.sha256
    assert listed["last_upload_id"] == con.execute("select max(id) from upload").fetchone()[0]
    assert listed["size_bytes"] == len(content)


def test_issuing_a_week_twice_keeps_both_numbered(con):
    first, _ = _issue(con, "analyst.one")
    second, _ = _issue(con, "admin.one")
    packs = issued_packs.issued_packs(con)
    assert len(packs) == 2
    assert sorted(packs["issue_number"]) == [1, 2]
    assert first.label == "Week ending 22 Nov 2026, issue 1"
    assert second.label == "Week ending 22 Nov 2026, issue 2"
    assert (
        issued_packs.issued_file(con, first.pack_id, KEY).name
        != issued_packs.issued_file(con, second.pack_id, KEY).name
    )


def test_a_pack_altered_in_storage_is_refused(con):
    pack, _ = _issue(con)
    con.execute("update issued_pack set content = $junk where pack_id = $id", {"junk": b"junk", "id": pack.pack_id})
    with pytest.raises(issued_packs.PackAltered):
        issued_packs.issued_file(con, pack.pack_id, KEY)


def _replace_file_and_hash(con, pack_id: int, content: bytes) -> None:
    con.execute(
        "update issued_pack set content = $content, sha256 = $sha where pack_id = $id",
        {"content": content, "sha": hashlib.sha256(content).hexdigest(), "id": pack_id},
    )


def test_a_pack_whose_file_and_hash_are_replaced_together_is_caught(con):
    """Given an issued pack, when its file and its recorded SHA-256 are both replaced (anyone who can write the
    store can do both), then the seal, keyed outside the store, no longer matches and the pack is refused.
    (Before: the new hash matched the new file, and it was handed out as issued.)"""
    pack, content = _issue(con)
    _replace_file_and_hash(con, pack.pack_id, content + b"a slide added after the briefing")
    with pytest.raises(issued_packs.PackAltered):
        issued_packs.issued_file(con, pack.pack_id, KEY)


@pytest.mark.parametrize(
    "change",
    [
        "hmac_sha256 = null",  # the seal taken away, as if the pack were older than sealing
        "issued_by = 'someone.else'",
        "issue_number = 7",
        "issued_at = issued_at + interval 1 day",
        "file_name = 'another.pptx'",
        "wider_circulation = not wider_circulation",  # a taskforce-only pack offered as cleared for wider circulation
        "provisional = not provisional",
        "last_upload_id = last_upload_id + 1",
        "data_version = data_version + 1",
        "snapshot = 'another snapshot'",
        "hmac_sha256 = substr(hmac_sha256, 4)",  # a version 2 seal passed off as version 1
    ],
)
def test_a_seal_taken_away_or_a_pack_moved_to_another_issue_is_caught(con, change):
    pack, _ = _issue(con)
    con.execute(f"update issued_pack set {change} where pack_id = $id", {"id": pack.pack_id})
    with pytest.raises(issued_packs.PackAltered):
        issued_packs.issued_file(con, pack.pack_id, KEY)


def test_a_pack_sealed_under_another_key_is_caught(con):
    pack, _ = _issue(con)
    with pytest.raises(issued_packs.PackAltered):
        issued_packs.issued_file(con, pack.pack_id, PackKey(b"a key made by someone else"))


def test_a_pack_issued_before_packs_were_sealed_is_checked_against_its_hash_only(con):
    """A pack from before the seal (none recorded, and recorded by the key as issued before it, or no key at
    all yet) is handed out as checked by its SHA-256 only, and says so (`sealed` is False)."""
    pack, content = _issue(con)
    con.execute("update issued_pack set hmac_sha256 = null where pack_id = $id", {"id": pack.pack_id})
    for key in (PackKey(KEY.secret, {pack.pack_id: pack.sha256}), PackKey(KEY.secret, {pack.pack_id: ""}), None):
        issued = issued_packs.issued_file(con, pack.pack_id, key)
        assert issued.content == content and not issued.sealed
    _replace_file_and_hash(con, pack.pack_id, b"junk")  # its hash still guards it, as far as a hash can
    assert issued_packs.issued_file(con, pack.pack_id, None).content == b"junk"


def test_a_sealed_pack_is_not_offered_without_its_key(con):
    pack, _ = _issue(con)
    with pytest.raises(issued_packs.PackKeyMissing, match="not offered for download"):
        issued_packs.issued_file(con, pack.pack_id, None)


def test_nothing_is_revised_while_no_return_changes(con):
    pack, _ = _issue(con)
    assert issued_packs.revisions(con, pack.pack_id, _briefing(con).overview).empty


def test_a_resubmission_after_issue_shows_as_briefed_now_and_why(con):
    pack, _ = _issue(con)
    kent = _arrests(con, "kent")
    briefed = _briefing(con).overview.cards[0]
    _load(con, f"{LATEST_WEEK},kent,oic_arrests,{kent + 7:.0f}\n")
    table = issued_packs.revisions(con, pack.pack_id, _briefing(con).overview)
    arrests = table.set_index("Figure").loc["OIC arrests"]
    assert arrests["As briefed"] == briefed.formatted_value
    assert arrests["Now"] == f"{briefed.value + 7:,.0f}"
    assert arrests["Why"] == (
        f"Resubmitted by Kent Police (Arrests {kent:.0f} to {kent + 7:.0f}, week ending 22 Nov 2026)."
    )
    # the charge rate is a cohort: its arrests are of the 12 weeks ending 2 weeks earlier, so this week's
    # arrests do not move it, and it is not said to be revised
    assert "Charge rate, 12 weeks" not in table["Figure"].tolist()


def test_a_resubmission_with_the_same_value_revises_nothing(con):
    pack, _ = _issue(con)
    _load(con, f"{LATEST_WEEK},kent,oic_arrests,{_arrests(con, 'kent'):.0f}\n")
    assert issued_packs.revisions(con, pack.pack_id, _briefing(con).overview).empty


def test_a_late_return_after_issue_is_named_as_late(con):
    """Gwent's return taken out before the pack is issued (the rollups rebuilt to match), then loaded late."""
    with transaction(con) as cursor:
        cursor.execute(
            "delete from weekly_return where week_ending = $week and org_code = 'gwent'", {"week": LATEST_WEEK}
        )
        rollups.rebuild(cursor)
    pack, _ = _issue(con)
    _load(con, f"{LATEST_WEEK},gwent,oic_arrests,5\n")
    table = issued_packs.revisions(con, pack.pack_id, _briefing(con).overview).set_index("Figure")
    assert table.loc["OIC arrests", "Why"] == (
        "Late returns from Gwent Police (Arrests none to 5, week ending 22 Nov 2026)."
    )
    assert "Complete returns" not in table.index  # one measure is a partial return: still 48 complete of 49


def test_for_wider_circulation_the_why_names_no_organisation(con):
    """Before: 'Resubmitted by Kent Police.' beside the change gave Kent's change; now no name."""
    pack, _ = _issue(con)
    kent = _arrests(con, "kent")
    _load(con, f"{LATEST_WEEK},kent,oic_arrests,{kent + 7:.0f}\n")
    why = (
        issued_packs.revisions(con, pack.pack_id, _briefing(con).overview, wider_circulation=True)
        .set_index("Figure")
        .loc["OIC arrests", "Why"]
    )
    assert why == "Resubmitted."


def _forge(con, pack_id: int, content: bytes = b"EVIL") -> None:
    """A row put in the store by hand: a file, its SHA-256, no seal."""
    con.execute(
        "insert into issued_pack (pack_id, week_ending, issue_number, issued_at, issued_by, "
        "wider_circulation, provisional, last_upload_id, data_version, file_name, sha256, size_bytes, "
        "content) values ($id, $week, 9, $at, 'analyst.one', false, false, 0, 0, 'forged.pptx', $sha, $size, "
        "$content)",
        {
            "id": pack_id,
            "week": LATEST_WEEK,
            "at": ISSUED_AT,
            "content": content,
            "sha": hashlib.sha256(content).hexdigest(),
            "size": len(content),
        },
    )


@pytest.mark.parametrize("pack_id", [-1, 0, 1000])
def test_a_pack_without_a_seal_that_the_key_does_not_record_is_altered(con, pack_id):
    """Given a key (its packs sealed), when a real pack is deleted and a row is put in with no seal, numbered 0,
    below 0 or past the newest, then it is refused as altered (before: ids 0 and below passed as 'issued before
    packs were sealed', since they were below the key's first sealed pack)."""
    pack, _ = _issue(con)
    con.execute("delete from issued_figure; delete from issued_pack")
    _forge(con, pack_id)
    for key in (KEY, PackKey(KEY.secret, {pack.pack_id: pack.sha256})):
        with pytest.raises(PackAltered):
            issued_packs.issued_file(con, pack_id, key)


def test_a_pack_from_before_sealing_replaced_with_its_hash_is_altered(con):
    """The key records the SHA-256 of each pack issued before it, so such a pack replaced with file and hash
    together is caught too."""
    _forge(con, 1, b"as issued")
    _replace_file_and_hash(con, 1, b"EVIL")
    with pytest.raises(PackAltered):
        issued_packs.issued_file(con, 1, PackKey(KEY.secret, {1: hashlib.sha256(b"as issued").hexdigest()}))


def test_a_pack_renumbered_is_caught(con):
    """Every column of the row goes with the pack to another number: the seal covers the number too."""
    pack, _ = _issue(con)
    con.execute(
        "create temp table moved as select * from issued_pack; delete from issued_figure; "
        "delete from issued_pack; insert into issued_pack select * replace (pack_id + 50 as pack_id) "
        "from moved"
    )
    with pytest.raises(PackAltered):
        issued_packs.issued_file(con, pack.pack_id + 50, KEY)


def test_a_pack_sealed_under_the_first_version_of_the_seal_still_verifies(con):
    """A seal made before every column was sealed (bare hex of week, issue, time, issuer, name and hash) is
    checked as it was made."""
    pack, content = _issue(con)
    row = con.execute("select * from issued_pack where pack_id = $id", {"id": pack.pack_id}).fetchone()
    described = dict(zip([column[0] for column in con.description], row, strict=True))
    con.execute(
        "update issued_pack set hmac_sha256 = $seal where pack_id = $id",
        {"seal": issued_packs.seal(KEY, described, version=1), "id": pack.pack_id},
    )
    issued = issued_packs.issued_file(con, pack.pack_id, KEY)
    assert issued.sealed and issued.content == content


def test_for_wider_circulation_two_or_more_organisations_are_counted_never_named():
    rows = pd.DataFrame({"org_name": ["Gwent Police", "Kent Police", "Kent Police"]})
    assert issued_packs._wider_words("Late returns from", rows) == "Late returns from 2 organisations"
    assert issued_packs._wider_words("Late returns from", rows.head(1)) == "Late returns"


def test_a_pack_issued_when_complete_returns_were_called_received_still_compares(con):
    """Packs issued before the figure was named for what it counts stored it as 'Returns received': it is the
    same figure, so with nothing changed nothing is revised (without the mapping it read 'no longer shown')."""
    pack, _ = _issue(con)
    with transaction(con) as cursor:
        cursor.execute(
            "update issued_figure set figure = 'Returns received' where pack_id = $pack and figure = $name",
            {"pack": pack.pack_id, "name": issued_packs.COMPLETE_RETURNS},
        )
    assert issued_packs.revisions(con, pack.pack_id, _briefing(con).overview).empty
