"""The rules a government statistician asked for: stocks carried forward, complete weeks before comparison,
verdicts only beyond normal variation, no percentages on small bases, and the pack labelled. Run on a demo built
as of a Monday (when most returns for the week just ended are not in) as well as the usual Saturday one."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from pptx import Presentation

from taskforce.analysis import headlines, variation
from taskforce.analysis.overview import weekly_overview
from taskforce.briefing.contents import build_briefing
from taskforce.briefing.pack import build_pack
from taskforce.core.db import connect
from taskforce.core.queries import run_query
from taskforce.demo.build import build_demo_database
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Judgement
from taskforce.release.position import position_from
from tests.conftest import LATEST_WEEK

MONDAY = dt.date(2026, 11, 30)
NEWEST_ON_MONDAY = dt.date(2026, 11, 29)  # the week just ended: most of its returns are not in yet


@pytest.fixture(scope="module")
def monday(tmp_path_factory):
    path = build_demo_database(tmp_path_factory.mktemp("monday") / "monday.duckdb", as_of=MONDAY).path
    con = connect(path)
    yield con
    con.close()


def _runner(con):
    return lambda name, params: run_query(con, name, params)


def _national(con, code: str, week: dt.date) -> float:
    totals = run_query(con, "national_weekly_totals", {"from": week, "to": week})
    return float(totals.loc[totals["measure_code"] == code, "value"].iloc[0])


def test_a_stock_does_not_fall_when_returns_are_missing(monday):
    """Given the Monday demo, where most organisations have not yet returned the week just ended,
    then officers trained (a cumulative stock) nationally is carried forward, not a fall to the few returns in."""
    newest, before = (
        _national(monday, "officers_trained", NEWEST_ON_MONDAY),
        _national(monday, "officers_trained", NEWEST_ON_MONDAY - dt.timedelta(weeks=1)),
    )
    assert newest >= 0.99 * before
    totals = run_query(monday, "national_weekly_totals", {"from": NEWEST_ON_MONDAY, "to": NEWEST_ON_MONDAY})
    stock = totals[totals["measure_code"] == "officers_trained"].iloc[0]
    assert stock["carried_organisations"] > 0  # and the carrying is flagged


def test_a_stock_is_not_carried_beyond_eight_weeks(monday):
    carried = run_query(monday, "national_weekly_totals", {"from": NEWEST_ON_MONDAY, "to": NEWEST_ON_MONDAY})
    assert not carried.empty
    gaps = monday.execute("select max(week_ending - reported_week) from org_week_figure where carried").fetchone()[0]
    assert gaps <= 56  # days


def test_the_default_week_on_a_monday_is_the_last_complete_one(monday):
    reporting = run_query(monday, "reporting_weeks", {})
    assert headlines.default_week(reporting) == NEWEST_ON_MONDAY - dt.timedelta(weeks=1)


def test_a_newer_provisional_week_is_labelled_and_judges_nothing(monday):
    """Given the Monday demo's newest week (few returns in), when it is chosen,
    then it is provisional, says 'Provisional: x of y returns', calls no change good or bad, and the missing
    returns are the first statement."""
    overview = weekly_overview(_runner(monday), NEWEST_ON_MONDAY)
    summary = overview.returns_summary
    assert summary.provisional
    assert summary.provisional_words().startswith(f"Provisional: {summary.complete} of 49 returns")
    assert {card.judgement for card in overview.cards} == {Judgement.PROVISIONAL}
    assert "not yet received" in overview.statements[0]
    assert any("no change in them is judged yet" in statement for statement in overview.statements)


def test_verdicts_follow_the_control_limits_not_the_size_of_a_change():
    weeks = pd.date_range("2026-01-04", periods=13, freq="7D")
    previous = [50, 55, 48, 60, 52, 58, 49, 51, 57, 53, 50, 56]
    item = measure("oic_arrests")

    def verdict(code, value):
        control = variation.xmr(pd.Series(previous + [value], index=weeks))
        assert control is not None
        return control.judge(measure(code))

    assert verdict("oic_arrests", 62) is Judgement.WITHIN  # up 6 on last week: common cause
    assert verdict("oic_arrests", 90) is Judgement.GOOD
    assert verdict("oic_arrests", 10) is Judgement.BAD
    assert verdict("migrants_encountered", 900) is Judgement.NEUTRAL
    assert variation.xmr(pd.Series(previous[:5] + [60], index=weeks[:6])) is None  # too little history
    assert variation.judge(item, 90, None) is Judgement.UNKNOWN


def test_a_quiet_count_is_not_made_unusual_by_a_small_change():
    """Twelve weeks of exactly 2 have no moving range, but a count of 2 varies by chance: the Poisson limits
    keep 5 common cause."""
    control = variation.xmr(pd.Series([2.0] * 12 + [5.0]))
    assert control is not None and control.method == variation.POISSON
    assert control.judge(measure("oic_arrests")) is Judgement.WITHIN


def test_a_rate_on_a_small_base_has_wide_limits():
    wide = variation.rate_limits([5] * 12, [10] * 12, this_denominator=4)
    narrow = variation.rate_limits([500] * 12, [1000] * 12, this_denominator=400)
    assert wide is not None and narrow is not None
    assert (wide.upper - wide.lower) > 5 * (narrow.upper - narrow.lower)


def test_every_headline_card_states_its_method_in_words(db):
    overview = weekly_overview(_runner(db), LATEST_WEEK)
    for card in overview.cards:
        words = card.variation_words()
        assert "variation" in words or "Too little history" in words


def test_every_slide_of_a_demo_pack_says_demo_data(db):
    briefing = build_briefing(_runner(db), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9))
    deck = Presentation(io.BytesIO(build_pack(briefing, "OFFICIAL-SENSITIVE")))
    for number, slide in enumerate(deck.slides, start=1):
        text = " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        assert "DEMO DATA" in text, f"slide {number}"
        assert "OFFICIAL-SENSITIVE" in text, f"slide {number}"


def test_the_pack_map_legend_has_a_swatch_for_every_class(db):
    briefing = build_briefing(_runner(db), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9))
    deck = Presentation(io.BytesIO(build_pack(briefing, "OFFICIAL-SENSITIVE")))
    force_map = deck.slides[3]
    rectangles = [shape for shape in force_map.shapes if shape.shape_type == 1 and shape.width < 400_000]
    assert len(rectangles) >= len(briefing.map_classes.colours) + 1  # and one for no return


def test_the_year_on_year_sentence_names_an_event_and_gives_the_figure_without_it(db):
    """Given the 12 weeks to 22 Nov 2026, whose same weeks last year include Operation Lockstream's spike,
    then the sentence names the operation and gives the change without its weeks too."""
    briefing = build_briefing(_runner(db), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9))
    assert "Operation Lockstream" in briefing.year_on_year
    assert "without those weeks in both years" in briefing.year_on_year


def test_tasking_completion_in_the_pack_is_a_12_week_ratio_never_above_100_percent(db):
    briefing = build_briefing(_runner(db), LATEST_WEEK, 0.5, dt.datetime(2026, 11, 28, 9))
    assert briefing.partnership["tasking_completion"].max() <= 1.0
    assert len(briefing.partnership) == 12


def test_one_as_of_date_for_recommendation_status_on_every_page(db):
    """Status for the headline week is as at the data-up-to date the returns reached (never the clock's today,
    as it was), the same date the Recommendations page reads it at; an earlier week shows it as it stood at
    that week's end."""
    position = position_from(run_query(db, "reporting_weeks", {}))
    assert position.status_date_for(LATEST_WEEK) == position.data_up_to == LATEST_WEEK
    earlier = LATEST_WEEK - dt.timedelta(weeks=4)
    assert position.status_date_for(earlier) == earlier
    overview = weekly_overview(_runner(db), LATEST_WEEK, position.status_date_for(LATEST_WEEK))
    page = run_query(db, "recommendation_status", {"as_of": position.status_date})
    assert overview.recommendations["percent_complete"].tolist() == page["percent_complete"].tolist()


