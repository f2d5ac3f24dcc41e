"""The briefing's slides on the big screen: large type, one message each, the marking on every slide."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from taskforce import charts
from taskforce.analysis.drawn import limits_caption
from taskforce.analysis.headlines import default_week, status_counts
from taskforce.briefing import actions, findings
from taskforce.briefing.contents import SLIDES, Briefing, ranked_forces
from taskforce.core.config import protective_marking
from taskforce.core.formats import format_date, format_percent
from taskforce.maps import hexgrid, layers
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import REPORTABLE_STATUSES
from taskforce.ui import data
from taskforce.ui.briefing_actions import actions_before_any_briefing, actions_section
from taskforce.ui.briefing_archive import PACK_MIME, archive_section, issue_control, revision_flag
from taskforce.ui.cards import CHART_CONFIG, headline_card, status_tag
from taskforce.ui.controls import linked_choice, select_in_url, week_selector
from taskforce.ui.downloads import download_file, wider_circulation
from taskforce.ui.frame import PAGE_TITLE
from taskforce.ui.map_legend import legend
from taskforce.ui.presenting import presenting, slide_keys, stage, start_presenting
from taskforce.ui.text import escape_markdown
from taskforce.ui.trend_cards import with_limits

# Chart and map labels on a presented slide, in pixels (a chart's text cannot follow the window's height).
ROOM_CHART_TEXT = 22
# The map on a presented slide. A deck's height is set in pixels and its labels are drawn on a canvas, so neither
# can follow the window by itself: the deck is drawn ROOM_MAP_HEIGHT high with ROOM_MAP_BASE_TEXT labels (what
# fits the left half from the marking to the footer at 768 high, labels at the 16 px floor there) and scaled
# with the window's height by CSS zoom (ROOM_MAP_ZOOM), so at 1080 high it fills its half down to the footer
# with 22 px labels (16 x 1.375). The grid is fitted to ROOM_MAP_WIDTH, the narrowest the half is at any zoom.
ROOM_MAP_HEIGHT, ROOM_MAP_WIDTH = 600, 520
ROOM_MAP_BASE_TEXT = 16
ROOM_MAP_ZOOM = ((860, 1.15), (960, 1.25), (1040, ROOM_CHART_TEXT / ROOM_MAP_BASE_TEXT))  # (min height px, zoom)
ROOM_SPARKLINE_HEIGHT = "5vh"  # tall enough to see a week beyond its limits from the back
ROOM_STATEMENTS = 1  # what changed, on a presented slide: the first (most important first), then a count
ROOM_MAP_CSS = "\n".join(
    f'@media (min-height: {tall}px) {{ .st-key-slide_map [data-testid="stElementContainer"]'
    f':has([data-testid="stDeckGlJsonChart"]) {{ zoom: {zoom:g}; }} }}'
    for tall, zoom in ROOM_MAP_ZOOM
)
BIG_TYPE = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p, [data-testid="stMain"] li { font-size: 1.5rem; }
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3.4rem; line-height: 1.1; }
</style>"""


def _room_map_css() -> str:
    return f"<style>{ROOM_MAP_CSS}</style>"


def big_type() -> None:
    st.html(BIG_TYPE)


def slide_footer(number: int, total: int, briefing: Briefing, revised: str | None = None) -> None:
    st.caption(
        f"{protective_marking()} · Slide {number} of {total} · Week ending {format_date(briefing.week_ending)}"
        + (" · Demo data" if briefing.is_demo else "")
        + (f" · {revised}" if revised else "")
    )


def _plot(figure, key: str) -> None:
    """A slide's chart: its set height on the page; in presentation mode, a share of the window's height."""
    if not presenting():
        st.plotly_chart(figure, config=CHART_CONFIG, width="stretch", key=key)
        return
    with st.container(key=f"stage_chart_{key}"):
        st.plotly_chart(
            charts.for_the_room(figure, ROOM_CHART_TEXT),
            config=CHART_CONFIG,
            width="stretch",
            height="stretch",
            key=key,
        )


def _heading(briefing: Briefing, index: int) -> None:
    """The slide's topic as a small overline, and its finding as the title: the same words as the pack's."""
    heading = findings.headings(briefing, wider_circulation())[index]
    st.caption(heading.topic.upper())
    st.title(heading.finding)


def _bullets(lines: list[str]) -> None:
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines) if lines else "None.")


def title(briefing: Briefing) -> None:
    """The week's message for the chair: the one date, the returns, and each slide's finding, exceptions first."""
    _heading(briefing, 0)
    returns = briefing.overview.returns_summary
    said = findings.returns_words(returns)
    st.subheader(f"{briefing.data_up_to}. {said[0].upper()}{said[1:]}, {findings.timeliness_words(returns)}.")
    message = findings.message(briefing, wider_circulation())
    attention, rest = st.columns(2)
    with attention:
        st.header("Needs attention")
        _findings(message.exceptions or [findings.SlideHeading("This week", "Nothing needs attention")])
    with rest:
        st.header("The rest of the week")
        _findings(message.findings)


