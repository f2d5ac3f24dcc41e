"""The regional activity page: controls, the two maps, the legend, the table and the force profile."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pydeck as pdk
import streamlit as st

from taskforce.analysis import force_profile, funnel, ports
from taskforce.analysis.headlines import measure_series
from taskforce.analysis.ports import port_sentence as _port_sentence
from taskforce.core.formats import RANK_MINIMUM_BASE, as_date, format_date
from taskforce.core.kinds import MeasureKind
from taskforce.maps import areas, boundaries, hexgrid, layers
from taskforce.measures import palette
from taskforce.measures.registry import measure, registry
from taskforce.measures.vocabulary import NOT_APPLICABLE
from taskforce.recommendations import overdue
from taskforce.release import periods, tables
from taskforce.release import regional as released_areas
from taskforce.release.periods import ReleasePeriod
from taskforce.ui import data, released
from taskforce.ui.cards import sparkline_image, status_tag
from taskforce.ui.controls import link_to_view, linked_choice, select_in_url
from taskforce.ui.downloads import download_csv, wider_circulation
from taskforce.ui.funnels import FunnelAxes, funnel_card
from taskforce.ui.map_legend import legend
from taskforce.ui.states import latest_week_or_stop
from taskforce.ui.styles import MAP_HEIGHT, MAP_WIDTH
from taskforce.ui.text import escape_markdown, name_the_next


def render() -> None:
    st.title("Regional activity")
    code, basis, level, view, period = controls()
    item, forces, table, classes = map_data(code, basis, level, period)
    map_column, table_column = st.columns([3, 2])
    with table_column:  # a force clicked (or in ?force=) opens its profile here, beside the map: in view
        chosen = profile_picker(forces, _clicked(view))
        if chosen:
            with st.container(border=True, key="force_profile"):
                profile_of(chosen, period)
        area_table(table, item, basis, level, period)
        st.caption(f"About this measure: {item.definition}")
    with map_column:
        draw_map(view, layers.force_rows(table, forces, level), chosen)
        legend(classes, basis, item)
        st.caption(areas.describe_map(table, item, basis, level, *period))
    per_100k_funnel(table, item, basis, level, period)
    port_detections(period)


PER_100K = areas.BASES[1]  # "Per 100,000 residents"


def per_100k_funnel(table: pd.DataFrame, item, basis: str, level: str, period: tuple[dt.date, dt.date]) -> None:
    """Forces compared per 100,000 residents: each force's count against its residents on a funnel plot with
    exact Poisson 95% and 99.8% limits around the national rate, so a small force's high rate on a few arrests
    is seen to be within chance. Areas with a key of their own (no return, partial, too few or no residents)
    are left out, as they are from the ranking. Not in wider circulation: it plots single forces' counts."""
    if basis != PER_100K or level != "Force" or item.kind == MeasureKind.RATE:
        return
    if wider_circulation():
        st.caption(
            "For wider circulation the funnel plot of forces per 100,000 residents is not drawn: its points are "
            "single forces' counts. Rates and ranks in the table are the release's."
        )
        return
    compared = table[table["key"].isna() & table["population"].gt(0) & table["value"].notna()]
    first, last = period
    axes = FunnelAxes(
        f"{item.label} per 100,000 residents against residents, by force, {format_date(first)} to {format_date(last)}",
        "Residents",
        f"{item.short_label} per 100,000",
        "poisson",
        scale=100_000,
        percent=False,
        smallest_line=float(compared["population"].min()) / 2 if len(compared) else 1.0,
    )
    key = f"{item.code}_per_100k_funnel"
    funnel_card(item, compared["value"], compared["population"], compared["area_name"], axes, key)


PORT_COLUMNS = {
    "port": "Port",
    "force_name": "Police force area",
    "people": "People found",
    "vehicles": "Vehicles",
    "people_before": "People found, weeks before",
}
PORT_COUNTS = ["People found", "Vehicles", "People found, weeks before"]


