"""The figures of issue 25's findings, recomputed on one demo build, so a branch and main can be set side by side.

    python -m bench.verdict_findings --db DEMO.duckdb [--weeks-back 162]

It reads the store read-only through the named queries and prints, one line per finding: the national arrests
card's limits, how many weeks a single force is singled out, how often the charge-rate card is judged beyond
its limits (and the debrief rate's), what the briefing says on the data-up-to week when it is provisional, the
forecast of recommendation 9, the overview's two dates, and the methods About the data names. Run it with
PYTHONPATH set to another checkout to measure that checkout's code on the same build.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections import Counter
from functools import partial

import duckdb
import pandas as pd

from taskforce.analysis import headlines, methods
from taskforce.analysis.overview import weekly_overview
from taskforce.briefing import contents, findings
from taskforce.core.queries import run_query
from taskforce.maps import areas
from taskforce.measures.registry import measure
from taskforce.recommendations.forecast import projection_table
from taskforce.release.position import position_from


def _runner(path: str):
    return partial(run_query, duckdb.connect(path, read_only=True))


def _complete_weeks(runner) -> list[dt.date]:
    position = position_from(runner("reporting_weeks", {}))
    return sorted(item.week_ending for item in position.weeks if item.is_complete)


def _card(runner, code: str, week: dt.date) -> headlines.HeadlineCard:
    totals = runner("national_weekly_totals", {"from": week - dt.timedelta(weeks=headlines.HISTORY_WEEKS), "to": week})
    return headlines.headline_card(totals, measure(code), week)


def verdict_counts(runner, code: str, weeks: list[dt.date]) -> Counter:
    """How often the card of `code` gives each verdict over `weeks` (complete weeks, as the card would)."""
    return Counter(_card(runner, code, week).judgement.name for week in weeks)


def force_statement_weeks(runner, weeks: list[dt.date]) -> int:
    """In how many of `weeks` the overview singles out one force (a statement naming a force's own range)."""
    named = 0
    for week in weeks:
        statements = weekly_overview(runner, week).statements
        named += any("than chance explains" in said or "above its normal range" in said for said in statements)
    return named


def monday_findings(runner, week: dt.date) -> list[str]:
    briefing = contents.build_briefing(runner, week, 0.5, dt.datetime(2026, 11, 23, 9))
    return [heading.finding for heading in findings.headings(briefing)]


def regional_first(runner, code: str, basis: str, last: dt.date) -> str:
    """Regional's table over the 4 weeks to `last`, by force: who is ranked first, on what, and how many ranked."""
    item, first = measure(code), last - dt.timedelta(weeks=3)
    rows = [
        runner("map_values", {"measures": list(item.base_codes), "from": start, "to": end})
        for start, end in ((first, last), areas.previous_period(first, last))
    ]
    table, _ = areas.map_table(*rows, runner("map_forces", {}), item, basis, "Force", weeks_in_period=4)
    top = table.sort_values("rank").iloc[0]
    arrests = runner("map_values", {"measures": ["oic_arrests"], "from": first, "to": last})
    base = arrests.loc[arrests["org_code"].eq(top["area"]), "value"].sum()
    ranked, shown = int(table["rank"].notna().sum()), int(table["shown"].notna().sum())
    return f"{top['area']} first at {top['shown']:.4g} on {base:.0f} arrests; {ranked} of {shown} ranked"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--weeks-back", type=int, default=162)
    arguments = parser.parse_args()
    runner = _runner(arguments.db)
    position = position_from(runner("reporting_weeks", {}))
    headline, reached = position.headline_week(), position.data_up_to
    assert headline is not None and reached is not None
    complete = [week for week in _complete_weeks(runner) if week <= headline]
    judged = complete[-arguments.weeks_back :]
    print(f"data up to {reached} ({position.reached.words() if position.reached else ''}); headline week {headline}")
    arrests = _card(runner, "oic_arrests", headline)
    print(f"1 national arrests card: {arrests.formatted_value}; {arrests.variation_words()}")
    print(f"2 weeks of the last 104 with one force singled out: {force_statement_weeks(runner, complete[-104:])}")
    for code in ("charge_rate", "debrief_rate"):
        counts = verdict_counts(runner, code, judged)
        print(f"3 {code} verdicts over {len(judged)} complete weeks: {dict(sorted(counts.items()))}")
    card = _card(runner, "charge_rate", headline)
    print(f"3 charge rate card: {card.formatted_value} {card.basis}; {card.variation_words()}")
    print(f"4 briefing findings for the provisional week {reached}:")
    for finding in monday_findings(runner, reached):
        print(f"    {finding}")
    recs = runner("recommendation_status", {"as_of": position.status_date})
    table = projection_table(recs, runner("recommendation_progress_history", {"as_of": reached}), reached)
    nine = table[table["No."] == 9].iloc[0]
    print(f"5 recommendation 9: {nine['Status']}; projected {nine['Projected completion']}; {nine['After due date']}")
    updates = pd.to_datetime(recs["last_update"]).max().date()
    print(f"6 status as at {position.status_date_for(headline)}; newest update shown {updates}")
    for code, basis in (("charge_rate", "Count"), ("oic_arrests", "Per 100,000 residents")):
        print(f"8 Regional {code} ({basis}), 4 weeks to {headline}: {regional_first(runner, code, basis, headline)}")
    print(f"7 methods on About the data ({len(methods.METHODS)}): {'; '.join(title for title, _ in methods.METHODS)}")


if __name__ == "__main__":
    main()
