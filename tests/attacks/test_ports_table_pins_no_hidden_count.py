"""Way 6 of issue 24, the ports table: over every fixed 4-week and 12-week period of a year of the demo's Border
Force extract, the table as wider circulation shows it, with the totals its sentence gives, pins no hidden count
of people. Before: sorted by the hidden column and with vehicles shown beside a hidden count (vehicles cannot
exceed people), Felixstowe's hidden count was pinned to 6 or 7. The same attack with the rule switched off finds
hidden counts pinned, so the test can tell."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from taskforce.analysis import ports
from taskforce.core import disclosure
from taskforce.maps import areas
from taskforce.release import universe
from tests.attacks.ports_attack import hidden_ranges, pinned
from tests.conftest import LATEST_WEEK


@pytest.fixture(scope="module")
def extract(shared_data) -> pd.DataFrame:
    frame = pd.read_parquet(next((shared_data / "border_force" / "port_detections").glob("*.parquet")))
    return frame.assign(week_ending=pd.to_datetime(frame["week_ending"]).dt.date)


def _periods_of_a_year() -> list[tuple[dt.date, dt.date]]:
    """Every fixed 4-week period ended in the year to the latest week, and the 12 weeks ending with each."""
    ends = sorted({universe.period_of(LATEST_WEEK - dt.timedelta(weeks=n))[1] for n in range(52)})
    ends = [end for end in ends if end <= LATEST_WEEK]
    return [(end - dt.timedelta(weeks=weeks - 1), end) for end in ends for weeks in (4, 12)]


def port_table(extract: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    """The port_detections query's rows, from the extract (ordered as the query orders them: most people first)."""
    before_from, before_to = areas.previous_period(first, last)
    weeks = extract["week_ending"]
    now = extract[(weeks >= first) & (weeks <= last)].groupby("port")[["people_detected", "vehicles"]].sum()
    before = extract[(weeks >= before_from) & (weeks <= before_to)].groupby("port")["people_detected"].sum()
    table = now.rename(columns={"people_detected": "people"}).join(before.rename("people_before"), how="outer")
    table = table.fillna(0).astype(int).reset_index()
    return table.sort_values(["people", "port"], ascending=[False, True], ignore_index=True)


def _attack(extract: pd.DataFrame, width: int = 0) -> dict:
    found = {}
    for first, last in _periods_of_a_year():
        table = port_table(extract, first, last)
        shown = ports.for_wider_circulation(table, threshold=4)
        ranges = hidden_ranges(shown, int(table["people"].sum()), int(table["people_before"].sum()))
        found |= {(first, last, port): bounds for port, bounds in pinned(ranges, width).items()}
    return found


def test_the_wider_ports_table_pins_no_hidden_count_in_a_year_of_periods(extract):
    assert _attack(extract) == {}


def test_the_wider_ports_table_is_never_ordered_by_a_hidden_count(extract):
    for first, last in _periods_of_a_year():
        shown = ports.for_wider_circulation(port_table(extract, first, last), threshold=4)
        hidden = shown["people"].eq(disclosure.SUPPRESSED)
        assert not (hidden.shift(1, fill_value=True) < hidden).sum() > 1  # hidden rows only after the shown ones
        assert shown.loc[hidden, "port"].tolist() == sorted(shown.loc[hidden, "port"])
        assert (shown.loc[hidden, "vehicles"] == disclosure.SUPPRESSED).all()


@pytest.mark.parametrize("rule", ["both", "order"])
def test_the_attack_finds_pinned_counts_with_the_rule_switched_off(extract, monkeypatch, rule):
    if rule in ("both", "bound"):
        monkeypatch.setattr(ports, "BOUNDED_BY", {})
    if rule in ("both", "order"):
        monkeypatch.setattr(ports, "in_wider_order", lambda table: table)
    assert _attack(extract)


@pytest.mark.parametrize("bound", [True, False])
def test_vehicles_are_hidden_with_the_people_they_bound(monkeypatch, bound):
    """Holyhead's 7 people were found in 7 vehicles; Poole's 1 is hidden, so Holyhead's 7 goes with it. Shown
    beside a hidden count, 7 vehicles and the total (58) pin Holyhead to 7 and Poole to 1: the bound rule hides
    the vehicles with the people, and the attack finds the pin when it is switched off."""
    if not bound:
        monkeypatch.setattr(ports, "BOUNDED_BY", {})
    table = pd.DataFrame(
        {
            "port": ["Dover", "Holyhead", "Poole"],
            "people": [50, 7, 1],
            "vehicles": [20, 7, 0],
            "people_before": [30, 6, 9],
        }
    )
    shown = ports.for_wider_circulation(table, threshold=4)
    found = pinned(hidden_ranges(shown, 58, 45))
    assert (found == {}) is bound
    if not bound:
        assert found == {"Holyhead": (7.0, 7.0), "Poole": (1.0, 1.0)}