def _findings(headings: list) -> None:
    """Each finding as a card: its slide's topic, then the finding in the slide title's words."""
    for heading in headings:
        with st.container(border=True):
            st.caption(heading.topic.upper())
            st.subheader(heading.finding)


def headlines(briefing: Briefing) -> None:
    _heading(briefing, 1)
    cards = briefing.overview.cards
    for start in range(0, len(cards), 3):
        for column, card in zip(st.columns(3), cards[start : start + 3], strict=False):
            with column:
                headline_card(card, compact=True, sparkline_height=ROOM_SPARKLINE_HEIGHT if presenting() else None)
    st.subheader("What changed")
    statements = briefing.overview.wider_statements if wider_circulation() else briefing.overview.statements
    if presenting() and len(statements) > ROOM_STATEMENTS:
        more = len(statements) - ROOM_STATEMENTS
        statements = [*statements[:ROOM_STATEMENTS], f"And {more} more on the Weekly overview."]
    _bullets(statements)


def recommendations(briefing: Briefing) -> None:
    _heading(briefing, 2)
    recs = briefing.overview.recommendations
    counts = status_counts(recs)
    for column, status in zip(st.columns(len(REPORTABLE_STATUSES)), REPORTABLE_STATUSES, strict=True):
        with column:
            st.metric(status, counts[status])
            status_tag(status)
    overdue = recs[recs["overdue"]]
    st.subheader(f"Overdue: {len(overdue)}")
    _bullets(
        [
            f"{r.number}. {r.short_title} (due {format_date(r.due_date)}, {str(r.status).lower()}, "
            f"{r.percent_complete}% complete)"
            for r in overdue.itertuples()
        ]
    )
    st.subheader("Due in the next four weeks")
    _bullets(
        [
            f"{format_date(r.due_date)}: {str(r.kind).lower()} of recommendation {r.recommendation}, {r.title}"
            for r in briefing.due_soon.itertuples()
        ]
        or ["Nothing falls due in the next four weeks."]
    )


def force_map(briefing: Briefing) -> None:
    """On the big screen the map takes the left half from top to bottom, the title and the table beside it."""
    room = presenting()
    if not room:
        _heading(briefing, 3)
    forces = data.query("map_forces")
    rows = layers.force_rows(briefing.map_table, forces, "Force")
    left, right = st.columns(2) if room else st.columns([3, 2])
    with left, st.container(key="slide_map"):
        height = ROOM_MAP_HEIGHT if room else 640
        if room:
            st.html(_room_map_css())
            deck = layers.hex_deck(rows, hexgrid.load_layout(), ROOM_MAP_BASE_TEXT, height=height, width=ROOM_MAP_WIDTH)
        else:
            deck = layers.hex_deck(rows, hexgrid.load_layout(), label_size=14, height=height)
        st.pydeck_chart(deck, height=height, key="briefing_map")
    with right:
        if room:
            _heading(briefing, 3)
        st.table(ranked_forces(briefing.map_table, wider_circulation()).set_index("Force"))
        legend(briefing.map_classes, "Count", measure("oic_arrests"))


def trends(briefing: Briefing) -> None:
    _heading(briefing, 4)
    _plot(trend_figure(briefing), "briefing_trends")
    st.markdown(f"**{escape_markdown(briefing.year_on_year)}**")
    control = briefing.control("oic_arrests")
    if control is not None:  # the same words as the pack's, under the chart where the legend leaves them room
        st.caption(escape_markdown(limits_caption("OIC arrests", control)))


TREND_GROUPS = {"arrests": "OIC arrests", "charges": "OIC charges"}


def trend_figure(briefing: Briefing):
    """Arrests and charges with last year's arrests, the arrests card's own mean and limits, and a provisional
    week drawn apart (hollow, dotted, 'provisional: 28 of 49 returns'), judged on nothing."""
    table = briefing.trends
    provisional = briefing.provisional
    weeks = pd.Series([pd.Timestamp(day).date() for day in table["week_ending"]], index=table.index)
    complete = table[weeks != provisional[0]] if provisional else table
    long = pd.concat(
        [
            pd.DataFrame({"period_start": complete["week_ending"], "group_name": name, "value": complete[column]})
            for column, name in TREND_GROUPS.items()
        ]
    )
    last_year = pd.Series(table["arrests_last_year"].to_numpy(), index=table["week_ending"])
    figure = charts.group_trend(
        long,
        "People",
        data.events(),
        "OIC arrests and charges, weekly",
        extra_lines={"Arrests, same week last year": last_year},
        height=560,
        font_size=18,
    )
    if provisional and len(complete) < len(table):
        for index, (column, name) in enumerate(TREND_GROUPS.items()):
            series = pd.Series(table[column].to_numpy(), index=weeks.to_numpy()).dropna()
            if provisional[0] in series.index:
                figure = charts.with_provisional(
                    figure,
                    provisional[0],
                    float(series[provisional[0]]),
                    f"{name}, {provisional[1]}",
                    charts.CATEGORICAL[index],
                )
    control = briefing.control("oic_arrests")
    if control is not None:
        figure = with_limits(figure, control, measure("oic_arrests"), judged=provisional is None, annotate=False)
    return figure


