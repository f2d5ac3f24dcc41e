"""About the data: definitions, sources, provenance and the accessibility statement."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from taskforce.analysis import crossings, methods
from taskforce.core.calendar import london_today
from taskforce.core.formats import as_date, format_date
from taskforce.maps import areas
from taskforce.recommendations.forecast import FORECAST_METHOD
from taskforce.release import method
from taskforce.ui import data
from taskforce.ui.downloads import download_csv
from taskforce.ui.text import escape_markdown, name_the_next


def render() -> None:
    st.title("About the data")
    loaded = data.query("what_is_loaded").iloc[0]
    _what_is_loaded(loaded)
    _measures()
    _methods()
    _wider_circulation()
    _organisations()
    _events()
    _catalogue()
    _recommendations(loaded)
    _accessibility()


def _what_is_loaded(status: pd.Series) -> None:
    st.header("What is loaded")
    span = (
        f"Weekly returns from the week ending {format_date(status['first_week'])} to the week ending "
        f"{format_date(status['last_week'])}: {int(status['live_values']):,} live values."
    )
    st.write(span if as_date(status["last_week"]) else "No weekly returns are loaded yet.")
    if bool(status["demo_loaded"]):
        st.write(
            "The returns are **demo data**, made by a deterministic generator (`python -m taskforce build-demo`) "
            f"as of {status['demo_as_of']}. They are shaped like real returns: each force's level follows its "
            "resident population and its exposure to organised immigration crime (coastal and port forces, and "
            "London, carry more); the season follows the real small-boat crossings; activity rises after the "
            "taskforce launch and moves with the dated events listed below. As real returns do, they include late "
            "and missing returns, a resubmission and a nil return. No figure is real."
        )


def method_texts() -> list[tuple[str, str]]:
    """Every method in plain words, each read from the constant beside its code."""
    texts = [*methods.METHODS, ("The forecast", FORECAST_METHOD), ("Map classes", areas.MAP_CLASSES_METHOD)]
    texts.append(
        (
            "Disclosure control for wider circulation",
            f'{method.paragraphs()[0]} The whole method is under "{method.HEADING}" below.',
        )
    )
    texts.append(("Revisions: what late returns add", method.REVISIONS_METHOD))
    return texts


def _methods() -> None:
    st.header("Methods: how the figures are worked out")
    for heading, text in method_texts():
        st.markdown(f"**{heading}.** {escape_markdown(text)}")


def _wider_circulation() -> None:
    st.header(method.HEADING)
    for paragraph in method.paragraphs():
        st.write(paragraph)


def _measures() -> None:
    st.header("Measures")
    st.write(
        "Every measure the forces and agencies return each week, and the rates derived from them. "
        "A flow is summed over weeks; a stock is a count at the end of the week, so the latest value counts."
    )
    measures = data.query("measure_catalogue")
    shown = measures.assign(
        higher_is_better=measures["higher_is_better"].map({True: "Higher", False: "Lower"}).fillna("Neither"),
        aggregation=measures["aggregation"].map({"flow": "Flow (summed)", "stock": "Stock (latest)"}),
    )[["label", "category", "unit", "aggregation", "higher_is_better", "definition", "source"]]
    _wide_table(
        "the measures, with category, unit, how each adds up, which way is better, definition and source",
        shown.rename(
            columns={
                "label": "Measure",
                "category": "Category",
                "unit": "Unit",
                "aggregation": "Adds up as",
                "higher_is_better": "Better when",
                "definition": "Definition",
                "source": "Source",
            }
        ).set_index("Measure"),
    )
    download_csv("Download the measure catalogue (CSV)", measures, "measure_catalogue.csv")


def _organisations() -> None:
    st.header("Forces, regional units and agencies")
    st.write(
        "The 43 police forces of England and Wales, Police Scotland, the Police Service of Northern Ireland and "
        "British Transport Police; the nine regional organised crime units (ROCUs); and the partner agencies: "
        "the National Crime Agency, Immigration Enforcement and Border Force. North Wales Police is in the North "
        "West ROCU and Kent Police in the Eastern ROCU (ERSOU). London has no ROCU: the Metropolitan Police "
        "provides that capability. Police Scotland, PSNI and BTP are outside the ROCU network."
    )
    st.write(
        "Population: ONS mid-2023 population estimates for England and Wales, aggregated from local authorities "
        "to police force areas with the ONS December 2023 lookup; National Records of Scotland and NISRA mid-2023 "
        "estimates for Scotland and Northern Ireland. British Transport Police has no resident population. "
        "Force centroids are computed from the ONS police force area boundaries, except those marked estimated."
    )
    organisations = _no_blank_words(data.query("organisations"))
    st.dataframe(
        organisations,
        hide_index=True,
        width="stretch",
        column_config={
            "code": "Code",
            "name": "Name",
            "short_name": "Short name",
            "type": "Type",
            "region": "Region",
            "rocu": "ROCU",
            "nation": "Nation",
            "ons_code": "ONS code",
            "population": "Population",
            "population_year": "Population year",
            "population_source": "Population source",
            "latlon_estimated": "Centroid estimated",
            "expected_to_return": "Owes a weekly return",
        },
    )


def _no_blank_words(organisations: pd.DataFrame) -> pd.DataFrame:
    """The reference table with nothing a grid would draw as "None": an organisation outside the ROCU network
    has "none" as its ROCU, BTP's population is "no residents", and a flag not recorded is "not known"."""
    shown = organisations.copy()
    shown["population"] = [f"{int(people):,}" if pd.notna(people) else "no residents" for people in shown["population"]]
    for flag in ("latlon_estimated", "expected_to_return"):
        shown[flag] = shown[flag].map({True: "Yes", False: "No"}).fillna("not known")
    words = shown.select_dtypes(include=["object", "string"]).columns
    shown[words] = shown[words].astype(object).where(shown[words].notna(), "none")
    return shown


