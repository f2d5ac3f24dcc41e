"""A force's own view (or a ROCU region's): its figures against the forces most like it and the nation, its rank
among them and how that moved, what stands out, its recommendations, its actions and its returns record. Held in
the URL (?force=kent, ?rocu=ersou), so a force analyst bookmarks it as a home page."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from taskforce.analysis import force_profile, similar
from taskforce.briefing import actions
from taskforce.core.formats import as_date, format_date, format_datetime
from taskforce.maps import areas
from taskforce.measures.vocabulary import ActionSource
from taskforce.recommendations import overdue
from taskforce.release import periods, tables
from taskforce.release import regional as released_areas
from taskforce.ui import data, released
from taskforce.ui.briefing_actions import action_listing
from taskforce.ui.controls import linked_choice
from taskforce.ui.downloads import download_csv, wider_circulation
from taskforce.ui.states import latest_week_or_stop
from taskforce.ui.styles import ACTION_CELLS, RECEIPT_CELLS, STATUS_CELLS, styled
from taskforce.ui.text import escape_markdown

FORCE, ROCU = "Police force", "ROCU region"
PERIODS = ["Last 4 weeks", "Last 12 weeks"]
RETURNS_WEEKS = 12
COMPUTED = (
    "**Most similar forces are computed here**, not the Home Office's Most Similar Groups (the reference data "
    "holds none): by residents and OIC exposure in the returns (migrants encountered and taskings received per "
    "100,000 over the latest 52 weeks). The reference data gives no area, coastline or ports, so density, ports "
    "and coast are not used (About the data: Most similar forces, computed, not official)."
)


def render() -> None:
    st.title("A force's own view")
    last = latest_week_or_stop()
    forces, rocus = data.query("map_forces"), _rocus()
    kind = linked_choice(
        st.segmented_control, "View of", [FORCE, ROCU], key="of", default=ROCU if _asked_for_rocu() else FORCE
    )
    chosen = _picker(forces, rocus, kind)
    if not chosen:
        st.info("Choose a force or a ROCU region. Bookmark the page once chosen: the link opens it again.")
        return
    if kind == FORCE:
        force_view(forces.set_index("org_code").loc[chosen], forces, last)
    else:
        region_view(chosen, str(rocus.loc[chosen, "short_name"]), forces, last)


def _rocus() -> pd.DataFrame:
    organisations = data.query("organisations")
    return organisations[organisations["type"] == "rocu"].set_index("code")


def _asked_for_rocu() -> bool:
    return "rocu" in st.query_params and "force" not in st.query_params


def _picker(forces: pd.DataFrame, rocus: pd.DataFrame, kind: str) -> str | None:
    """The force (?force=) or ROCU (?rocu=) the view is of; a code in the URL that is neither says so."""
    key, names = (
        ("force", dict(zip(forces["org_code"], forces["org_name"], strict=True)))
        if kind == FORCE
        else ("rocu", dict(zip(rocus.index, rocus["name"], strict=True)))
    )
    asked = st.query_params.get(key)
    if asked and asked not in names:
        st.warning(f"No {kind.lower()} has the code “{escape_markdown(asked)}”: choose one from the list.")
        del st.query_params[key]
    chosen = linked_choice(
        st.selectbox,
        kind,
        [""] + sorted(names, key=lambda code: names[code]),
        key=key,
        default="",
        format_func=lambda code: names.get(code, f"Choose a {kind.lower()}"),
    )
    return chosen or None


def _period(last: dt.date) -> tuple[tuple[dt.date, dt.date], tuple[dt.date, dt.date]]:
    choice = linked_choice(st.segmented_control, "Period", PERIODS, key="force_period", default=PERIODS[0])
    now = areas.period_bounds(choice, last)
    return now, areas.previous_period(*now)


def force_view(force: pd.Series, forces: pd.DataFrame, last: dt.date) -> None:
    code = str(force.name)
    st.subheader(str(force["org_name"]))
    region = str(force["rocu_region"])
    st.caption(
        escape_markdown("Outside the ROCU network." if region == force["org_name"] else f"ROCU region: {region}.")
    )
    if wider_circulation():
        _released_profile(code, forces)
    else:
        _against_similar(code, forces, last)
    _recommendations(code)
    _actions(code)
    _returns_record(code, last)


def _against_similar(code: str, forces: pd.DataFrame, last: dt.date) -> None:
    (first, end), before = _period(last)
    st.caption(f"Weeks ending {format_date(first)} to {format_date(end)}, against the {_weeks(first, end)} before.")
    exposure = data.query(
        "map_values",
        {"measures": list(similar.EXPOSURE_MEASURES), "from": last - dt.timedelta(weeks=51), "to": last},
    )
    group = similar.most_similar(similar.features(forces, exposure), code)
    names = dict(zip(forces["org_code"], forces["org_name"], strict=True))
    if group:
        st.markdown(COMPUTED)
        st.write(f"Its {len(group)} most similar forces, nearest first: {similar.group_words(names, group)}.")
    else:
        st.info("This force has no resident population, so no forces are like it: it is compared with the nation.")
    now, earlier = _per_force(first, end), _per_force(*before)
    members = {"force": [code], similar.SIMILAR: [code, *group], "national": forces["org_code"].tolist()}
    if not group:
        del members[similar.SIMILAR]
    _comparison(similar.area_rows(now, forces, members), similar.FORCE_AREAS, similar.FORCE_COMPARED_WITH)
    if group:
        _ranks(code, now, earlier, forces, {unit: [unit] for unit in [code, *group]}, "its most similar forces")


def _weeks(first: dt.date, last: dt.date) -> str:
    return f"{(last - first).days // 7 + 1} weeks"


def _per_force(first: dt.date, last: dt.date) -> pd.DataFrame:
    return data.query("map_values", {"measures": force_profile.base_codes(), "from": first, "to": last})


def _comparison(rows: pd.DataFrame, headings: dict[str, str], compared_with: dict[str, str]) -> None:
    """The profile's table (counts per 100,000, rates as rates) and what stands out, by the profile's rule."""
    shown = {area: heading for area, heading in headings.items() if area in set(rows["area"])}
    st.table(_basis_in_the_label(force_profile.comparison_table(rows, areas=shown)))
    tested = {area: words for area, words in compared_with.items() if area in shown}
    found = force_profile.comparisons(force_profile.totals_by_area(rows), compared_with=tested)
    _standing_out(force_profile.standing_out_words(found, tested, _others(tested)))


def _basis_in_the_label(table: pd.DataFrame) -> pd.DataFrame:
    """The profile's table with what each figure is per in its row's label ('OIC arrests, per 100,000
    residents'; a rate is its own basis), one column fewer, so the table fits a phone without a scroll box."""
    labels = [
        measure if basis == "rate" else f"{measure}, {basis}"
        for measure, basis in zip(table["Measure"], table["Basis"], strict=True)
    ]
    return table.drop(columns=["Measure", "Basis"]).set_axis(labels).rename_axis("Measure")


def _others(compared_with: dict[str, str]) -> str:
    return "its most similar forces or the nation" if similar.SIMILAR in compared_with else "the nation"


def _standing_out(sentences: list[str]) -> None:
    st.markdown("**What stands out**\n\n" + "\n".join(f"- {escape_markdown(line)}" for line in sentences))
    st.caption(
        "Rates only, against 95% funnel limits for its base, allowing for every comparison made "
        "(About the data: What stands out on a force's profile)."
    )


def _ranks(unit: str, now: pd.DataFrame, before: pd.DataFrame, forces: pd.DataFrame, units: dict, among: str) -> None:
    codes = list(force_profile.PROFILE_MEASURES)
    standing = similar.Standing(
        unit,
        similar.unit_values(now, forces, units, codes),
        similar.unit_values(before, forces, units, codes),
    )
    st.markdown(f"**Rank among {escape_markdown(among)}** (1 the best; the same group in both periods)")
    table = standing.table()
    st.dataframe(table, hide_index=True, width="stretch", key="force_ranks")
    download_csv("Download the ranks (CSV)", table, f"ranks-{unit}.csv", key="force_ranks_csv")


def _released_profile(code: str, forces: pd.DataFrame) -> None:
    """Wider circulation: the force against its region and the nation from the release's shown cells, over its
    fixed 4-week period. Similar forces and ranks, made from a force's own small counts, stay in the taskforce."""
    release = data.release()
    period = next(p for p in tables.area_periods(release) if p.name == periods.FOUR_WEEKS_NAME)
    st.caption(f"For wider circulation: {period.words()}, a fixed period of the release.")
    st.table(_basis_in_the_label(released_areas.profile_table(release, period, code, forces)))
    st.caption(released.method_note())
    totals = released_areas.profile_totals(release, period, code, forces)
    _standing_out(force_profile.standing_out_words(force_profile.comparisons(totals)))
    st.info(
        "The comparison with its most similar forces and its ranks are for the taskforce's own circulation only: "
        "they are made from counts too small to circulate more widely."
    )


def _recommendations(code: str) -> None:
    st.markdown("**Recommendations addressed to every chief constable**")
    as_at = data.status_date()
    matrix = data.query("force_recommendation_matrix", {"as_of": as_at})
    mine = matrix[matrix["force_code"] == code]
    if mine.empty:
        st.write("None addressed to this organisation.")
        return
    table = pd.DataFrame(
        {
            "No.": mine["recommendation"].astype(int),
            "Recommendation": mine["short_title"],
            "Status": [
                overdue.shown_status(status, overdue.is_overdue(status, as_date(due), as_at))
                for status, due in zip(mine["status"], mine["due_date"], strict=True)
            ],
            "Due": [format_date(as_date(due)) for due in mine["due_date"]],
            "Last report": [format_date(as_date(day)) if pd.notna(day) else "None" for day in mine["last_update"]],
        }
    )
    st.caption(f"As at {format_date(as_at)}: the force's own latest status report on each.")
    st.dataframe(styled(table, ["Status"], STATUS_CELLS), hide_index=True, width="stretch", key="force_recs")


def _actions(code: str) -> None:
    """The briefing's actions it owns, or that follow from it."""
    st.markdown("**Actions from the briefing**")
    table = actions.with_overdue(data.query("briefing_actions"), data.release().position.data_up_to or dt.date.min)
    owned = (table["owner_org"] == code) | (
        (table["follows_kind"] == ActionSource.FORCE) & (table["follows_ref"] == code)
    )
    if not owned.any():
        st.write("No action of the briefing is owned by it or follows from it.")
        return
    st.dataframe(
        styled(action_listing(table[owned]), ["Status"], ACTION_CELLS),
        hide_index=True,
        width="stretch",
        key="force_actions",
    )


def _returns_record(code: str, last: dt.date) -> None:
    first = last - dt.timedelta(weeks=RETURNS_WEEKS - 1)
    record = data.query("force_returns_record", {"org": code, "from": first, "to": last})
    st.markdown(f"**Returns, last {RETURNS_WEEKS} weeks**")
    if record.empty:
        st.write("No weeks with returns yet.")
        return
    st.write(force_profile.returns_record_words(record))
    table = pd.DataFrame(
        {
            "Week ending": [format_date(as_date(week)) for week in record["week_ending"]],
            "Return": record["receipt_status"].astype(str),
            "First received": [_received(moment) for moment in record["first_received_at"]],
            "Uploads": record["uploads"].astype(int),
        }
    ).iloc[::-1]
    st.dataframe(styled(table, ["Return"], RECEIPT_CELLS), hide_index=True, width="stretch", key="force_returns")


def _received(moment) -> str:
    return format_datetime(moment) if pd.notna(moment) else "Not received"


def region_view(code: str, region: str, forces: pd.DataFrame, last: dt.date) -> None:
    """A ROCU region against every other ROCU region and the nation."""
    st.subheader(str(_rocus().loc[code, "name"]))
    members = forces[forces["rocu_region"] == region]
    st.caption(escape_markdown(f"Its forces: {', '.join(members['org_name'])}."))
    if wider_circulation():
        st.info(
            "A ROCU region's own view is for the taskforce's own circulation only. For wider circulation, the "
            "Regional activity page shows every region from the release's protected figures."
        )
        return
    (first, end), before = _period(last)
    st.caption(f"Weeks ending {format_date(first)} to {format_date(end)}, against the {_weeks(first, end)} before.")
    now, earlier = _per_force(first, end), _per_force(*before)
    rows = similar.area_rows(now, forces, {"force": members["org_code"], "national": forces["org_code"]})
    _comparison(rows, similar.REGION_AREAS, similar.REGION_COMPARED_WITH)
    regions = {
        name: group["org_code"].tolist()
        for name, group in forces[forces["org_code"].isin(_in_a_rocu(forces))].groupby("rocu_region")
    }
    _ranks(region, now, earlier, forces, regions, "the ROCU regions")
    _region_recommendations(members)
    _actions(code)
    _region_returns(members, last)


def _region_recommendations(members: pd.DataFrame) -> None:
    """Each of its forces' status on each recommendation addressed to every chief constable."""
    st.markdown("**Recommendations addressed to every chief constable, by its forces**")
    as_at = data.status_date()
    matrix = data.query("force_recommendation_matrix", {"as_of": as_at})
    mine = matrix[matrix["force_code"].isin(members["org_code"])].copy()
    mine["shown"] = [
        overdue.shown_status(status, overdue.is_overdue(status, as_date(due), as_at))
        for status, due in zip(mine["status"], mine["due_date"], strict=True)
    ]
    mine["column"] = mine["recommendation"].astype(int).astype(str) + ". " + mine["short_title"]
    table = mine.pivot(index="force_name", columns="column", values="shown").rename_axis(index="Force", columns=None)
    st.caption(f"As at {format_date(as_at)}: each force's own latest status report.")
    st.dataframe(
        styled(table.reset_index(), list(table.columns), STATUS_CELLS),
        hide_index=True,
        width="stretch",
        key="region_recs",
    )


def _region_returns(members: pd.DataFrame, last: dt.date) -> None:
    """A ROCU makes no weekly return of its own: its forces' records, a line each."""
    first = last - dt.timedelta(weeks=RETURNS_WEEKS - 1)
    st.markdown(f"**Its forces' returns, last {RETURNS_WEEKS} weeks** (a ROCU makes no weekly return of its own)")
    lines = [
        f"{force.org_name}: "
        + force_profile.returns_record_words(
            data.query("force_returns_record", {"org": force.org_code, "from": first, "to": last})
        )
        for force in members.itertuples()
    ]
    st.markdown("\n".join(f"- {escape_markdown(line)}" for line in lines))


def _in_a_rocu(forces: pd.DataFrame) -> list[str]:
    """The forces a ROCU serves (the Met, Scotland, Northern Ireland and BTP have none)."""
    served = set(_rocus()["short_name"])
    return forces.loc[forces["rocu_region"].isin(served), "org_code"].tolist()
