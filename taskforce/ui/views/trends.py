"""Arrests and charges: weekly, monthly or quarterly, by agency, region or force, against last year."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from taskforce import charts
from taskforce.analysis import crossings
from taskforce.analysis.trends import SPLITS, series_by_group
from taskforce.core.kinds import MeasureKind
from taskforce.measures.registry import Measure, measure
from taskforce.release import series
from taskforce.ui import data, released
from taskforce.ui.cards import chart_card
from taskforce.ui.controls import linked_choice, linked_multiselect, share_link
from taskforce.ui.downloads import wider_circulation
from taskforce.ui.trend_cards import (
    card_control,
    comparison_overlays,
    period_and_range,
    shown_for_audience,
    trend_card,
    trend_rows,
    year_on_year_words,
)

SHOWN_MEASURES = ["oic_arrests", "oic_charges", "charge_rate"]


def render() -> None:
    _page()


@st.fragment
def _page() -> None:
    """Everything on the page hangs on the period and the range, so the page is one fragment: changing them
    reruns this, not the frame around it (20 leaders changing the period at once each cost the server the
    frame's work too). The link to the view is inside, so it follows the choices."""
    st.title("Arrests and charges")
    if wider_circulation():
        _released_page()
        return
    period, first, last, _ = period_and_range()
    shown = _measure_choice()
    _year_on_year(last)
    _main_trend(shown, period, first, last)
    _by_region(shown, period, first, last)
    _crossings(first, last)
    share_link()


def _measure_choice() -> Measure:
    return measure(
        linked_choice(
            st.segmented_control,
            "Measure",
            SHOWN_MEASURES,
            key="measure",
            default="oic_arrests",
            format_func=lambda c: measure(c).label,
        )
    )


def _released_page() -> None:
    """Wider circulation: every figure from the week's release. The nation week by week and the 12 weeks
    against the 12 before; agencies and regions over the fixed 4-week periods; no chosen forces, ranges or
    months, which would let one figure be taken from another."""
    st.caption(released.WHAT_WIDER_SHOWS)
    shown = _measure_choice()
    release = data.release()
    for column, code in zip(st.columns(len(SHOWN_MEASURES)), SHOWN_MEASURES, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{measure(code).label}**")
            st.write(series.period_against_previous(release, measure(code)))
    split = linked_choice(
        st.segmented_control, "Split", list(released.SPLITS), key="released_split", default="National"
    )
    released.trend(shown, released.SPLITS[split], "main_trend", f"{shown.label}, {split.lower()}, from the release")
    st.subheader("By ROCU region")
    _by_region_released(shown)
    weeks = released.national_weekly(shown)["period_start"]
    _crossings(min(weeks), max(weeks))
    share_link()


def _year_on_year(last: dt.date) -> None:
    for column, code in zip(st.columns(len(SHOWN_MEASURES)), SHOWN_MEASURES, strict=True):
        with column, st.container(border=True):
            st.markdown(f"**{measure(code).label}**")
            st.write(year_on_year_words(measure(code), last))


@st.fragment
def _main_trend(shown: Measure, period: str, first: dt.date, last: dt.date) -> None:
    """The split and the chart it draws: changing the split reruns only this part of the page."""
    split = linked_choice(st.segmented_control, "Split", list(SPLITS), key="split", default="National")
    forces = []
    if split == "Chosen forces":
        force_list = data.query("force_list")
        names = dict(zip(force_list["org_code"], force_list["org_name"], strict=True))
        forces = linked_multiselect(
            "Forces", list(names), key="forces", format_func=names.get, placeholder="Choose forces to compare"
        )
        if not forces:
            st.info("Choose one or more forces to compare.")
            return
    rows = trend_rows(period, SPLITS[split], ["oic_arrests", "oic_charges"], first, last, forces)
    overlays = comparison_overlays(shown, first, last) if period == "Weekly" and split == "National" else None
    control = card_control(shown, last) if overlays is not None else None
    trend_card(shown, rows, period, first, last, key="main_trend", overlays=overlays, control=control)
    if overlays is None:
        st.caption("The rolling average and last year's line are drawn for the weekly national view.")


def _by_region(shown: Measure, period: str, first: dt.date, last: dt.date) -> None:
    st.subheader("By ROCU region")
    regional = shown_for_audience(
        series_by_group(trend_rows(period, "region", list(shown.base_codes), first, last), shown), shown
    )
    chart_card(
        charts.small_multiples(
            regional,
            shown.short_label,
            data.events(),
            f"{shown.label} by ROCU region, {period.lower()}",
            percent=shown.kind == MeasureKind.RATE,
        ),
        f"{shown.label} for each ROCU region and each force outside the ROCU network, on a shared scale.",
        regional.rename(columns={"period_start": "period_starting", "group_name": "region", "value": shown.code}),
        f"{shown.code}_by_region.csv",
        key="regions",
        count_columns=[shown.code] if shown.kind == MeasureKind.COUNT else None,
    )


def _by_region_released(shown: Measure) -> None:
    """Wider circulation: each region's 13 fixed 4-week periods from the release, gaps where hidden."""
    released.trend(shown, series.REGION, "regions", f"{shown.label} by ROCU region, fixed 4-week periods")


def _crossings(first: dt.date, last: dt.date) -> None:
    st.subheader("Context: small-boat crossings (real figures)")
    arrivals = data.query("small_boat_arrivals", {"from": first, "to": last})
    chart_card(
        charts.crossings_context(arrivals, "People detected crossing the Channel in small boats, by month"),
        "Monthly people detected crossing in small boats. Lighter bars are provisional, and the last may be partial.",
        arrivals,
        "small_boat_arrivals.csv",
        key="crossings",
        about=f"Home Office, Irregular migration to the UK: {crossings.series_status_words(arrivals)} (lighter "
        "bars are provisional or partial). The only real figures on this page.",
    )
