"""The PowerPoint pack: seven slides, native charts whose numbers equal direct SQL, the marking on every slide,
and the "what changed" statements in the speaker notes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pptx import Presentation

from taskforce.briefing.contents import SLIDES, build_briefing
from taskforce.briefing.pack import build_pack
from taskforce.core.queries import run_query
from tests.conftest import LATEST_WEEK

MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture(scope="module")
def briefing(db):
    return build_briefing(
        lambda name, params: run_query(db, name, params), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9, 30)
    )


@pytest.fixture(scope="module")
def deck(briefing) -> Presentation:
    return Presentation(io.BytesIO(build_pack(briefing, MARKING)))


def _texts(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_the_pack_has_a_slide_for_each_part_of_the_briefing(deck):
    assert len(deck.slides) == len(SLIDES) == 8


def test_the_marking_is_on_every_slide(deck):
    for slide in deck.slides:
        assert _texts(slide).count(MARKING) == 2  # top and bottom


def test_the_title_slide_gives_the_week_and_the_one_data_up_to_date_not_the_clock(deck):
    text = _texts(deck.slides[0])
    assert "Week ending 22 Nov 2026" in text and "Data up to week ending 22 Nov 2026" in text
    assert "28 Nov 2026" not in text  # the moment the pack was built is not a second "as at" date
    assert "Demo data" in text


def test_charts_are_native_chart_objects_not_pictures(deck):
    charts = [shape for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) >= 3
    assert not [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]  # PICTURE


def test_the_trend_chart_numbers_equal_direct_sql(deck, db):
    chart = next(shape.chart for shape in deck.slides[4].shapes if shape.has_chart)
    arrests = list(chart.plots[0].series[0].values)
    expected = [
        row[0]
        for row in db.execute(
            """
        select sum(value) from weekly_return where measure_code = 'oic_arrests'
        and week_ending between $w - interval 175 day and $w group by week_ending order by week_ending""",
            {"w": LATEST_WEEK},
        ).fetchall()
    ]
    assert arrests == expected


def test_the_recommendation_counts_equal_direct_sql(deck, db):
    chart = next(shape.chart for shape in deck.slides[2].shapes if shape.has_chart)
    counts = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values, strict=False))
    assert sum(counts.values()) == 10
    complete = db.execute(
        """select count(*) from recommendation r where (select status from rec_update u
        where u.recommendation = r.number and u.org_code is null and u.as_of_date <= $w
        order by as_of_date desc, recorded_at desc, id desc limit 1) = 'Complete'""",
        {"w": LATEST_WEEK},
    ).fetchone()[0]
    assert counts["Complete"] == complete


def test_the_force_map_is_native_shapes_one_per_force(deck):
    hexagons = [
        shape
        for shape in deck.slides[3].shapes
        if shape.has_text_frame and shape.text_frame.text in ("KNT", "MPS", "COL", "PSNI", "BTP")
    ]
    assert len(hexagons) == 5


def test_speaker_notes_hold_what_changed(deck, briefing):
    notes = deck.slides[1].notes_slide.notes_text_frame.text
    assert briefing.overview.statements[0] in notes


def test_the_missing_returns_slide_names_them(deck, briefing):
    text = _texts(deck.slides[6])
    assert all(name in text for name in briefing.missing)


def test_the_command_line_writes_the_pack(demo_db_path, tmp_path):
    import subprocess
    import sys

    from tests.conftest import PROJECT_ROOT

    out = tmp_path / "pack.pptx"
    # a copy of the database, because this test process holds the session's file open
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(demo_db_path.read_bytes())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskforce",
            "export-briefing",
            "--week",
            LATEST_WEEK.isoformat(),
            "--out",
            str(out),
            "--db",
            str(copy),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(Presentation(str(out)).slides) == 8
    saturday = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskforce",
            "export-briefing",
            "--week",
            "2026-11-21",
            "--out",
            str(out),
            "--db",
            str(copy),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert saturday.returncode == 2 and "not a Sunday" in saturday.stderr
    before_any = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskforce",
            "export-briefing",
            "--week",
            "2019-01-06",
            "--out",
            str(tmp_path / "none.pptx"),
            "--db",
            str(copy),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert before_any.returncode == 1 and "No returns for the week ending 2019-01-06" in before_any.stderr
    assert not (tmp_path / "none.pptx").exists()


def test_the_command_line_issues_the_pack_for_a_scheduled_job(writable_db_path, tmp_path):
    """--issue stores the pack as issued (twice: both kept) and says so; the exit codes say what happened."""
    import hashlib
    import subprocess
    import sys

    from taskforce.core.db import connect
    from taskforce.store import snapshots
    from tests.conftest import PROJECT_ROOT

    def export(*extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "taskforce", "export-briefing", "--db", str(writable_db_path), *extra],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )

    out = tmp_path / "issued.pptx"
    first = export("--week", LATEST_WEEK.isoformat(), "--issue", "--by", "scheduled job", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "Issued: Week ending 22 Nov 2026, issue 1, by scheduled job, SHA-256 " in first.stdout
    second = export("--week", LATEST_WEEK.isoformat(), "--issue")
    assert second.returncode == 0 and "issue 2" in second.stdout
    assert export("--week", "2019-01-06", "--issue").returncode == 1  # no returns for that week
    assert export("--week", LATEST_WEEK.isoformat()).returncode == 2  # neither --out nor --issue
    con = connect(writable_db_path)
    try:
        rows = con.execute(
            "select issue_number, issued_by, sha256, content, snapshot from issued_pack order by 1"
        ).fetchall()
    finally:
        con.close()
    assert [row[:2] for row in rows] == [(1, "scheduled job"), (2, rows[1][1])]
    assert rows[0][2] == hashlib.sha256(out.read_bytes()).hexdigest() == hashlib.sha256(rows[0][3]).hexdigest()
    # the pack records the snapshot it was built from: in the archive, in the file, and on its title slide
    built_from = next(snapshot for snapshot in snapshots.listing(writable_db_path) if snapshot.name == rows[0][4])
    deck = Presentation(str(out))
    assert deck.core_properties.identifier == built_from.label
    assert built_from.label in " ".join(
        shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame
    )
    assert f"from {built_from.label}" in first.stdout


def test_each_slide_is_titled_by_its_finding_with_speaker_notes_that_explain_it(db):
    """The pack's titles are the findings (e.g. '3 recommendations overdue: 4, 6 and 7'), each slide has an
    overline with its topic, and the notes give definitions, the method and the caveats."""
    import datetime as dt
    import io
    from functools import partial

    from pptx import Presentation

    from taskforce.briefing.contents import build_briefing
    from taskforce.briefing.findings import headings
    from taskforce.briefing.pack import build_pack
    from taskforce.core.queries import run_query
    from tests.conftest import LATEST_WEEK

    briefing = build_briefing(partial(run_query, db), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9))
    expected = headings(briefing)
    deck = Presentation(io.BytesIO(build_pack(briefing, "OFFICIAL-SENSITIVE")))
    for slide, heading in zip(deck.slides, expected, strict=True):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        assert heading.finding in texts and heading.topic.upper() in texts
        assert "Demo data" in slide.notes_slide.notes_text_frame.text
    assert expected[2].finding.endswith("overdue: 4, 6 and 7")
    assert "making data count" in deck.slides[1].notes_slide.notes_text_frame.text.lower()
    assert "OIC arrests:" in deck.slides[3].notes_slide.notes_text_frame.text


def test_the_overviews_message_is_the_slides_findings_in_their_words_exceptions_first(briefing):
    """The overview leads with the briefing's own findings, computed once (the same words as the slide titles),
    the exceptions first: overdue recommendations, then returns not in, then figures beyond their limits, then
    overdue actions (the demo records some)."""
    from taskforce.briefing.findings import headings, message

    said, titles = message(briefing), [heading.finding for heading in headings(briefing)]
    shown = [heading.finding for heading in said.exceptions + said.findings]
    assert sorted(shown) == sorted(titles[1:])  # every slide's finding but the title slide's, once each
    assert said.exceptions and said.exceptions[0].topic == "Recommendations"  # the demo has overdue ones
    assert [h.topic for h in said.exceptions] == [
        t
        for t in ("Recommendations", "Missing returns", "Headlines", "Actions")
        if t in {h.topic for h in said.exceptions}
    ]