def _events() -> None:
    st.header("Dated events")
    events = data.query("events")
    _wide_table(
        "the dated events, with their dates, description and source",
        events.assign(
            event_date=events["event_date"].map(format_date),
            end_date=events["end_date"].map(lambda day: format_date(day) if day is not None and day == day else ""),
        )
        .rename(
            columns={
                "event_date": "From",
                "end_date": "To",
                "label": "Event",
                "description": "Description",
                "source": "Source",
            }
        )
        .set_index("Event"),
    )


def _wide_table(name: str, frame) -> None:
    """A table too wide for a phone: a grid that scrolls sideways inside its own box, by keyboard too, with its
    first column (the index) pinned; every cell in full in the grid's tooltip and the CSV."""
    name_the_next("Table", name)
    st.dataframe(
        frame,
        width="stretch",
        column_config={
            "Definition": st.column_config.TextColumn(width="large"),
            "Description": st.column_config.TextColumn(width="large"),
        },
    )


def _catalogue() -> None:
    st.header("Data catalogue")
    snapshot = data.current_snapshot()
    st.write(
        "The datasets the partner agencies share with the taskforce, read where each agency puts them (declared "
        "in `data/catalogue.toml`; pages read them as `shared.<name>`). Each file is one whole extract; the newest "
        "file whose columns and types match the catalogue is read, and one that differs is refused below while "
        f"the last good one stays in use. The dashboard's own data is {snapshot.label}."
    )
    st.write(
        "A file is read once it is complete: renamed into place after it was written, or unchanged in size and "
        f"time for {data.SHARED_SETTLE_SECONDS} seconds. A file larger than its dataset's limit, a file that links "
        "outside its folder, and a folder that leads outside the shared-data folder are refused. The dashboard "
        f"looks in the folders every {data.CATALOGUE_CHECK_SECONDS:g} seconds in the background; this page shows "
        "its last look."
    )
    today = london_today()
    for state in data.shared_datasets():
        _dataset(state, today)


