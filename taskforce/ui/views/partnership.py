"""The partnership page's sections: intelligence sharing, co-ordinated tasking, debriefing, crime groups."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from taskforce import charts
from taskforce.analysis import funnel, rankings
from taskforce.analysis.trends import describe_series, series_by_group
from taskforce.core.formats import format_count, format_date, format_percent
from taskforce.measures.registry import measure
from taskforce.release import series, tables
from taskforce.release.periods import TWELVE_WEEKS_NAME
from taskforce.release.universe import NATION
from taskforce.ui import data, released
from taskforce.ui.cards import chart_card
from taskforce.ui.controls import linked_choice
from taskforce.ui.downloads import wider_circulation
from taskforce.ui.frame import current_user, may_change_settings
from taskforce.ui.funnels import FunnelAxes
from taskforce.ui.funnels import funnel_card as funnel_card_of
from taskforce.ui.styles import PHONE_ONLY, WIDE_ONLY
from taskforce.ui.text import escape_markdown, static_table
from taskforce.ui.trend_cards import period_and_range, trend_card, trend_rows

MINIMUM_TASKINGS = 10  # a force needs this many taskings in the range before its rate is ranked


SECTIONS = [
    "Intelligence sharing",
    "Co-ordinated tasking",
    "Migrant debriefing",
    "Charge rate by force",
    "Crime groups",
]


def render() -> None:
    """Each section twice over: from the taskforce's own figures over a chosen range, or, for wider circulation,
    every figure from the week's release (national weekly trends, regions over the fixed 4-week periods,
    organisations over the 12 weeks) with no range to choose."""
    st.title("Partnership and intelligence")
    if wider_circulation():
        st.caption(released.WHAT_WIDER_SHOWS)
        shown = dict(
            zip(
                SECTIONS,
                (
                    released_intelligence,
                    released_tasking,
                    released_debriefing,
                    released_charging,
                    released_crime_groups,
                ),
                strict=True,
            )
        )
        shown[_section()]()
        return
    period, first, last, _ = period_and_range()
    sections = dict(zip(SECTIONS, (intelligence, tasking, debriefing, charging, crime_groups), strict=True))
    sections[_section()](period, first, last)


def _section() -> str:
    return linked_choice(st.segmented_control, "Section", SECTIONS, key="section", default=SECTIONS[0])


DESTINATIONS = {
    "intel_shared_to_nca": "National Crime Agency",
    "intel_shared_to_ie": "Immigration Enforcement",
    "intel_shared_to_bf": "Border Force",
    "intel_shared_to_forces": "Other forces and ROCUs",
}


def released_intelligence() -> None:
    """The nation's packages by destination over the 12 weeks (the parts are released for the nation only),
    then reports and packages week by week."""
    release = data.release()
    period = release.period(TWELVE_WEEKS_NAME)
    rows = [
        {"sender": "All organisations", "destination": name, "packages": value, "state": state}
        for code, name in DESTINATIONS.items()
        for value, state in [tables.figure(release, period, NATION, measure(code))]
    ]
    flows = pd.DataFrame(rows)
    drawn = flows[flows["state"] == tables.SHOWN]
    total, _ = tables.figure(release, period, NATION, measure("intel_packages_shared"))
    st.markdown(
        f"**{format_count(total) if total is not None else released.HIDDEN} intelligence packages shared** "
        f"over {period.words()}, from the release."
    )
    with st.container(key=f"{WIDE_ONLY}_flows"):
        chart_card(
            charts.sharing_flows(drawn, "Where the taskforce's intelligence packages went, nationally"),
            "Flow diagram: all organisations on the left, destinations on the right; the width of each band is "
            "the number of packages. Who sent them is for restricted circulation.",
            series.as_released(flows, "packages"),
            "intelligence_flows_released.csv",
            key="flows",
            about=measure("intel_packages_shared").definition,
        )
    flows_on_a_phone(drawn)
    table = released.measures_together(["intel_reports", "intel_packages_shared"])
    chart_card(
        charts.group_trend(
            table,
            "Reports and packages",
            data.events(),
            "Intelligence reports submitted and packages shared, weekly, from the release",
        ),
        describe_series(measure("intel_reports"), table, "weekly"),
        series.as_released(table, "value").rename(columns={"group_name": "measure"}),
        "intelligence_trend_released.csv",
        key="intel_trend",
    )


def released_tasking() -> None:
    item = measure("tasking_completion")
    released.trend(item, series.REGION, "tasking_by_region", f"{item.label} by ROCU region, fixed 4-week periods")
    released.ranking(item, "Tasking completion by organisation", "tasking_behind", lowest_first=True)


def released_debriefing() -> None:
    item = measure("debrief_rate")
    target = data.debrief_target()
    st.markdown(f"**Target debrief rate: {format_percent(target, 0)}**, set by the administrator.")
    national = released.national_weekly(item)
    target_line = pd.Series(target, index=national["period_start"])
    released.trend(
        item,
        series.NATIONAL,
        "debrief_trend",
        f"{item.label}, national, weekly, from the release",
        overlays={"Target": target_line},
    )
    released.ranking(item, "Debrief rate by organisation", "debrief_by_org", target=target)


def released_charging() -> None:
    st.caption(funnel.OVER_100_METHOD)
    released.ranking(measure("charge_rate"), "Charge rate by force", "charge_by_org", types=("force",))


def released_crime_groups() -> None:
    for column, code in zip(st.columns(2), ("ocg_mapped", "ocg_high_priority_share"), strict=False):
        item = measure(code)
        with column:
            released.trend(item, series.NATIONAL, f"groups_{code}", f"{item.label}, national, weekly")
    share = measure("ocg_high_priority_share")
    released.trend(share, series.REGION, "groups_by_region", f"{share.label} by ROCU region, fixed 4-week periods")


PHONE_FLOWS = 12  # the largest flows listed on a phone; every flow is in the CSV beside the diagram


def flows_on_a_phone(flows: pd.DataFrame) -> None:
    """On a phone, in place of the flow diagram (whose names need 190 px either side): the largest flows as a
    list, largest first, in a table that scrolls inside its own box. Hidden on wider screens (styles.py)."""
    largest = flows.sort_values("packages", ascending=False, kind="stable").head(PHONE_FLOWS)
    with st.container(key=f"{PHONE_ONLY}_flows"):
        static_table(
            pd.DataFrame(
                {
                    "From": largest["sender"],
                    "To": largest["destination"],
                    "Packages": [format_count(value) for value in largest["packages"]],
                }
            ),
            alt="The largest flows of intelligence packages, largest first",
        )
        if len(flows) > PHONE_FLOWS:
            st.caption(f"The {PHONE_FLOWS} largest of {len(flows)} flows; every flow is in the CSV above.")


def _span(first: dt.date, last: dt.date) -> str:
    return f"weeks ending {format_date(first)} to {format_date(last)}"


def measures_as_groups(period: str, codes: list[str], first: dt.date, last: dt.date) -> pd.DataFrame:
    """Several national measures as the groups of one chart (one line each)."""
    needed = sorted({base for code in codes for base in measure(code).base_codes})
    rows = trend_rows(period, "national", needed, first, last)
    tables = [series_by_group(rows, measure(code)).assign(group_name=measure(code).label) for code in codes]
    return pd.concat(tables, ignore_index=True)


def intelligence(period: str, first: dt.date, last: dt.date) -> None:
    flows = data.query("intelligence_flows", {"from": first, "to": last})
    total = flows["packages"].sum()
    st.markdown(f"**{format_count(total)} intelligence packages shared** in the {_span(first, last)}.")
    with st.container(key=f"{WIDE_ONLY}_flows"):
        chart_card(
            charts.sharing_flows(flows, "Who shares intelligence with whom"),
            "Flow diagram: senders (ROCU regions and agencies) on the left, destinations on the right; the width "
            "of each band is the number of packages.",
            flows,
            "intelligence_flows.csv",
            key="flows",
            count_columns=["packages"],
            about=measure("intel_packages_shared").definition,
        )
    flows_on_a_phone(flows)
    table = measures_as_groups(period, ["intel_reports", "intel_packages_shared"], first, last)
    chart_card(
        charts.group_trend(
            table,
            "Reports and packages",
            data.events(),
            f"Intelligence reports submitted and packages shared, {period.lower()}",
        ),
        describe_series(measure("intel_reports"), table, period),
        table.rename(columns={"period_start": "period_starting", "group_name": "measure"}),
        "intelligence_trend.csv",
        key="intel_trend",
    )


def tasking(period: str, first: dt.date, last: dt.date) -> None:
    item = measure("tasking_completion")
    trend_card(
        item,
        trend_rows(period, "region", list(item.base_codes), first, last),
        period,
        first,
        last,
        key="tasking_by_region",
    )
    by_org = data.query("org_period_totals", {"measures": list(item.base_codes), "from": first, "to": last})
    table = rankings.rate_by_organisation(by_org, item, ["org_name", "rocu_region", "org_type"], "completion_rate")
    ranked = rankings.furthest_behind(table, "completion_rate", "taskings_received", MINIMUM_TASKINGS)
    chart_card(
        charts.ranked_bars(
            ranked,
            "org_name",
            "completion_rate",
            "The 10 organisations furthest behind on tasking",
            "Taskings completed / received",
            percent=True,
            lowest_first=True,
        ),
        f"The lowest completion rates in the {_span(first, last)}, among organisations that received at least "
        f"{MINIMUM_TASKINGS} taskings.",
        table.rename(columns={"org_name": "organisation", "rocu_region": "region"}),
        "tasking_by_force.csv",
        key="tasking_behind",
        about=item.definition,
        count_columns=["taskings_received", "taskings_completed"],
        derived_columns=["completion_rate"],
    )
    funnel_card(item, table, "taskings_completed", "taskings_received", "poisson", "Taskings received", first, last)


def debriefing(period: str, first: dt.date, last: dt.date) -> None:
    item = measure("debrief_rate")
    target = data.debrief_target()
    st.markdown(f"**Target debrief rate: {format_percent(target, 0)}**, set by the administrator.")
    rows = trend_rows(period, "national", list(item.base_codes), first, last)
    national = series_by_group(rows, item)
    target_line = pd.Series(target, index=national["period_start"]) if not national.empty else pd.Series(dtype=float)
    trend_card(item, rows, period, first, last, key="debrief_trend", overlays={"Target": target_line})
    by_org = data.query("org_period_totals", {"measures": list(item.base_codes), "from": first, "to": last})
    table = rankings.rate_by_organisation(by_org, item, ["org_name", "rocu_region"])
    meeting, known = rankings.meeting_target(table["debrief_rate"], target)
    no_data = table[table["debrief_rate"].isna()]["org_name"].tolist()
    chart_card(
        charts.ranked_bars(
            table.dropna(subset=["debrief_rate"]),
            "org_name",
            "debrief_rate",
            f"Debrief rate by organisation, {_span(first, last)}",
            "Migrants debriefed / encountered",
            percent=True,
            target=target,
        ),
        f"Debrief rate of each organisation against the target of {format_percent(target, 0)}; "
        f"{meeting} of {known} meet it.",
        table.assign(debrief_rate=table["debrief_rate"].map(format_percent)),
        "debrief_by_organisation.csv",
        key="debrief_by_org",
        about=item.definition,
        count_columns=["migrants_debriefed", "migrants_encountered"],
        derived_columns=["debrief_rate"],
    )
    if no_data:
        st.caption(escape_markdown("No data (no migrants encountered in the range): " + ", ".join(no_data) + "."))
    funnel_card(
        item, table, "migrants_debriefed", "migrants_encountered", "binomial", "Migrants encountered", first, last
    )
    if may_change_settings():
        _target_form(target)


def funnel_card(
    item, table: pd.DataFrame, count: str, base: str, kind: str, base_label: str, first: dt.date, last: dt.date
) -> None:
    """Each organisation's rate against its base with exact 95% and 99.8% limits around the national rate."""
    title = f"{item.label} against {base_label.lower()}, {_span(first, last)}"
    axes = FunnelAxes(title, base_label, item.short_label, kind)
    funnel_card_of(item, table[count].fillna(0), table[base].fillna(0), table["org_name"], axes, f"{item.code}_funnel")


