"""The weekly briefing: the same slides on the big screen and in the PowerPoint pack, built from named
queries by whoever passes a query runner (the dashboard's cached one, or the command line's direct one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from taskforce.analysis.headlines import PERIOD_RATE_WEEKS, measure_series
from taskforce.analysis.overview import QueryRunner, WeeklyOverview, weekly_overview
from taskforce.analysis.trends import YearOnYear, a_year_on, rolling_measure, same_weeks_last_year, series_by_group
from taskforce.analysis.variation import Control
from taskforce.briefing.actions import ActionsSlide, actions_slide
from taskforce.core.formats import format_date
from taskforce.maps import areas
from taskforce.measures.registry import measure
from taskforce.release import series, tables
from taskforce.release.build import Release
from taskforce.release.position import position_from
from taskforce.returns import chasing
from taskforce.store import targets

SLIDES = [
    "Title",
    "Headlines",
    "Recommendations",
    "Force map",
    "Arrests and charges",
    "Partnership",
    "Missing returns",
    "Actions",
]
TREND_WEEKS = 26
PARTNERSHIP = ("intel_packages_shared", "debrief_rate")


@dataclass(frozen=True)
class Briefing:
    week_ending: dt.date
    data_taken: dt.datetime
    overview: WeeklyOverview
    due_soon: pd.DataFrame
    map_table: pd.DataFrame  # OIC arrests by force over the last 4 weeks
    map_classes: areas.Classes
    trends: pd.DataFrame  # week_ending, arrests, charges, arrests_last_year
    year_on_year: str
    partnership: pd.DataFrame  # week_ending, packages shared, debrief rate, tasking completion
    debrief_target: float
    short_names: dict[str, str]  # force code -> abbreviation, for the map
    is_demo: bool
    year_on_year_change: YearOnYear | None = None  # the comparison behind `year_on_year`, for the slide's title
    source: str = ""  # the published snapshot it was built from ('snapshot 12, published ...')
    data_up_to: str = ""  # the release's one sentence: 'Data up to week ending 22 Nov 2026 (provisional: ...)'
    chase: pd.DataFrame = field(default_factory=pd.DataFrame)  # the week's returns to chase, worst first
    recent_returns: pd.DataFrame = field(default_factory=pd.DataFrame)  # complete, partial, missing by week
    actions: ActionsSlide | None = None  # the briefing's actions as at the status date (briefing/actions.py)
    map_period: str = ""  # for wider circulation: the release's fixed 4 weeks the map shows, in words
    # (week, 'provisional: 28 of 49 returns') when the week briefed is provisional: the trend slides end with it,
    # drawn apart and judged on nothing
    provisional: tuple[dt.date, str] | None = None

    @property
    def missing(self) -> list[str]:
        return self.overview.returns_summary.missing

    def control(self, code: str) -> Control | None:
        """The control chart behind the overview card's verdict on a measure: the one a slide draws."""
        return next((card.control for card in self.overview.cards if card.measure.code == code), None)


def build_briefing(
    run_query: QueryRunner,
    week: dt.date,
    debrief_target: float,
    data_taken: dt.datetime,
    status_date: dt.date | None = None,
    source: str = "",
    release: Release | None = None,
) -> Briefing:
    """The week's slides. Recommendation status is as at the data-up-to date (position.status_date_for) unless
    the caller gives the date it already worked out from the same position. With `release`, the slides for wider
    circulation: every figure read from the protected release (`wider_briefing`)."""
    if release is not None:
        return wider_briefing(run_query, release, debrief_target, data_taken, status_date, source)
    position = position_from(run_query("reporting_weeks", {}))
    as_at = status_date or position.status_date_for(week)
    overview = weekly_overview(run_query, week, as_at)
    due = run_query("due_soon", {"from": week, "to": week + dt.timedelta(weeks=4)})
    judged = complete_week(run_query, week)
    first_map_week = judged - dt.timedelta(weeks=3)
    before = areas.previous_period(first_map_week, judged)
    arrests = measure("oic_arrests")
    forces = run_query("map_forces", {})
    table, classes = areas.map_table(
        run_query("map_values", {"measures": ["oic_arrests"], "from": first_map_week, "to": judged}),
        run_query("map_values", {"measures": ["oic_arrests"], "from": before[0], "to": before[1]}),
        forces,
        arrests,
        "Count",
        "Force",
        weeks_in_period=4,
    )
    names = dict(zip(forces["org_code"], forces["org_name"], strict=False))
    table["area_name"] = table["area"].map(names)
    is_demo = bool(run_query("what_is_loaded", {})["demo_loaded"].iloc[0])
    trend_table, change = _trends(run_query, week, judged)
    receipts = position.receipts(week)
    return Briefing(
        week_ending=week,
        data_taken=data_taken,
        overview=overview,
        due_soon=due,
        map_table=table,
        map_classes=classes,
        trends=trend_table,
        year_on_year=change.words(arrests),
        partnership=_partnership(run_query, judged),
        debrief_target=debrief_target,
        short_names=dict(zip(forces["org_code"], forces["short_name"], strict=False)),
        is_demo=is_demo,
        year_on_year_change=change,
        source=source,
        data_up_to=position.words(),
        chase=chasing.chase_list(run_query("returns_for_week", {"week": week})),
        recent_returns=recent_returns(position, week),
        actions=actions_slide(run_query("briefing_actions", {}), week, as_at),
        provisional=(week, receipts.words()) if receipts is not None and not receipts.is_complete else None,
    )


