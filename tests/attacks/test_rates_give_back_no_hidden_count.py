"""Way 4 of the statistician's attack, as code: a rate shown beside its shown denominator gives back its numerator
(Kent's charge rate 57.1% beside 7 arrests gave 4 charges; Dyfed-Powys's debrief rate beside 15 migrants gave 2).
Run over every organisation, every rate and every period the release offers below the nation, it recovers no
hidden count; with the rate rule switched off (a rate made from its counts whether or not they are shown) the same
attack recovers many, so the test can tell."""

from __future__ import annotations

from functools import partial

import pytest

from taskforce.core.queries import run_query
from taskforce.measures.registry import measure
from taskforce.release import protected, series, tables
from taskforce.release.build import build_release

RATES = ["charge_rate", "debrief_rate", "tasking_completion", "ocg_high_priority_share"]


def _recovered(release, leaves) -> dict[tuple, float]:
    """For every shown rate whose denominator is shown and whose numerator is hidden: the numerator it gives."""
    found = {}
    for code in RATES:
        item = measure(code)
        numerator = item.components[0]
        for period in tables.area_periods(release):
            table = series.organisation_figures(release, period, item, leaves)
            for row in table.to_dict("records"):
                if (
                    row[f"{code}_state"] == tables.SHOWN
                    and row[f"{item.denominator}_state"] == tables.SHOWN
                    and row[f"{numerator}_state"] == tables.HIDDEN
                ):
                    found[(row["org_code"], period.name, numerator)] = row[code] * row[item.denominator]
    return found


def _over(raw: dict, parts, org: str, code: str) -> float:
    """A count over a period's parts as the release adds it up (a stock: its last part's value)."""
    values = [raw.get((part, org, code)) or 0.0 for part in parts]
    return values[-1] if measure(code).aggregation == "stock" else sum(values)


@pytest.fixture
def leaves(db):
    groups = run_query(db, "org_groups", {})
    return groups[groups["type"].isin(["force", "agency"])][["org_code", "org_name"]]


def test_no_shown_rate_beside_its_denominator_gives_back_a_hidden_count(db, leaves, monkeypatch):
    monkeypatch.setattr(protected, "_MEMO", protected.new_memo())
    release = build_release(partial(run_query, db), threshold=4)
    assert _recovered(release, leaves) == {}


def test_with_the_rate_rule_switched_off_the_attack_recovers_hidden_counts(db, leaves, monkeypatch):
    """The rule switched off: every count is kept as it is before protection, and a rate is made from its
    counts, shown or hidden (as page-by-page suppression did, which checked only kind == 'count')."""
    raw: dict = {}
    collect = protected._collect

    def collect_and_keep(values, cells, protection):
        raw.update({cell.key: cell.value for cell in cells})
        collect(values, cells, protection)

    def rate_from_any_counts(self, period, org, item):
        if item.is_reported or item.kind == "total":
            return self.over(period, org, item.code)
        return item.value_from({code: _over(raw, period.parts, org, code) for code in item.base_codes})

    monkeypatch.setattr(protected, "_MEMO", protected.new_memo())
    monkeypatch.setattr(protected, "_collect", collect_and_keep)
    monkeypatch.setattr(protected.ProtectedCells, "figure", rate_from_any_counts)
    release = build_release(partial(run_query, db), threshold=4)
    found = _recovered(release, leaves)
    print(f"rate rule off: {len(found)} hidden counts given back")
    assert len(found) > 10
    for (org, name, code), value in found.items():  # each is the hidden count itself, exactly
        truth = _over(raw, release.period(name).parts, org, code)
        assert round(value, 6) == truth