def port_detections(period: tuple[dt.date, dt.date]) -> None:
    """Border Force's shared extract: people found concealed at each port in the period, against the same
    number of weeks before, as a ranked table with bars in it (the page already draws a table; a chart would
    make it load Plotly). Labelled with its owner and marking, and as synthetic when it is."""
    first, last = period
    state = data.shared_dataset("border_force_port_detections")
    st.subheader("Border Force: people found concealed at ports")
    if state.file is None:
        st.info(
            "No Border Force extract that matches the catalogue has arrived. See the Data catalogue on About the data.",
            icon=":material/database:",
        )
        return
    before_from, before_to = areas.previous_period(first, last)  # as many weeks as the period, just before
    weeks = (last - first).days // 7 + 1
    table = data.query(
        "port_detections", {"from": first, "to": last, "before_from": before_from, "before_to": before_to}
    )
    origin = (
        f"Shared by {state.dataset.owner} ({state.dataset.marking}), extract of {format_date(state.arrived)}"
        f"{'; SYNTHETIC demo data, not Border Force figures' if state.synthetic else ''}."
    )
    badge = ":orange-badge[Synthetic partner data] " if state.synthetic else ""
    wider = wider_circulation()
    # wider: no total, count of ports or change (each, less the shown cells, bounds the hidden ones)
    sentence = ports.WIDER_PORTS_SENTENCE if wider else _port_sentence(table, weeks)
    st.caption(badge + escape_markdown(f"{sentence} {origin}"))
    shown = table[list(PORT_COLUMNS)].rename(columns=PORT_COLUMNS)
    if wider:
        shown = ports.for_wider_circulation(table)[list(PORT_COLUMNS)].rename(columns=PORT_COLUMNS)
        st.dataframe(shown.astype({column: str for column in PORT_COUNTS}), hide_index=True, width="stretch")
        st.caption(escape_markdown(ports.PORTS_WIDER_METHOD))
    else:
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={
                "People found": st.column_config.ProgressColumn(
                    "People found", format="%d", min_value=0, max_value=max(int(shown["People found"].max()), 1)
                )
            },
        )
    download_csv(
        "Download the port detections (CSV)",
        shown,
        "port_detections.csv",
        key="port_detections_download",
        count_columns=PORT_COUNTS,
        released=wider,
    )
    st.caption(escape_markdown(f"About this data: {state.dataset.description}"))


def controls() -> tuple[str, str, str, str, tuple[dt.date, dt.date]]:
    """Measure, basis, level, view and period, all held in the URL."""
    last_week = latest_week_or_stop()
    first_row = st.columns([2, 2, 1, 1])
    with first_row[0]:
        code = linked_choice(
            st.selectbox,
            "Measure",
            list(registry()),
            key="measure",
            default="oic_arrests",
            format_func=lambda c: measure(c).label,
        )
    with first_row[1]:
        basis = linked_choice(st.segmented_control, "Basis", areas.BASES, key="basis", default="Count")
    with first_row[2]:
        level = linked_choice(st.segmented_control, "Level", areas.LEVELS, key="level", default="Force")
    with first_row[3]:
        view = linked_choice(st.segmented_control, "Map", ["Force grid", "Geographic"], key="map", default="Force grid")
    if wider_circulation():  # only the release's fixed periods: no range that differs from another by a week
        return code, basis, level, view, _released_period_choice()
    choice = linked_choice(st.segmented_control, "Period", areas.PERIODS, key="period", default="Last 4 weeks")
    custom = None
    if choice == "Custom range":
        weeks = [w for w in pd.to_datetime(data.query("reporting_weeks")["week_ending"]).dt.date]
        start_column, end_column = st.columns(2)
        iso = [w.isoformat() for w in sorted(weeks)]
        with start_column:
            start = linked_choice(
                st.selectbox,
                "From week ending",
                iso,
                key="from",
                default=iso[-12],
                format_func=lambda d: format_date(dt.date.fromisoformat(d)),
            )
        with end_column:
            end = linked_choice(
                st.selectbox,
                "To week ending",
                iso,
                key="to",
                default=iso[-1],
                format_func=lambda d: format_date(dt.date.fromisoformat(d)),
            )
        custom = tuple(sorted((dt.date.fromisoformat(start), dt.date.fromisoformat(end))))
    return code, basis, level, view, areas.period_bounds(choice, last_week, custom)