def partnership(briefing: Briefing) -> None:
    _heading(briefing, 5)
    table = briefing.partnership
    long = pd.concat(
        [
            pd.DataFrame(
                {
                    "period_start": table["week_ending"],
                    "group_name": "Migrant debrief rate",
                    "value": table["debrief_rate"],
                }
            ),
            pd.DataFrame(
                {
                    "period_start": table["week_ending"],
                    "group_name": "Tasking completion, 12 weeks",
                    "value": table["tasking_completion"],
                }
            ),
        ]
    )
    target = pd.Series(briefing.debrief_target, index=table["week_ending"])
    latest = table.iloc[-1]
    shared, debrief, tasking = st.columns(3)
    shared.metric("Intelligence packages shared this week", f"{latest['intel_packages_shared']:,.0f}")
    # the target in the label, not behind a "?" icon that a room cannot hover over
    debrief.metric(
        f"Migrant debrief rate (target {format_percent(briefing.debrief_target, 0)})",
        format_percent(latest["debrief_rate"]),
    )
    tasking.metric("Tasking completion, 12 weeks", format_percent(latest["tasking_completion"]))
    # the chart the full width, so its legend stays on one line even at 1366 wide in a room's type size
    figure = charts.group_trend(
        long,
        "Rate",
        data.events(),
        "Debrief rate and tasking completion, weekly",
        percent=True,
        extra_lines={"Debrief target": target},
        height=420,
        font_size=18,
    )
    control = briefing.control("debrief_rate")
    weeks = {pd.Timestamp(day).date() for day in table["week_ending"]}
    if control is not None and control.last in weeks:  # the debrief card's own limits, over the weeks it judged
        figure = with_limits(figure, control, measure("debrief_rate"), annotate=False)
    _plot(figure, "briefing_partnership")
    if control is not None and control.last in weeks:
        st.caption(escape_markdown(limits_caption("the debrief rate", control)))


ROOM_CHASE_ROWS = 10  # the chase list on a presented slide: the worst first, then a count of the rest


def missing_returns(briefing: Briefing) -> None:
    """Who to chase, worst first (missing, then partial, then late), with the counts above."""
    _heading(briefing, 6)
    summary = briefing.overview.returns_summary
    for column, (label, count) in zip(
        st.columns(4),
        [
            ("Complete", summary.complete),
            ("Missing", len(summary.missing)),
            ("Partial", len(summary.partial)),
            ("Late", summary.late),
        ],
        strict=True,
    ):
        column.metric(label, f"{count} of {summary.expected}" if label == "Received" else count)
    chase, recent = st.columns([3, 2])
    with chase:
        _chase_list(briefing)
    with recent:
        st.subheader("The weeks before")
        if not briefing.recent_returns.empty:
            st.table(briefing.recent_returns.set_index("Week ending"))


def _chase_list(briefing: Briefing) -> None:
    summary, chase = briefing.overview.returns_summary, briefing.chase
    if chase.empty:
        st.subheader(f"Nobody to chase: {findings.returns_words(summary)}, {findings.timeliness_words(summary)}.")
        return
    shown = chase.head(ROOM_CHASE_ROWS) if presenting() else chase
    st.subheader(f"To chase, worst first: {len(chase)}")
    st.table(shown.set_index("Organisation"))
    if len(shown) < len(chase):
        st.markdown(f"And {len(chase) - len(shown)} more on the Weekly returns page.")


def briefing_actions(briefing: Briefing) -> None:
    """The Actions slide: due or overdue first, then new this week, then done since last week (plain text)."""
    _heading(briefing, 7)
    _action_counts(briefing.actions)
    for heading, lines in actions.slide_sections(briefing.actions):
        st.subheader(heading)
        _bullets(lines)


ROOM_TILE_HEIGHT = 240  # px: four tiles a room reads from the back, at 1080 and at 768 alike