RECENT_RETURN_WEEKS = 8


def recent_returns(position, week: dt.date) -> pd.DataFrame:
    """The returns of the weeks up to `week`, newest first: how the week compares with the ones before."""
    weeks = [item for item in position.weeks if item.week_ending <= week][:RECENT_RETURN_WEEKS]
    return pd.DataFrame(
        {
            "Week ending": [format_date(item.week_ending) for item in weeks],
            "Complete": [item.complete for item in weeks],
            "Partial": [item.partial for item in weeks],
            "Missing": [item.expected - item.complete - item.partial for item in weeks],
        }
    )


RANKED_FORCES = 8
SMALL_BASE_WORDS = "base under 10"


def ranked_forces(table: pd.DataFrame, wider: bool = False, rows: int = RANKED_FORCES) -> pd.DataFrame:
    """The forces with most arrests, one kind of figure per column: this period's count, the previous
    period's count, and the change as a percentage only ("base under 10" where the previous count is too small
    to give one). For wider circulation the previous count is left out: its small values are not protected."""
    top = table.sort_values("rank").head(rows)
    listed = pd.DataFrame(
        {"Force": top["area_name"].to_numpy(), "Arrests": [count_words(value) for value in top["value"]]}
    )
    if not wider:
        listed["Previous 4 weeks"] = [previous_words(value) for value in top["previous"]]
    listed["Change"] = [
        change_words(change, previous) for change, previous in zip(top["change"], top["previous"], strict=True)
    ]
    return listed


def count_words(value) -> str:
    """A count as a number ('27'), or the mark the wider circulation puts in its place ('[c]')."""
    if isinstance(value, str):
        return value
    return "no return" if pd.isna(value) else f"{value:,.0f}"


def previous_words(previous) -> str:
    return "no figure" if pd.isna(previous) else f"{previous:,.0f}"


def change_words(change, previous) -> str:
    if isinstance(change, str):  # hidden for wider circulation: shown as the release marks it
        return change
    if pd.notna(change):
        return f"{change:+.0%}"
    return "no comparison" if pd.isna(previous) else SMALL_BASE_WORDS


def wider_briefing(
    run_query: QueryRunner,
    release: Release,
    debrief_target: float,
    data_taken: dt.datetime,
    status_date: dt.date | None = None,
    source: str = "",
) -> Briefing:
    """The slides for wider circulation, every figure from the protected release: the cards and the trends from
    the nation's weekly cells, the force map from the fixed 4-week period and the one before it (both protected,
    a change only where both ends are shown), the 12 weeks against the 12 before instead of the same weeks last
    year (the release holds no week before the 52 of its series). Returns and recommendations are not counts."""
    assert release.week is not None
    week, position = release.week, release.position
    national = series.national_weekly_rows(release)
    as_at = status_date or position.status_date_for(week)
    overview = weekly_overview(run_query, week, as_at, national)
    forces = run_query("map_forces", {})
    arrests = measure("oic_arrests")
    table, classes = released_map(release, forces)
    return Briefing(
        week_ending=week,
        data_taken=data_taken,
        overview=overview,
        due_soon=run_query("due_soon", {"from": week, "to": week + dt.timedelta(weeks=4)}),
        map_table=table,
        map_classes=classes,
        trends=_released_trends(national, week),
        year_on_year=series.period_against_previous(release, arrests),
        partnership=_partnership_from(national, week),
        debrief_target=debrief_target,
        short_names=dict(zip(forces["org_code"], forces["short_name"], strict=False)),
        is_demo=bool(run_query("what_is_loaded", {})["demo_loaded"].iloc[0]),
        source=source,
        data_up_to=position.words(),
        map_period=release.period("4 weeks").words(),
        chase=chasing.chase_list(run_query("returns_for_week", {"week": week})),
        recent_returns=recent_returns(position, week),
        actions=actions_slide(run_query("briefing_actions", {}), week, as_at),
    )


