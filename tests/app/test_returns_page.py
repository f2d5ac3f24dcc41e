"""AppTest of Weekly returns: a good file previews and commits; a bad one shows its problems and commits
nothing; the completeness tracker, the audit log and the templates render."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.local_script_runner import LocalScriptRunner

from tests.conftest import LATEST_WEEK, count_in, run_page

WEEK = LATEST_WEEK.isoformat()


@pytest.fixture
def page_db(writable_db_path, tmp_path, monkeypatch):
    monkeypatch.setenv("TASKFORCE_DB", str(writable_db_path))
    monkeypatch.setenv("TASKFORCE_UPLOADS", str(tmp_path / "uploads"))
    return writable_db_path


def _open(**query) -> AppTest:
    return run_page("returns", **query)


def test_a_good_file_previews_then_commits(page_db):
    at = _open(section="Load a return")
    raw = f"week_ending,org_code,measure_code,value\n{WEEK},gwent,oic_arrests,3\n{WEEK},kent,oic_arrests,30\n".encode()
    at.file_uploader(key="return_file").set_value(("gwent.csv", raw, "text/csv")).run()
    assert not at.exception
    assert any("The file is sound: 2 values. New 1; replacing an earlier value 1" in s.value for s in at.success)
    assert count_in(page_db, "select count(*) from upload where not is_demo") == 0  # nothing written by a preview
    at.button(key="commit_return").click().run()
    assert any("Loaded 2 values" in s.value for s in at.success)
    assert (
        count_in(
            page_db, f"select count(*) from weekly_return where org_code = 'gwent' and week_ending = date '{WEEK}'"
        )
        == 1
    )


def test_a_session_moved_to_another_server_is_told_to_load_the_file_again(page_db, monkeypatch):
    """Given a file previewed on one server, when "Load these values" reaches a server that does not hold the
    file (behind nginx the session moved to another server, or its own started again and forgot it), then the
    page says plainly that nothing was stored and to choose the file again, and nothing is stored.
    (Before: the page did nothing and said nothing.)"""
    at = _open(section="Load a return")
    raw = f"week_ending,org_code,measure_code,value\n{WEEK},gwent,oic_arrests,3\n".encode()
    at.file_uploader(key="return_file").set_value(("gwent.csv", raw, "text/csv")).run()
    assert any("The file is sound" in s.value for s in at.success)
    monkeypatch.setattr(LocalScriptRunner, "register_file", lambda runner, record: None)  # a server without it
    at.button(key="commit_return").click().run()
    assert not at.exception
    assert any("nothing was stored" in w.value and "choose the file again" in w.value for w in at.warning)
    assert count_in(page_db, "select count(*) from upload where not is_demo") == 0


def test_a_bad_file_shows_its_problems_and_commits_nothing(page_db):
    before = count_in(page_db, "select count(*) from weekly_return")
    at = _open(section="Load a return")
    raw = b"week_ending,org_code,measure_code,value\n2026-11-21,gwent,oic_arrests,3\n2026-11-22,kentt,oic_arrests,1\n"
    at.file_uploader(key="return_file").set_value(("bad.csv", raw, "text/csv")).run()
    assert not at.exception
    assert any("cannot be loaded: 2 problem(s)" in e.value for e in at.error)
    problems = at.dataframe[0].value
    assert list(problems["Row"]) == [2, 3] and list(problems["Column"]) == ["week_ending", "org_code"]
    assert not [b for b in at.button if b.key == "commit_return"]
    assert count_in(page_db, "select count(*) from weekly_return") == before
    assert count_in(page_db, "select count(*) from upload where status = 'rejected'") == 1


def test_a_value_with_html_is_shown_as_text(page_db):
    at = _open(section="Load a return")
    raw = b"week_ending,org_code,measure_code,value\n2026-11-22,<img src=x onerror=alert(1)>,oic_arrests,1\n"
    at.file_uploader(key="return_file").set_value(("x.csv", raw, "text/csv")).run()
    assert "<img src=x onerror=alert(1)>" in list(at.dataframe[0].value["Value"])
    assert not any("<img" in md.value for md in at.markdown)


@pytest.mark.parametrize("section", ["Completeness", "Audit log", "Templates"])
def test_each_section_renders(page_db, section):
    at = _open(section=section)
    assert not at.exception


def test_the_chase_list_is_the_week_the_returns_reached_exceptions_only_worst_first(demo_db_path, db):
    """Given the demo whose returns reach the week ending 22 Nov 2026 (the clock is days later), the chase list
    is for 22 Nov, never the clock's week ("Missing for the week ending 29 Nov 2026: 49 of 49" before), and
    lists only the missing, partial and late returns, in that order, as direct SQL finds them."""
    at = _open(section="Completeness")
    assert not at.exception
    assert any(
        h.value == f"To chase for the week ending 22 Nov 2026: {len(at.dataframe[0].value)} of 49" for h in at.subheader
    )
    chase = at.dataframe[0].value
    expected = (
        db.cursor()
        .execute(
            """
        select o.name, case when s.org_code is null then 'Missing' when not s.complete then 'Partial' else 'Late' end
        from org o left join return_status s on s.org_code = o.code and s.week_ending = $week
        where o.expected_to_return and (s.org_code is null or not s.complete or s.receipt_status = 'Late')""",
            {"week": LATEST_WEEK},
        )
        .fetchall()
    )
    assert sorted(zip(chase["Organisation"], chase["Return"], strict=True)) == sorted(expected)
    order = {"Missing": 0, "Partial": 1, "Late": 2}
    assert chase["Return"].map(order).is_monotonic_increasing
    assert "Contact" not in chase.columns  # the reference data names no contact yet


def test_the_twelve_week_grid_shows_the_organisations_with_exceptions_not_a_wall_of_on_time(demo_db_path):
    at = _open(section="Completeness")
    grid = at.dataframe[1].value
    assert len(grid.columns) == 13 and 0 < len(grid) < 49
    assert "On time" not in set(grid.iloc[:, 1:].to_numpy().ravel())
    assert (grid.iloc[:, 1:].isin(["Missing", "Partial", "Late"])).any(axis=1).all()
    assert any("others were on time every week" in md.value for md in at.markdown)
