"""The measure registry and UK formats."""

from __future__ import annotations

import datetime as dt

import pytest

from taskforce.core import formats
from taskforce.measures.registry import measure, registry, reported_codes


def test_every_measure_has_a_label_unit_and_written_definition():
    labels = [item.label for item in registry().values()]
    assert len(labels) == len(set(labels))
    for item in registry().values():
        assert item.unit and len(item.definition) > 40, item.code


def test_derived_measures_refer_only_to_reported_measures():
    reported = set(reported_codes())
    for item in registry().values():
        assert set(item.base_codes) <= reported, item.code


def test_the_catalogue_has_every_measure_design_asks_for():
    expected = {
        "oic_arrests",
        "oic_charges",
        "disruptions_major",
        "disruptions_moderate",
        "disruptions_minor",
        "intel_reports",
        "intel_packages_shared",
        "migrants_encountered",
        "migrants_debriefed",
        "taskings_received",
        "taskings_completed",
        "ocg_mapped",
        "ocg_high_priority",
        "nrm_referrals",
        "cash_seized_gbp",
        "officers_trained",
        "charge_rate",
        "debrief_rate",
        "tasking_completion",
    }
    assert expected <= set(registry())


def test_a_rate_is_the_ratio_of_its_parts():
    assert measure("charge_rate").value_from({"oic_charges": 5, "oic_arrests": 20}) == 0.25


def test_a_rate_with_a_zero_denominator_is_no_data_not_zero_or_infinity():
    assert measure("charge_rate").value_from({"oic_charges": 0, "oic_arrests": 0}) is None
    assert formats.format_value(measure("charge_rate"), None) == "no data"


def test_a_total_adds_its_components():
    totals = {"disruptions_major": 1, "disruptions_moderate": 2, "disruptions_minor": 4}
    assert measure("disruptions_total").value_from(totals) == 7


def test_a_missing_component_gives_no_data():
    assert measure("disruptions_total").value_from({"disruptions_major": 1}) is None


def test_stocks_and_flows_are_declared():
    assert measure("ocg_mapped").aggregation == "stock"
    assert measure("oic_arrests").aggregation == "flow"


def test_whether_higher_is_better_can_be_neither():
    assert measure("oic_arrests").higher_is_better is True
    assert measure("migrants_encountered").higher_is_better is None


@pytest.mark.parametrize("value, text", [(dt.date(2026, 1, 5), "5 Jan 2026"), (dt.date(2025, 11, 30), "30 Nov 2025")])
def test_dates_are_in_uk_form(value, text):
    assert formats.format_date(value) == text


def test_numbers_have_thousands_separators_and_pounds_a_sign():
    assert formats.format_count(12345) == "12,345"
    assert formats.format_pounds(1234.4) == "£1,234"
    assert formats.format_percent(0.3317) == "33.2%"


def test_changes_carry_their_sign_and_unit():
    assert formats.format_change(measure("oic_arrests"), 12) == "+12"
    assert formats.format_change(measure("cash_seized_gbp"), -3400) == "-£3,400"
    assert formats.format_change(measure("charge_rate"), 0.042) == "+4.2 points"


def test_lists_of_names_read_as_english():
    assert formats.join_words(["Kent", "Essex", "Sussex"]) == "Kent, Essex and Sussex"
    assert formats.join_words(["Kent"]) == "Kent"