def _released_period_choice() -> tuple[dt.date, dt.date]:
    """Wider circulation: the release's fixed periods below the nation (4 weeks, 12 weeks), by name."""
    offered = {period.name: period for period in tables.area_periods(data.release())}
    name = linked_choice(
        st.segmented_control, "Period", list(offered), key="released_period", default=periods.FOUR_WEEKS_NAME
    )
    chosen = offered[name]
    st.caption(
        f"For wider circulation: {chosen.words()}, a fixed period of the release; custom ranges are for "
        "the taskforce's own circulation."
    )
    return chosen.first, chosen.last


def _released(period: tuple[dt.date, dt.date]) -> ReleasePeriod:
    """The release period with these bounds (wider circulation offers nothing else)."""
    return next(offered for offered in tables.area_periods(data.release()) if (offered.first, offered.last) == period)


def map_data(code: str, basis: str, level: str, period: tuple[dt.date, dt.date]):
    item = measure(code)
    if wider_circulation():
        forces = data.query("map_forces")
        table, classes = released_areas.map_table(data.release(), _released(period), item, basis, level, forces)
        return item, forces, table, classes
    first, last = period
    before = areas.previous_period(first, last)
    current = data.query("map_values", {"measures": list(item.base_codes), "from": first, "to": last})
    previous = data.query("map_values", {"measures": list(item.base_codes), "from": before[0], "to": before[1]})
    forces = data.query("map_forces")
    weeks = (last - first).days // 7 + 1
    table, classes = areas.map_table(current, previous, forces, item, basis, level, weeks_in_period=weeks)
    names = dict(zip(forces["org_code"], forces["org_name"], strict=False))
    table["area_name"] = table["area"].map(names).fillna(table["area"]) if level == "Force" else table["area"]
    return item, forces, table, classes


def draw_map(view: str, rows: pd.DataFrame, chosen: str | None = None) -> None:
    """Draw the chosen map, the chosen force outlined on the force grid; a click reruns the page (`_clicked`)."""
    if view == "Geographic":
        shapes = boundaries.load_boundaries()
        if shapes is None:
            st.info(
                "The geographic map needs the official police force area boundaries, which are not installed. "
                "An administrator can add them with `python -m taskforce fetch-boundaries`. The force grid "
                "shows the same numbers.",
                icon=":material/map:",
            )
            return
        deck = layers.geo_deck(rows, shapes)
    else:
        deck = _outlined(layers.hex_deck(rows, hexgrid.load_layout(), height=MAP_HEIGHT, width=MAP_WIDTH), chosen)
    with st.container(key="force_map"):
        name_the_next(
            "Map",
            f"{view.lower()} of the forces, coloured by the figure; the table beside it lists the "
            "same figures, and the caption below describes the map",
        )
        st.pydeck_chart(deck, height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object", key=f"map_{view}")


MAP_LAYERS = {"Force grid": ("forces",), "Geographic": ("areas", "markers")}


def _clicked(view: str) -> str | None:
    """The force clicked on the map, from the map's selection as the rerun it caused starts."""
    state = st.session_state.get(f"map_{view}")
    objects = (state.get("selection") or {}).get("objects", {}) if state else {}
    for layer in MAP_LAYERS[view]:
        for picked in objects.get(layer) or []:
            found = picked.get("org_code") or picked.get("properties", {}).get("org_code")
            if found:
                return found
    return None


def _outlined(deck: pdk.Deck, chosen: str | None) -> pdk.Deck:
    """The chosen force's hexagon ringed in the text colour, over the fills and region outlines."""
    layout = hexgrid.load_layout()
    cell = layout[layout["code"] == chosen]
    if chosen is None or cell.empty:
        return deck
    ring = hexgrid.hexagon(int(cell["col"].iloc[0]), int(cell["row"].iloc[0]))
    deck.layers.insert(
        2,
        pdk.Layer(
            "PathLayer",
            pd.DataFrame({"path": [[*ring, ring[0]]]}),
            id="chosen",
            get_path="path",
            get_color=list(palette.rgb(palette.TEXT)),
            get_width=0.14,
            width_min_pixels=5,
            joint_rounded=True,
        ),
    )
    return deck


def area_table(table: pd.DataFrame, item, basis: str, level: str, period) -> None:
    per_100k = [
        value if isinstance(value, str) else NOT_APPLICABLE if pd.isna(value) else round(value, 2)
        for value in table["per_100k"]
    ]  # British Transport Police has no resident population
    shown = pd.DataFrame(
        {
            "Force" if level == "Force" else "ROCU region": table["area_name"],
            "Value": table["value"],
            "Per 100,000": per_100k,
            "Change on previous period": table["change_text"]
            .str.replace(" on the previous period", "", regex=False)
            .str.replace(r"^(.+) in the previous period$", r"was \1", regex=True),  # short enough for its column
            "Rank": pd.to_numeric(table["rank"], errors="coerce"),
            "Shown on map": table["shown_text"],
        }
    ).sort_values("Rank", na_position="last", kind="stable")  # unranked rows keep their order: by name
    shown["Per 100,000"] = shown["Per 100,000"].map(lambda rate: NO_RATE if _missing(rate) else rate)
    # never a grey "None"; one kind per column (words), so the grid does not fall back from Arrow cell by cell
    shown["Rank"] = [NOT_RANKED if _missing(rank) else str(int(rank)) for rank in shown["Rank"]]
    for column in ("Value", "Per 100,000"):  # with [c] for wider circulation, a column of words
        if shown[column].map(lambda value: isinstance(value, str)).any():
            shown[column] = [
                value if isinstance(value, str) or pd.isna(value) else f"{value:,.2f}".rstrip("0").rstrip(".")
                for value in shown[column]
            ]
    name_the_next(
        "Table",
        f"{item.label} by {level.lower()}, ranked, with the figure, the rate per 100,000 and the "
        "change on the previous period (the download adds the rank and the class on the map)",
    )
    # Ranked already, and the map shows its class: the rank and the class stay in the download, so the grid's
    # columns fit beside the map at 1366 px wide.
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=36 * min(len(shown), 17) + 4,
        column_order=[column for column in shown.columns if column not in ("Rank", "Shown on map")],
        column_config=_area_columns(level),
    )
    st.caption("  \n".join(_table_notes(table, item)))
    download_csv(
        "Download the table (CSV)",
        shown,
        f"{item.code}_{level.lower().replace(' ', '_')}_{period[0]}_{period[1]}.csv",
        count_columns=["Value"] if item.kind == MeasureKind.COUNT else None,
        derived_columns=["Per 100,000", "Change on previous period", "Rank", "Shown on map"],
        released=wider_circulation(),
    )


