"""A force's profile for wider circulation: nothing in it gives a small count back."""

from __future__ import annotations

import pandas as pd

from taskforce.analysis.force_profile import comparison_table
from taskforce.core.disclosure import SUPPRESSED

POPULATIONS = {"force": 1_000_000, "region": 5_000_000, "national": 60_000_000}


def _rows(force_arrests: float, smallest_in_region: float) -> pd.DataFrame:
    """Arrests and charges for a force, its region and the nation, with each area's smallest force figure."""
    values = {
        ("force", "oic_arrests"): (force_arrests, force_arrests),
        ("force", "oic_charges"): (20.0, 20.0),
        ("region", "oic_arrests"): (120.0, smallest_in_region),
        ("region", "oic_charges"): (60.0, 9.0),
        ("national", "oic_arrests"): (900.0, 1.0),
        ("national", "oic_charges"): (400.0, 2.0),
    }
    return pd.DataFrame(
        [
            {
                "area": area,
                "measure_code": code,
                "value": value,
                "smallest_force_value": smallest,
                "population": POPULATIONS[area],
            }
            for (area, code), (value, smallest) in values.items()
        ]
    )


def _table(rows: pd.DataFrame, wider: bool) -> pd.DataFrame:
    return comparison_table(
        rows, codes=("oic_arrests", "oic_charges", "charge_rate"), wider_circulation=wider, threshold=4
    ).set_index("Measure")


def test_a_small_count_hides_the_forces_rate_per_100000_its_ratios_and_its_regions_total():
    table = _table(_rows(force_arrests=3.0, smallest_in_region=3.0), wider=True)
    assert table.loc["OIC arrests", "This force"] == SUPPRESSED  # 0.30 per 100,000 x 1,000,000 residents = 3
    assert table.loc["Charge rate", "This force"] == SUPPRESSED  # made from the 3 arrests
    assert table.loc["OIC arrests", "Its ROCU region"] == SUPPRESSED  # less the map's other forces, gives 3
    assert table.loc["OIC charges", "This force"] == "2.00"  # 20 charges: nothing small
    assert table.loc["OIC arrests", "All forces"] == "1.50"  # the map hides two wherever it hides one


def test_another_forces_small_count_in_the_region_hides_the_regions_total_only():
    table = _table(_rows(force_arrests=30.0, smallest_in_region=2.0), wider=True)
    assert table.loc["OIC arrests", "This force"] == "3.00"
    assert table.loc["OIC arrests", "Its ROCU region"] == SUPPRESSED


def test_inside_the_taskforce_every_figure_shows():
    table = _table(_rows(force_arrests=3.0, smallest_in_region=3.0), wider=False)
    assert SUPPRESSED not in table.to_numpy()
    assert table.loc["OIC arrests", "This force"] == "0.30"