def released_map(release: Release, forces: pd.DataFrame) -> tuple[pd.DataFrame, areas.Classes]:
    """OIC arrests by force over the release's fixed 4 weeks, as the map table: each force's count and the
    previous period's only where the release shows them, so the change, rank and class come from shown cells; a
    hidden count reads [c], unranked, in the hidden colour."""
    arrests = measure("oic_arrests")
    period = release.period("4 weeks")
    figures = tables.area_figures(release, period, arrests, forces, tables.FORCE)

    def rows(value_column: str, state_column: str) -> pd.DataFrame:
        shown = figures[figures[state_column] == tables.SHOWN]
        return pd.DataFrame(
            {
                "org_code": shown["key"],
                "measure_code": arrests.code,
                "value": shown[value_column].astype("float64"),
                "weeks_reported": period.weeks,
            }
        )

    table, classes = areas.map_table(
        rows("value", "state"),
        rows("previous", "previous_state"),
        forces,
        arrests,
        "Count",
        "Force",
        weeks_in_period=period.weeks,
    )
    hidden = set(figures.loc[figures["state"] == tables.HIDDEN, "key"])
    table["area_name"] = table["area"].map(dict(zip(forces["org_code"], forces["org_name"], strict=False)))
    return areas.small_classes_merged(areas.hidden_in_release(table, hidden), classes)


def _released_trends(national: pd.DataFrame, week: dt.date) -> pd.DataFrame:
    """The last 26 weeks of arrests and charges as the release shows the nation's weeks (a hidden week is a
    gap); no line for last year, which the release does not hold."""
    weeks = [week - dt.timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    table = pd.DataFrame(index=weeks)
    for code, column in (("oic_arrests", "arrests"), ("oic_charges", "charges")):
        table[column] = measure_series(national, measure(code)).reindex(weeks) if not national.empty else None
    table["arrests_last_year"] = float("nan")
    return table.rename_axis("week_ending").reset_index()


def _partnership_from(national: pd.DataFrame, week: dt.date) -> pd.DataFrame:
    rows = national.drop(columns="period_start").rename(columns={"week_ending": "period_start"})
    return _partnership_table(rows, week)


def complete_week(run_query: QueryRunner, week: dt.date) -> dt.date:
    """The week the rankings, the year-on-year change and the targets are judged on: `week` when it is complete,
    else the newest complete week before it (a provisional week's figures are still arriving: judged on
    nothing). A week with no complete week before it is used as it is."""
    position = position_from(run_query("reporting_weeks", {}))
    if not position.is_provisional(week):
        return week
    earlier = [item.week_ending for item in position.weeks if item.is_complete and item.week_ending < week]
    return max(earlier, default=week)


def _national(run_query: QueryRunner, codes: list[str], first: dt.date, last: dt.date) -> pd.DataFrame:
    return run_query(
        "trend_series",
        {"period": "week", "split": "national", "forces": [], "measures": codes, "from": first, "to": last},
    )


def _trends(run_query: QueryRunner, week: dt.date, judged: dt.date) -> tuple[pd.DataFrame, YearOnYear]:
    """The 26 weeks to `week` (a provisional one included, for the slides to draw apart), and the year-on-year
    change of the complete weeks to `judged`."""
    first = week - dt.timedelta(weeks=TREND_WEEKS - 1)
    rows = _national(run_query, ["oic_arrests", "oic_charges"], first - dt.timedelta(weeks=52), week)
    table = pd.DataFrame(index=[first + dt.timedelta(weeks=n) for n in range(TREND_WEEKS)])
    for code, column in (("oic_arrests", "arrests"), ("oic_charges", "charges")):
        series = series_by_group(rows[rows["measure_code"] == code], measure(code)).set_index("period_start")["value"]
        table[column] = series.reindex(table.index)
        if code == "oic_arrests":  # the same line the trends page draws: last year's weeks moved on a year
            table["arrests_last_year"] = a_year_on(series).reindex(table.index)
    change = same_weeks_last_year(rows, measure("oic_arrests"), judged, events=run_query("events", {}))
    return table.rename_axis("week_ending").reset_index(), change


def _partnership(run_query: QueryRunner, week: dt.date) -> pd.DataFrame:
    """The last 12 weeks: packages shared and the debrief rate each week, and tasking completion over the 12
    weeks to each week (a ratio of sums: taskings are completed weeks after they are received, so one week's
    ratio can pass 100%)."""
    bases = sorted({base for code in [*PARTNERSHIP, "tasking_completion"] for base in measure(code).base_codes})
    first = week - dt.timedelta(weeks=11)
    return _partnership_table(
        _national(run_query, bases, first - dt.timedelta(weeks=PERIOD_RATE_WEEKS - 1), week), week
    )


def _partnership_table(rows: pd.DataFrame, week: dt.date) -> pd.DataFrame:
    """From national weekly rows (period_start, measure_code, value) of the partnership measures' counts."""
    first = week - dt.timedelta(weeks=11)
    lagging = measure("tasking_completion")
    codes = list(PARTNERSHIP)
    table = pd.DataFrame(
        {code: measure_series(rows.rename(columns={"period_start": "week_ending"}), measure(code)) for code in codes}
    )
    table[lagging.code] = rolling_measure(rows, lagging, weeks=PERIOD_RATE_WEEKS)
    table = table[table.index >= first]
    return table.rename_axis("week_ending").reset_index()


def current_debrief_target(con) -> float:
    return targets.current_value(con, "debrief_rate_target")