def _dataset(state, today: dt.date) -> None:
    dataset = state.dataset
    with st.container(border=True):
        st.subheader(dataset.title)
        st.markdown(
            escape_markdown(
                f"Owner: {dataset.owner}. Marking: {dataset.marking}. Read as "
                f"shared.{dataset.name}. Largest file: {dataset.max_file_megabytes:g} MB. "
                f"{dataset.description}"
            )
        )
        if not state.looked:
            st.info(
                "The dashboard has not finished its first look in this folder since it started. Open this "
                "page again in a few seconds.",
                icon=":material/hourglass:",
            )
        if state.synthetic:
            st.warning(
                f"Synthetic: this extract was made up by the demo build. These are not {dataset.owner} figures.",
                icon=":material/science:",
            )
        rows, arrived, due, status = st.columns(4)
        rows.metric("Rows", f"{state.rows:,}")
        arrived.metric("Last arrival", format_date(state.arrived) if state.arrived else "None")
        due.metric("Expected", f"every {dataset.arrives_every_days} days")
        status.metric(*_arrival_words(state, today))
        for refusal in state.refused:
            kept = f" The last good file, {state.file.name}, is still read." if state.file else ""
            st.error(escape_markdown(f"Refused {refusal.file}: {refusal.reason}{kept}"), icon=":material/block:")
        for name in state.arriving:
            st.info(
                escape_markdown(
                    f"Still arriving: {name}. It is read once it is complete (renamed into place, "
                    f"or unchanged for {data.SHARED_SETTLE_SECONDS} seconds)."
                ),
                icon=":material/hourglass:",
            )
        if dataset.name == "small_boat_arrivals" and state.rows:
            arrivals = data.query("small_boat_arrivals", {"from": dt.date(1900, 1, 1), "to": today})
            st.caption(
                f"The one real public series here: {crossings.series_status_words(arrivals)}. It is context "
                "on the trend pages and, in a demo database, shapes the season of the synthetic returns."
            )
        st.table(
            pd.DataFrame(
                [
                    {"Column": column.name, "Type": column.type, "Definition": column.definition}
                    for column in dataset.columns
                ]
            ).set_index("Column")
        )


def _arrival_words(state, today: dt.date) -> tuple[str, str]:
    """The arrival metric's label (with the date the next file is due by) and its value."""
    due = state.due_by()
    if due is None:
        return "Arrival", "None yet"
    return f"Next due by {format_date(due)}", "Late" if state.is_late(today) else "On time"


def _recommendations(status: pd.Series) -> None:
    st.header("The recommendations")
    count = len(data.query("recommendation_status", {"as_of": data.status_date()}))
    if bool(status["illustrative_recommendations"]):
        st.write(
            f"The {count} recommendations shown are **illustrative**. HMICFRS published *Improving the response "
            "to organised immigration crime* on 16 May 2025 (fieldwork January to July 2024) with 10 "
            "recommendations; "
            "their official wording is not held in this repository. The illustrative text is written from the "
            "published themes (clarify law-enforcement roles and responsibilities; improve migrant identification "
            "and intelligence gathering from migrants; take every opportunity to investigate and disrupt identified "
            "crime groups) and findings. An administrator replaces it by loading `data/reference/recommendations.csv`."
        )
    else:
        st.write("The recommendations are the official wording loaded by an administrator.")


def _accessibility() -> None:
    st.header("Accessibility")
    st.write(
        "This dashboard aims to meet the Web Content Accessibility Guidelines, WCAG 2.2, at level AA. Status is "
        "always given in words as well as colour; every chart has its numbers in a table or download and a text "
        "description; colours are the Government Analysis Function palette with dark text on pale tints. The first "
        "key press of Tab reaches a link that skips the menu to the page's controls; the maps and the main tables "
        "carry a name for screen readers that says where the same figures are as text; on a phone the pages are "
        "under a button labelled Menu, controls and buttons wrap rather than cut their words, and the force grid is "
        "drawn to fit the screen. Each page is checked with axe-core in the browser tests at 1440x900 and 390x844."
    )
    st.write(
        "Known not to meet AA: the small trend lines inside the headline cards are charts without a text "
        "alternative of their own (the text under each card describes the trend, and the download holds the "
        "numbers); some Streamlit controls announce their state imperfectly to screen readers; and tables are "
        "interactive grids that are harder to use with a keyboard than plain tables (each can be downloaded as CSV). "
        "These come from the framework, and are checked again at each upgrade."
    )