def _table_notes(table: pd.DataFrame, item) -> list[str]:
    """What the table's ranks and changes stand on, and why a rate can pass 100% when one does."""
    notes = [
        'A percentage change is given only on a base of 10 or more; below it, the previous count ("was 4").',
        f"A rate (per 100,000, or a rate such as the charge rate) is ranked only on a base of at least "
        f"{RANK_MINIMUM_BASE} (the count itself, or the rate's arrests or people): below it, it is shown but not "
        "ranked.",
    ]
    values = pd.to_numeric(table["value"], errors="coerce")
    if item.kind == MeasureKind.RATE and (values > 1).any():
        notes.append(funnel.OVER_100_METHOD)
    return notes


NO_RATE = NOT_APPLICABLE  # no resident population (British Transport Police), or no figure to divide
NOT_RANKED = "not ranked"


def _missing(value) -> bool:
    return not isinstance(value, str) and pd.isna(value)


def _area_columns(level: str) -> dict:
    """Short headings (the full words in their help) and narrow columns, the area's name pinned when the grid
    scrolls sideways inside its own box (on a phone)."""
    return {
        "Force" if level == "Force" else "ROCU region": st.column_config.TextColumn(pinned=True, width=168),
        "Value": st.column_config.Column(width=56),
        "Per 100,000": st.column_config.Column(
            "Per 100k", width=70, help="Per 100,000 residents; not applicable where there are none (BTP)"
        ),
        "Change on previous period": st.column_config.TextColumn(
            "Change",
            width=58,
            help='Change on the previous period; "was N" gives the previous count where it is under 10',
        ),
    }


