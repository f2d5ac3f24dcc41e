"""The briefing's slides on the big screen: large type, one message each, the marking on every slide."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from taskforce import charts
from taskforce.analysis.headlines import default_week, status_counts
from taskforce.briefing import findings
from taskforce.briefing.slides import SLIDES, Briefing
from taskforce.core.config import protective_marking
from taskforce.core.formats import format_date, format_datetime, format_percent, join_words
from taskforce.maps import hexgrid, layers
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import REPORTABLE_STATUSES
from taskforce.ui import data
from taskforce.ui.cards import CHART_CONFIG, headline_card, status_tag
from taskforce.ui.controls import linked_choice, select_in_url, week_selector
from taskforce.ui.downloads import wider_circulation
from taskforce.ui.frame import PAGE_TITLE
from taskforce.ui.map_legend import legend
from taskforce.ui.text import escape_markdown

BIG_TYPE = """<style>
[data-testid="stMain"] [data-testid="stMarkdownContainer"] p, [data-testid="stMain"] li { font-size: 1.5rem; }
[data-testid="stMain"] h1 { font-size: 3rem; }
[data-testid="stMain"] [data-testid="stMetricValue"],
[data-testid="stMain"] [data-testid="stMetricValue"] p { font-size: 3.4rem; line-height: 1.1; }
</style>"""


def big_type() -> None:
    st.html(BIG_TYPE)


def slide_footer(number: int, total: int, briefing: Briefing) -> None:
    st.caption(f"{protective_marking()} · Slide {number} of {total} · Week ending {format_date(briefing.week_ending)}"
               + (" · Demo data" if briefing.is_demo else ""))


def _heading(briefing: Briefing, index: int) -> None:
    """The slide's topic as a small overline, and its finding as the title: the same words as the pack's."""
    heading = findings.headings(briefing, wider_circulation())[index]
    st.caption(heading.topic.upper())
    st.title(heading.finding)


def _bullets(lines: list[str]) -> None:
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines) if lines else "None.")


def title(briefing: Briefing) -> None:
    _heading(briefing, 0)
    returns = briefing.overview.returns_summary
    st.header(f"Week ending {format_date(briefing.week_ending)}")
    _bullets([f"Data taken {format_datetime(briefing.data_taken)}",
              f"Returns received: {returns.received} of {returns.expected}"])


def headlines(briefing: Briefing) -> None:
    _heading(briefing, 1)
    cards = briefing.overview.cards
    for start in range(0, len(cards), 3):
        for column, card in zip(st.columns(3), cards[start:start + 3], strict=False):
            with column:
                headline_card(card, compact=True)
    st.subheader("What changed")
    _bullets(briefing.overview.wider_statements if wider_circulation() else briefing.overview.statements)


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
    _bullets([f"{r.number}. {r.short_title} (due {format_date(r.due_date)}, {str(r.status).lower()}, "
              f"{r.percent_complete}% complete)" for r in overdue.itertuples()])
    st.subheader("Due in the next four weeks")
    _bullets([f"{format_date(r.due_date)}: {str(r.kind).lower()} of recommendation {r.recommendation}, {r.title}"
              for r in briefing.due_soon.itertuples()] or ["Nothing falls due in the next four weeks."])


def force_map(briefing: Briefing) -> None:
    _heading(briefing, 3)
    forces = data.query("map_forces")
    rows = layers.force_rows(briefing.map_table, forces, "Force")
    left, right = st.columns([3, 2])
    with left:
        st.pydeck_chart(layers.hex_deck(rows, hexgrid.load_layout()), height=640, key="briefing_map")
        legend(briefing.map_classes, "Count", measure("oic_arrests"))
    with right:
        top = briefing.map_table.sort_values("rank").head(8)
        st.table(pd.DataFrame({"Force": top["area_name"], "Arrests": top["value_text"],
                               "Change": top["change_text"]}).set_index("Force"))


def trends(briefing: Briefing) -> None:
    _heading(briefing, 4)
    table = briefing.trends
    long = pd.concat([
        pd.DataFrame({"period_start": table["week_ending"], "group_name": "OIC arrests", "value": table["arrests"]}),
        pd.DataFrame({"period_start": table["week_ending"], "group_name": "OIC charges", "value": table["charges"]}),
    ])
    last_year = pd.Series(table["arrests_last_year"].to_numpy(), index=table["week_ending"])
    figure = charts.group_trend(long, "People", data.events(), "OIC arrests and charges, weekly",
                                extra_lines={"Arrests, same week last year": last_year}, height=560,
                                font_size=18)
    st.plotly_chart(figure, config=CHART_CONFIG, width="stretch", key="briefing_trends")
    st.markdown(f"**{escape_markdown(briefing.year_on_year)}**")


def partnership(briefing: Briefing) -> None:
    _heading(briefing, 5)
    table = briefing.partnership
    long = pd.concat([
        pd.DataFrame({"period_start": table["week_ending"], "group_name": "Migrant debrief rate",
                      "value": table["debrief_rate"]}),
        pd.DataFrame({"period_start": table["week_ending"], "group_name": "Tasking completion, 12 weeks",
                      "value": table["tasking_completion"]}),
    ])
    target = pd.Series(briefing.debrief_target, index=table["week_ending"])
    left, right = st.columns([3, 2])
    with left:
        figure = charts.group_trend(long, "Rate", data.events(), "Debrief rate and tasking completion, weekly",
                                    percent=True, extra_lines={"Debrief target": target}, height=520,
                                    font_size=18)
        st.plotly_chart(figure, config=CHART_CONFIG, width="stretch", key="briefing_partnership")
    with right:
        latest = table.iloc[-1]
        st.metric("Intelligence packages shared this week", f"{latest['intel_packages_shared']:,.0f}")
        st.metric("Migrant debrief rate", format_percent(latest["debrief_rate"]),
                  help=f"Target {format_percent(briefing.debrief_target, 0)}")
        st.metric("Tasking completion, 12 weeks", format_percent(latest["tasking_completion"]))


def missing_returns(briefing: Briefing) -> None:
    _heading(briefing, 6)
    summary = briefing.overview.returns_summary
    st.header(f"{len(briefing.missing)} of {summary.expected} not received")
    _bullets(briefing.missing or ["Every return is in."])
    st.caption(f"Received {summary.received}: on time {summary.on_time}, late {summary.late}. "
               f"Chase list: {join_words(briefing.missing) or 'none'}.")



SLIDE_VIEWS = [title, headlines, recommendations, force_map, trends, partnership, missing_returns]


def render() -> None:
    st.set_page_config(page_title=PAGE_TITLE, layout="wide", initial_sidebar_state="collapsed")
    big_type()
    reporting = data.query("reporting_weeks")
    latest = default_week(reporting)
    if latest is None:
        st.title("Weekly briefing")
        st.info("No weekly returns have been loaded yet, so there is nothing to brief.")
        return
    weeks = [w.date() if hasattr(w, "date") else w for w in reporting["week_ending"]]
    controls = st.columns([2, 3, 1, 1, 2], vertical_alignment="bottom")
    with controls[0]:
        week = week_selector(weeks, default=latest)
    slide = _slide_controls(controls[1:4])
    with controls[4]:
        st.download_button("Download the pack (PowerPoint)", data.briefing_pack(week, wider_circulation()),
                           f"oic_briefing_week_ending_{week.isoformat()}.pptx", icon=":material/slideshow:",
                           mime="application/vnd.openxmlformats-officedocument.presentationml.presentation")
    briefing = data.weekly_briefing(week)
    with st.container(border=True):
        SLIDE_VIEWS[slide - 1](briefing)
        slide_footer(slide, len(SLIDES), briefing)


def _slide_controls(columns) -> int:
    """The slide chooser and the previous and next buttons; returns the slide number (from 1)."""
    numbers = [str(n) for n in range(1, len(SLIDES) + 1)]
    with columns[0]:
        slide = int(linked_choice(st.selectbox, "Slide", numbers, key="slide", default="1",
                                  format_func=lambda n: f"{n}. {SLIDES[int(n) - 1]}"))
    columns[1].button("Previous", disabled=slide == 1, width="stretch", icon=":material/arrow_back:",
                      on_click=select_in_url, args=("slide", str(slide - 1)), key="previous_slide")
    columns[2].button("Next", disabled=slide == len(SLIDES), width="stretch", icon=":material/arrow_forward:",
                      on_click=select_in_url, args=("slide", str(slide + 1)), key="next_slide")
    return slide
