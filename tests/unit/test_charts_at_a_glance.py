"""Charts that read at a glance: event labels never print over each other, rates over the cap are noted,
ranked lists ordered as their titles say, Sankey names beside the flows, and a change map's small bases not
painted as missing returns."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from taskforce import charts
from taskforce.maps import areas
from taskforce.measures import palette

WEEKS = [dt.date(2025, 9, 7) + dt.timedelta(weeks=n) for n in range(8)]


def _table(values) -> pd.DataFrame:
    return pd.DataFrame({"period_start": WEEKS, "group_name": "Region", "value": values})


def test_event_labels_close_in_time_are_put_on_different_rows():
    events = pd.DataFrame(
        {
            "event_date": [WEEKS[2], WEEKS[2] + dt.timedelta(days=3), WEEKS[3]],
            "end_date": [None, None, None],
            "label": ["Launch", "Lockstream", "Review"],
        }
    )
    figure = charts.group_trend(_table(range(8)), "People", events, "t")
    heights = [annotation.y for annotation in figure.layout.annotations if annotation.text in events["label"].values]
    assert len(heights) == 3 and len(set(heights)) == 3


def test_a_rate_axis_stops_at_the_cap_with_a_note_naming_the_groups_above():
    figure = charts.group_trend(
        _table([0.9, 1.0, 6.0, 0.8, 0.9, 1.0, 0.9, 0.8]),
        "Rate",
        pd.DataFrame(columns=["event_date", "end_date", "label"]),
        "t",
        percent=True,
    )
    assert list(figure.layout.yaxis.range) == [0, charts.RATE_CAP]
    assert "Region" in figure.layout.title.subtitle.text and "150%" in figure.layout.title.subtitle.text


def test_furthest_behind_puts_the_lowest_at_the_top():
    table = pd.DataFrame({"org": ["a", "b", "c"], "rate": [0.5, 0.1, 0.9]})
    figure = charts.ranked_bars(table, "org", "rate", "The 3 furthest behind", "x", percent=True, lowest_first=True)
    assert list(figure.data[0].y)[-1] == "b"  # Plotly draws the last bar at the top
    assert list(charts.ranked_bars(table, "org", "rate", "Top", "x").data[0].y)[-1] == "c"


def test_sankey_names_are_beside_the_flows_not_on_them():
    flows = pd.DataFrame(
        {"sender": ["North", "South", "North"], "destination": ["NCA", "NCA", "Border Force"], "packages": [10, 5, 3]}
    )
    figure = charts.sharing_flows(flows, "t")
    assert set(figure.data[0].node.label) == {""}
    placed = {annotation.text: annotation.x for annotation in figure.layout.annotations}
    assert placed["North"] == 0 and placed["South"] == 0 and placed["NCA"] == 1 and placed["Border Force"] == 1


def test_a_change_on_a_small_base_is_not_painted_the_no_return_grey():
    classes = areas.classify_change()
    assert classes.unclassed == palette.SMALL_BASE != palette.NO_RETURN
    assert (palette.SMALL_BASE, "No change on a base under 10, or no comparison") in classes.keys