def test_a_force_that_rarely_arrests_is_not_flagged_for_one_arrest():
    """A force averaging 0.05 arrests a week will sometimes have one: the Poisson range keeps 1 within normal
    variation (an earlier rule flagged it 'above its normal range (0 to 1)')."""
    assert variation.poisson_range(0.05) == (0, 1)
    control = variation.xmr(pd.Series([0.0] * 11 + [1.0] + [1.0]))
    assert control is not None and control.judge(measure("oic_arrests")) is Judgement.WITHIN
    assert variation.poisson_range(100)[0] > 60 and variation.poisson_range(100)[1] < 140


@pytest.mark.parametrize(
    "as_of, headline_week", [(dt.date(2026, 11, 29), dt.date(2026, 11, 22)), (MONDAY, dt.date(2026, 11, 22))]
)
def test_on_a_sunday_and_a_monday_the_headline_week_is_complete(tmp_path, as_of, headline_week):
    con = connect(build_demo_database(tmp_path / "demo.duckdb", as_of=as_of).path)
    try:
        week = headlines.default_week(run_query(con, "reporting_weeks", {}))
        overview = weekly_overview(_runner(con), week)
    finally:
        con.close()
    assert week == headline_week and not overview.returns_summary.provisional


def test_for_wider_circulation_no_statement_names_a_single_organisations_counts(db):
    overview = weekly_overview(_runner(db), LATEST_WEEK)
    assert any("Dyfed-Powys" in statement for statement in overview.statements)
    assert not any("nil return" in statement for statement in overview.wider_statements)
    assert "not yet received" in overview.wider_statements[0]


def test_a_provisional_week_s_briefing_ranks_and_compares_on_the_newest_complete_week(monday):
    """On the Monday (few returns in for the newest week) the briefing of that week makes its year-on-year
    change, its force ranking and its debrief-rate-against-target on the complete week before: before, they
    were 'down 27%' (v -22% for complete weeks), partial forces left out of the ranking, a partial week's rate."""
    provisional = build_briefing(_runner(monday), NEWEST_ON_MONDAY, 0.5, dt.datetime(2026, 11, 30, 9))
    complete = build_briefing(
        _runner(monday), NEWEST_ON_MONDAY - dt.timedelta(weeks=1), 0.5, dt.datetime(2026, 11, 30, 9)
    )
    assert provisional.overview.returns_summary.provisional
    assert provisional.year_on_year == complete.year_on_year
    assert provisional.map_table["value"].tolist() == complete.map_table["value"].tolist()
    assert provisional.partnership["debrief_rate"].tolist() == complete.partnership["debrief_rate"].tolist()
