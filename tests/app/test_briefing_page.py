"""AppTest of the weekly briefing: each slide renders; ?week= and ?slide= select them; Next moves on."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import run_page

TOPICS = [
    "OIC DOMESTIC TASKFORCE: WEEKLY BRIEFING",
    "HEADLINES",
    "RECOMMENDATIONS",
    "FORCE MAP",
    "ARRESTS AND CHARGES",
    "PARTNERSHIP",
    "MISSING RETURNS",
    "ACTIONS",
]


def _findings(db) -> list[str]:
    import datetime as dt
    from functools import partial

    from taskforce.briefing.contents import build_briefing
    from taskforce.briefing.findings import headings
    from taskforce.core.queries import run_query
    from tests.conftest import LATEST_WEEK

    # status as at the data-up-to date, as the page has it (never the clock: the demo's actions fall due by it)
    briefing = build_briefing(partial(run_query, db), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9))
    return [heading.finding for heading in headings(briefing)]


def _open(**query) -> AppTest:
    return run_page("briefing", **query)


@pytest.mark.parametrize("slide", range(1, 9))
def test_each_slide_renders_with_the_marking_its_topic_and_its_finding_as_title(demo_db_path, db, slide):
    """Given a slide, its title is the finding in words (the same as the pack's), its topic an overline."""
    at = _open(slide=str(slide))
    assert not at.exception
    assert at.title[0].value == _findings(db)[slide - 1]
    assert any(caption.value == TOPICS[slide - 1] for caption in at.caption)
    assert any("OFFICIAL-SENSITIVE · Slide" in caption.value for caption in at.caption)


def test_the_week_in_the_url_selects_the_week(demo_db_path):
    at = _open(week="2025-09-14", slide="1")
    assert at.title[0].value.startswith("Week ending 14 Sep 2025: ")


def test_next_and_previous_move_between_slides(demo_db_path):
    at = _open(slide="2")
    at.button(key="next_slide").click().run()
    assert any(caption.value == TOPICS[2] for caption in at.caption)
    at.button(key="previous_slide").click().run()
    assert any(caption.value == TOPICS[1] for caption in at.caption)


def test_presentation_mode_shows_the_slide_and_its_keys_without_the_controls(demo_db_path):
    at = _open(present="1", slide="4", week="2025-09-14")
    assert not at.exception
    assert not at.selectbox and not at.code  # no week or slide chooser, no link box
    assert any("Slide 4 of 8 · Week ending 14 Sep 2025" in caption.value for caption in at.caption)
    keys = {button.key: button for button in at.button if button.key}
    assert {"slide_key_PageDown", "slide_key_Space", "slide_key_PageUp", "slide_key_Home", "slide_key_End"} <= set(keys)
    keys["slide_key_End"].click().run()
    assert at.query_params["slide"] == "8"
    assert any("Slide 8 of 8" in caption.value for caption in at.caption)


def test_a_slide_number_out_of_range_in_presentation_opens_the_first(demo_db_path):
    at = _open(present="1", slide="99")
    assert not at.exception
    assert any("Slide 1 of 8" in caption.value for caption in at.caption)


def _issue(at: AppTest) -> AppTest:
    at.button(key="issue_pack").click().run()
    assert not at.exception
    return at


def test_issuing_twice_keeps_both_in_the_archive_and_a_resubmission_flags_the_week(
    writable_db_path, tmp_path, monkeypatch
):
    import datetime as dt

    from taskforce.returns import intake
    from taskforce.store.writing import writing
    from tests.conftest import LATEST_WEEK

    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    at = _open(week=LATEST_WEEK.isoformat(), slide="2")
    assert "No pack has been issued yet" in " ".join(caption.value for caption in at.caption)
    _issue(_issue(at))
    assert any(success.value.startswith("Issued: Week ending 22 Nov 2026, issue 2") for success in at.success)
    archive = next(grid.value for grid in at.dataframe if "Issue" in grid.value.columns)  # beside the actions
    assert list(archive["Issue"]) == [2, 1]
    assert not any("Revised since briefed" in warning.value for warning in at.warning)

    with writing(writable_db_path) as con:  # a resubmission, loaded and published as the dashboard loads one
        kent = con.execute(
            "select value from weekly_return where week_ending = $week and org_code = 'kent' "
            "and measure_code = 'oic_arrests'",
            {"week": LATEST_WEEK},
        ).fetchone()[0]
        raw = f"week_ending,org_code,measure_code,value\n{LATEST_WEEK},kent,oic_arrests,{kent + 5:.0f}\n".encode()
        assert intake.load(con, "kent.csv", raw, "analyst", dt.datetime(2026, 11, 24, 9), True)[0].status == "committed"
    at = _open(week=LATEST_WEEK.isoformat(), slide="2")
    flags = [warning.value for warning in at.warning if "Revised since briefed" in warning.value]
    assert flags and "OIC arrests" in flags[0]
    assert any("Revised since briefed" in caption.value for caption in at.caption if "Slide 2" in caption.value)
    revised = next(grid.value for grid in at.dataframe if "Figure" in grid.value.columns)
    assert "Resubmitted by Kent Police" in revised.set_index("Figure").loc["OIC arrests", "Why"]


def _archived_download(at: AppTest) -> list:
    return [button for button in at.get("download_button") if "as issued" in str(button.proto.label)]


@pytest.fixture
def issued_on_the_page(writable_db_path, tmp_path, monkeypatch):
    """A pack issued through the page (sealed with the store's key), on a private copy of the demo."""
    from tests.conftest import LATEST_WEEK

    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    at = _issue(_open(week=LATEST_WEEK.isoformat(), slide="2"))
    assert _archived_download(at)
    assert any("its SHA-256 and its seal checked on download" in caption.value for caption in at.caption)
    return writable_db_path


def _change_the_issued_pack(database, assignment: str, params: dict | None = None) -> None:
    """Change the stored pack directly in the store, then publish (as anyone who can write the store could)."""
    from taskforce.store.writing import writing

    with writing(database) as con:
        con.execute(f"update issued_pack set {assignment}", params or {})


def test_a_pack_altered_with_its_hash_says_so_and_is_not_offered(issued_on_the_page):
    """Given a pack issued on the page, when its file and its recorded SHA-256 are replaced together in the
    store, then the Briefing archive says the pack has been altered since it was issued, and offers no download
    (not the redacted error; before, the new file was offered as issued)."""
    import hashlib

    forged = b"a forged pack"
    _change_the_issued_pack(
        issued_on_the_page,
        "content = $content, sha256 = $sha",
        {"content": forged, "sha": hashlib.sha256(forged).hexdigest()},
    )
    at = _open(slide="2")
    assert not at.exception
    assert any(
        error.value.startswith("This pack has been altered since it was issued on ")
        and error.value.endswith("; it is not offered for download.")
        for error in at.error
    )
    assert not _archived_download(at)


def test_a_pack_issued_before_packs_were_sealed_says_it_cannot_be_verified_beyond_its_hash(issued_on_the_page):
    """A pack without a seal, numbered below the first pack the key sealed (a key file written before the key
    listed the packs it found), is offered, saying that it cannot be verified beyond its hash."""
    key_file = issued_on_the_page.with_name(issued_on_the_page.name + ".pack-key")
    secret = next(line for line in key_file.read_text().splitlines() if line.startswith("key = "))
    key_file.write_text(f"{secret}\nsealed_from_pack = 2\n")
    _change_the_issued_pack(issued_on_the_page, "hmac_sha256 = null")
    at = _open(slide="2")
    assert not at.exception and _archived_download(at)
    assert any("cannot be verified beyond its hash" in caption.value for caption in at.caption)


def test_a_garbage_key_says_the_key_is_unreadable_and_offers_no_pack(issued_on_the_page):
    """Given an issued pack and its key file overwritten with garbage, the Briefing archive says plainly that the
    key cannot be read and offers no pack, and issuing says the same (before: Streamlit's redacted error)."""
    key_file = issued_on_the_page.with_name(issued_on_the_page.name + ".pack-key")
    key_file.write_text("garbage [")
    at = _open(slide="2")
    assert not at.exception and not _archived_download(at)
    assert any("cannot be read" in error.value and "no sealed pack is offered" in error.value for error in at.error)
    _issue(at)
    assert any("cannot be read" in error.value and "none is issued" in error.value for error in at.error)
    assert not any(success.value.startswith("Issued:") for success in at.success)
