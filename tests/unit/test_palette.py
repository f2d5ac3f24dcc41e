"""One palette: the theme in .streamlit/config.toml agrees with the colours the charts, maps, tags and pack use."""

from __future__ import annotations

import tomllib

from taskforce.measures import palette
from taskforce.measures.vocabulary import Receipt, RecommendationStatus
from tests.conftest import PROJECT_ROOT

THEME = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]


def test_the_theme_uses_the_palettes_main_colours():
    assert THEME["primaryColor"].upper() == palette.NAVY.upper()
    assert THEME["textColor"].lower() == palette.TEXT.lower()
    assert THEME["backgroundColor"].lower() == palette.PAGE_BACKGROUND.lower()
    assert THEME["secondaryBackgroundColor"].lower() == palette.SECONDARY_BACKGROUND.lower()
    assert THEME["linkColor"].lower() == palette.LINK.lower()


def test_the_themes_chart_colours_are_the_analysis_function_palette():
    assert [c.upper() for c in THEME["chartCategoricalColors"]] == [c.upper() for c in palette.CATEGORICAL]
    sequential = [c.upper() for c in THEME["chartSequentialColors"]]
    assert sequential[0] == palette.SEQUENTIAL[0].upper() and sequential[-1] == palette.SEQUENTIAL[-1].upper()


def test_the_themes_tag_tints_are_the_palettes():
    for name, tint in palette.TINTS.items():
        assert THEME[f"{name}TextColor"].lower() == tint.text.lower()
        assert THEME[f"{name}BackgroundColor"].lower() == tint.background.lower()


def test_every_status_and_receipt_has_a_tint_and_a_chart_colour():
    assert set(palette.STATUS_TINT) == set(RecommendationStatus)
    assert set(palette.STATUS_CHART) == set(RecommendationStatus)
    assert set(palette.RECEIPT_TINT) == set(Receipt)
    assert all(tint in palette.TINTS for tint in [*palette.STATUS_TINT.values(), *palette.RECEIPT_TINT.values()])


def test_dark_fills_are_the_darker_blues():
    assert {"#2073BC", "#12436D", "#092135"} == palette.DARK_FILLS


def _colours_of(figure) -> set[str]:
    """Every colour a Plotly figure draws with: its traces' lines, markers and fills, its shapes' fills."""
    found = set()
    for trace in figure.data:
        for part in ("line", "marker"):
            colour = getattr(getattr(trace, part, None), "color", None)
            if isinstance(colour, str):
                found.add(colour)
        if getattr(trace, "fillcolor", None):
            found.add(trace.fillcolor)
    for shape in figure.layout.shapes:
        found |= {c for c in (shape.fillcolor, shape.line.color) if c}
    return found


def test_every_chart_draws_only_in_the_palettes_series_and_status_colours():
    """Series (measures, averages, last year, targets, forecasts, events) never take a status colour, and no
    chart draws a colour the palette does not hold."""
    import datetime as dt

    import pandas as pd

    from taskforce import charts

    weeks = [dt.date(2025, 9, 7) + dt.timedelta(weeks=n) for n in range(6)]
    table = pd.DataFrame({"period_start": weeks * 2, "group_name": ["A"] * 6 + ["B"] * 6, "value": range(12)})
    events = pd.DataFrame(
        {"event_date": [weeks[1], weeks[2]], "end_date": [weeks[3], None], "label": ["Operation Lockstream", "Launch"]}
    )
    line = pd.Series(range(6), index=weeks)
    series_figures = [
        charts.group_trend(
            table,
            "People",
            events,
            "t",
            extra_lines={"Rolling 4-week average": line, "Same weeks last year": line, "Target": line},
        ),
        charts.ranked_bars(
            pd.DataFrame({"n": ["a", "b"], "v": [0.2, 0.5]}), "n", "v", "t", "x", percent=True, target=0.6
        ),
        charts.progress_forecast(
            pd.DataFrame({"as_of_date": weeks[:3], "percent_complete": [10, 20, 30]}),
            weeks[2],
            weeks[4],
            weeks[5],
            weeks[5] + dt.timedelta(weeks=9),
            30.0,
            weeks[4],
            "t",
        ),
    ]
    for figure in series_figures:
        drawn = _colours_of(figure)
        assert drawn <= palette.SERIES_COLOURS, drawn - palette.SERIES_COLOURS
        assert not drawn & palette.STATUS_COLOURS
    updates = pd.DataFrame(
        {"as_of_date": weeks[:3], "status": ["On track", "At risk", "Off track"], "percent_complete": [10, 20, 30]}
    )
    drawn = _colours_of(charts.status_history(updates, "t"))
    assert {palette.STATUS_CHART[RecommendationStatus(s)] for s in updates["status"]} <= drawn
    assert drawn <= palette.STATUS_COLOURS | {palette.DARK_GREY}


def test_status_badges_and_charts_give_each_status_one_colour_family():
    """The tag (st.badge) and the chart colour of a status are the same family: green on track, yellow at risk,
    red off track, blue complete; overdue is the off-track red."""
    from taskforce.ui.styles import badge_colour

    assert [
        badge_colour(s)
        for s in (
            RecommendationStatus.ON_TRACK,
            RecommendationStatus.AT_RISK,
            RecommendationStatus.OFF_TRACK,
            RecommendationStatus.COMPLETE,
        )
    ] == [
        "green",
        "yellow",
        "red",
        "blue",
    ]
    assert palette.OVERDUE_TINT == "red" and palette.STATUS_CHART[RecommendationStatus.OFF_TRACK] == palette.OVERDUE
    assert len(set(palette.STATUS_CHART.values())) == len(palette.STATUS_CHART)
    assert not palette.STATUS_COLOURS & palette.SERIES_COLOURS
    reported = palette.STATUS_COLOURS - {
        palette.STATUS_CHART[RecommendationStatus.NO_RETURN]
    }  # "No return" is the state's grey
    assert palette.STATUS_CHART[RecommendationStatus.NO_RETURN] == palette.NO_RETURN
    assert not palette.STATE_COLOURS & (palette.SERIES_COLOURS | reported | set(palette.SEQUENTIAL))
    assert len(palette.STATE_COLOURS) == 6
