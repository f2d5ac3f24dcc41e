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
from tests.conftest import LATEST_WEEK

ISSUED_AT = dt.datetime(2026, 11, 23, 9, 30)
LATER = dt.datetime(2026, 11, 24, 14, 0)


def _briefing(con):
    return build_briefing(partial(run_query, con), LATEST_WEEK, 0.5, ISSUED_AT, LATEST_WEEK)


def _issue(con, by: str = "analyst.one"):
    briefing = _briefing(con)
    content = build_pack(briefing, "OFFICIAL-SENSITIVE")
    return archive.issue(con, briefing, content, by, ISSUED_AT, wider_circulation=False), content


def _load(con, rows: str) -> None:
    raw = ("week_ending,org_code,measure_code,value\n" + rows).encode()
    outcome, checked = intake.load(con, "later.csv", raw, "analyst.two", LATER, confirm_warnings=True)
    assert outcome.status == "committed", [problem.message for problem in checked.problems]


def _arrests(con, org: str) -> float:
    return con.execute("select value from weekly_return where week_ending = $week and org_code = $org "
                       "and measure_code = 'oic_arrests'", {"week": LATEST_WEEK, "org": org}).fetchone()[0]


def test_an_issued_pack_is_kept_unchanged_with_who_when_checksum_and_data(con):
    pack, content = _issue(con)
    name, stored = archive.issued_file(con, pack.pack_id)
    assert stored == content
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
    assert archive.issued_file(con, first.pack_id)[0] != archive.issued_file(con, second.pack_id)[0]


def test_a_pack_altered_in_storage_is_refused(con):
    pack, _ = _issue(con)
    con.execute("update issued_pack set content = $junk where pack_id = $id", {"junk": b"junk", "id": pack.pack_id})
    with pytest.raises(archive.PackAltered):
        archive.issued_file(con, pack.pack_id)


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