def charging(period: str, first: dt.date, last: dt.date) -> None:
    """Each force's charge rate over the range on a funnel plot, ranked only on a base of enough arrests; a rate
    over 100% explained."""
    item = measure("charge_rate")
    by_org = data.query("org_period_totals", {"measures": list(item.base_codes), "from": first, "to": last})
    table = rankings.rate_by_organisation(by_org, item, ["org_name", "rocu_region", "org_type"])
    table = table[table["org_type"].eq("force")]
    st.caption(funnel.OVER_100_METHOD)
    funnel_card(item, table, "oic_charges", "oic_arrests", "poisson", "OIC arrests", first, last)
    ranked = table.assign(rank=rankings.rank_on_base(table, "charge_rate", "oic_arrests")).sort_values(
        ["rank", "org_name"], na_position="last"
    )
    st.markdown(f"**Charge rate by force**, ranked among forces with at least {funnel.RANK_MINIMUM_BASE} arrests")
    st.dataframe(
        ranked[["rank", "org_name", "oic_arrests", "oic_charges", "charge_rate"]].rename(
            columns={
                "rank": "Rank",
                "org_name": "Force",
                "oic_arrests": "Arrests",
                "oic_charges": "Charges",
                "charge_rate": "Charge rate",
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Rank": st.column_config.NumberColumn(format="%d"),
            "Charge rate": st.column_config.NumberColumn(format="percent"),
        },
    )


def _target_form(target: float) -> None:
    with st.form("debrief_target", enter_to_submit=False):
        chosen = st.number_input(
            "Target debrief rate (%)",
            min_value=0,
            max_value=100,
            step=5,
            value=int(round(target * 100)),
            key="debrief_target_percent",
        )
        if st.form_submit_button("Set the target"):
            if not may_change_settings():  # checked again where it writes
                st.error("Only administrators can change targets.")
                return
            data.change_debrief_target(chosen / 100, current_user())
            st.success(f"Target set to {chosen}%.")
            st.rerun()


def crime_groups(period: str, first: dt.date, last: dt.date) -> None:
    """National stocks side by side, then the share graded high priority in each region on a shared scale.
    A stock counts the organisations that returned that week, so a missing return shows as a dip."""
    national_columns = st.columns(2)
    for column, code in zip(national_columns, ("ocg_mapped", "ocg_high_priority_share"), strict=False):
        item = measure(code)
        with column:
            trend_card(
                item,
                trend_rows(period, "national", list(item.base_codes), first, last),
                period,
                first,
                last,
                key=f"groups_{code}",
            )
    share = measure("ocg_high_priority_share")
    regional = series_by_group(trend_rows(period, "region", list(share.base_codes), first, last), share)
    chart_card(
        charts.small_multiples(
            regional, share.short_label, data.events(), f"{share.label} by ROCU region, {period.lower()}", percent=True
        ),
        describe_series(share, regional, period),
        regional.rename(columns={"period_start": "period_starting", "group_name": "region", "value": share.code}),
        "high_priority_share_by_region.csv",
        key="groups_by_region",
        about=share.definition,
    )