def profile_of(force_code: str, period: tuple[dt.date, dt.date]) -> None:
    forces = data.query("map_forces").set_index("org_code")
    if force_code not in forces.index:
        return
    force = forces.loc[force_code]
    first, last = period
    st.subheader(f"Force profile: {force['org_name']}")
    st.caption(f"ROCU region: {force['rocu_region']}. Weeks ending {format_date(first)} to {format_date(last)}.")
    link_to_view("force", f"Open {force['org_name']}'s own view", {"force": force_code}, icon=":material/local_police:")
    wider = wider_circulation()
    table, totals = _profile(force_code, period, wider)
    st.table(table.set_index("Measure"))
    if wider:
        st.caption(released.method_note())
    _standing_out(totals)
    _sparklines(force_code, last)
    returns, recommendations = st.columns(2)
    with returns:
        record = data.query(
            "force_returns_record", {"org": force_code, "from": last - dt.timedelta(weeks=11), "to": last}
        )
        st.markdown("**Returns, last 12 weeks**")
        st.write(force_profile.returns_record_words(record))
    with recommendations:
        st.markdown("**Recommendations addressed to every chief constable**")
        as_at = data.status_date()
        matrix = data.query("force_recommendation_matrix", {"as_of": as_at})
        for row in matrix[matrix["force_code"] == force_code].itertuples(index=False):
            label, tag = st.columns([4, 1])
            label.write(f"{row.recommendation}. {row.short_title}")
            with tag:
                status_tag(
                    overdue.shown_status(row.status, overdue.is_overdue(row.status, as_date(row.due_date), as_at))
                )


def _profile(
    force_code: str, period: tuple[dt.date, dt.date], wider: bool
) -> tuple[pd.DataFrame, dict[str, dict[str, float]]]:
    """The profile's comparison table and the totals its statements test. Wider circulation: both from the same
    release cells as the maps, so the profile never shows, or judges on, what a map hides."""
    if wider:
        release, forces = data.release(), data.query("map_forces")
        return (
            released_areas.profile_table(release, _released(period), force_code, forces),
            released_areas.profile_totals(release, _released(period), force_code, forces),
        )
    rows = data.query(
        "force_key_measures",
        {"org": force_code, "measures": force_profile.base_codes(), "from": period[0], "to": period[1]},
    )
    return force_profile.comparison_table(rows), force_profile.totals_by_area(rows)


def _sparklines(force_code: str, last: dt.date) -> None:
    if wider_circulation():
        st.caption(
            "For wider circulation, a single force's weekly counts are not drawn: many are small enough to "
            "identify people."
        )
        return
    codes = ("oic_arrests", "oic_charges", "intel_packages_shared", "migrants_debriefed")
    series_rows = data.query(
        "org_weekly_series",
        {"org": force_code, "measures": list(codes), "from": last - dt.timedelta(weeks=25), "to": last},
    )
    for column, code in zip(st.columns(len(codes)), codes, strict=False):
        item = measure(code)
        with column:
            st.markdown(f"**{escape_markdown(item.label)}**, 26 weeks")
            series = measure_series(series_rows, item) if not series_rows.empty else pd.Series(dtype=float)
            sparkline_image(series, f"{item.label}, last 26 weeks")


def _standing_out(totals: dict[str, dict[str, float]]) -> None:
    """What stands out against the region and the nation, in sentences (force_profile.STANDS_OUT_METHOD)."""
    sentences = force_profile.standing_out_words(force_profile.comparisons(totals))
    st.markdown("**What stands out**\n\n" + "\n".join(f"- {escape_markdown(line)}" for line in sentences))
    st.caption(
        "Rates only, against funnel limits for the force's base, allowing for every comparison made "
        "(About the data: What stands out on a force's profile)."
    )


def profile_picker(forces: pd.DataFrame, clicked: str | None) -> str | None:
    """The force whose profile is open: a new click on the map chooses it, as a pick from the list does."""
    if clicked and clicked != st.session_state.get("_force_clicked"):
        select_in_url("force", clicked)
    st.session_state["_force_clicked"] = clicked
    options = [""] + forces.sort_values("org_name")["org_code"].tolist()
    names = dict(zip(forces["org_code"], forces["org_name"], strict=False))
    chosen = linked_choice(
        st.selectbox,
        "Force profile (or click a force on the map)",
        options,
        key="force",
        default="",
        format_func=lambda c: names.get(c, "Choose a force"),
    )
    return chosen or None