def _action_counts(slide: actions.ActionsSlide | None) -> None:
    """The four groups' counts as tiles, so the room sees at a glance how many are overdue before the detail."""
    if slide is None:
        return
    counts = {
        "Overdue": len(slide.overdue),
        "Due or overdue": len(slide.due_or_overdue),
        "Agreed this week": len(slide.new),
        "Done since last week": len(slide.done),
    }
    for column, (label, count) in zip(st.columns(len(counts)), counts.items(), strict=True):
        with column, st.container(border=True, height=ROOM_TILE_HEIGHT if presenting() else "content"):
            st.metric(label, count)


SLIDE_VIEWS = [title, headlines, recommendations, force_map, trends, partnership, missing_returns, briefing_actions]


def render() -> None:
    st.set_page_config(page_title=PAGE_TITLE, layout="wide", initial_sidebar_state="collapsed")
    stage() if presenting() else big_type()
    reporting = data.query("reporting_weeks")
    latest = default_week(reporting)
    if latest is None:
        st.title("Weekly briefing")
        st.info("No weekly returns have been loaded yet, so there is nothing to brief.")
        actions_before_any_briefing()
        return
    weeks = [w.date() if hasattr(w, "date") else w for w in reporting["week_ending"]]
    if presenting():
        _present(_week_in_url(weeks, latest), _slide_in_url())
        return
    with st.container(key="briefing_controls"):
        week, slide = _briefing_controls(weeks, latest)
    briefing = data.weekly_briefing(week, wider_circulation())
    flag = revision_flag(week)
    if flag:
        st.warning(escape_markdown(flag), icon=":material/history:")
    with st.container(border=True, key="current_slide"):  # on a phone, before the controls (styles.LAYOUT_CSS)
        SLIDE_VIEWS[slide - 1](briefing)
        slide_footer(slide, len(SLIDES), briefing, "Revised since briefed" if flag else None)
    actions_section(briefing)
    with st.container(key="briefing_archive"):
        archive_section()


def _briefing_controls(weeks: list, latest):
    """The week and the slide, then the buttons in a row that wraps rather than cutting their words (at
    1366 px wide seven columns left "Previ..." and "Download t..."). Returns the week and the slide number."""
    week_column, slide_column = st.columns([2, 3], vertical_alignment="bottom")
    with week_column:
        week = week_selector(weeks, default=latest)
    with st.container(horizontal=True, wrap=True, vertical_alignment="bottom"):
        slide = _slide_controls(slide_column)
        st.button(
            "Present",
            icon=":material/present_to_all:",
            on_click=start_presenting,
            type="primary",
            help="Show the slides full screen, sized for the room. Keys: Right, Space or PageDown for "
            "the next slide, Left or PageUp for the previous, Home and End, Esc to leave. Press "
            "F11 for the browser's own full screen.",
        )
        download_file(
            "Download the pack",
            data.briefing_pack(week, wider_circulation()),
            f"oic_briefing_week_ending_{week.isoformat()}.pptx",
            PACK_MIME,
            icon=":material/slideshow:",
        )
        issue_control(week, wider_circulation())
    return week, slide


def _week_in_url(weeks: list, latest):
    """The week a presentation shows: the address's ?week= when it is a reporting week, else the default."""
    wanted = st.query_params.get("week")
    return next((week for week in weeks if week.isoformat() == wanted), latest)


def _slide_in_url() -> int:
    wanted = st.query_params.get("slide", "1")
    return int(wanted) if wanted.isdigit() and 1 <= int(wanted) <= len(SLIDES) else 1


def _go_to_slide(number: int) -> None:
    select_in_url("slide", str(number))


def _present(week, slide: int) -> None:
    """One slide filling the window, then its footer and the keys."""
    briefing = data.weekly_briefing(week, wider_circulation())
    SLIDE_VIEWS[slide - 1](briefing)
    with st.container(key="slide_footer"):
        footer, keys = st.columns(2, vertical_alignment="center")
        with footer:
            slide_footer(slide, len(SLIDES), briefing, "Revised since briefed" if revision_flag(week) else None)
        with keys:
            slide_keys(slide, len(SLIDES), _go_to_slide)


def _slide_controls(slide_column) -> int:
    """The slide chooser (in its column) and the previous and next buttons (where this is called); returns the
    slide number (from 1)."""
    numbers = [str(n) for n in range(1, len(SLIDES) + 1)]
    with slide_column:
        slide = int(
            linked_choice(
                st.selectbox,
                "Slide",
                numbers,
                key="slide",
                default="1",
                format_func=lambda n: f"{n}. {SLIDES[int(n) - 1]}",
            )
        )
    st.button(
        "Previous",
        disabled=slide == 1,
        icon=":material/arrow_back:",
        on_click=select_in_url,
        args=("slide", str(slide - 1)),
        key="previous_slide",
    )
    st.button(
        "Next",
        disabled=slide == len(SLIDES),
        icon=":material/arrow_forward:",
        on_click=select_in_url,
        args=("slide", str(slide + 1)),
        key="next_slide",
    )
    return slide
