"""A force's profile: its key measures against its ROCU region and the nation, on a comparable basis."""
from __future__ import annotations

import pandas as pd

from taskforce.core import disclosure
from taskforce.core.formats import NO_DATA, format_value, is_missing
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Receipt

PROFILE_MEASURES = ("oic_arrests", "oic_charges", "charge_rate", "disruptions_total", "intel_packages_shared",
                    "migrants_encountered", "debrief_rate", "tasking_completion", "ocg_high_priority_share")
AREAS = {"force": "This force", "region": "Its ROCU region", "national": "All forces"}


def base_codes(codes=PROFILE_MEASURES) -> list[str]:
    return sorted({base for code in codes for base in measure(code).base_codes})


def comparison_table(rows: pd.DataFrame, codes=PROFILE_MEASURES, wider_circulation: bool = False,
                     threshold: int | None = None) -> pd.DataFrame:
    """One row per measure; columns for the force, its region and the nation. Counts are per 100,000
    residents (so areas of any size compare); rates are rates.

    For wider circulation, a figure made from a count from 1 to the threshold is shown as [c]: the force's
    per-100,000 value would give its count back (the population is public), and so would its rate. A region's
    figure goes too where any of its forces has such a count, since the region's total less the forces shown
    on the map would give it away. The national figure stays: the map hides at least two forces wherever it
    hides one."""
    limit = threshold or disclosure.configured_threshold()
    records = []
    for code in codes:
        item = measure(code)
        record = {"Measure": item.label, "Basis": "rate" if item.kind == "rate" else "per 100,000 residents"}
        for area, heading in AREAS.items():
            parts = rows[rows["area"] == area]
            if wider_circulation and area != "national" and _gives_away_a_small_count(parts, item, limit):
                record[heading] = disclosure.SUPPRESSED
                continue
            record[heading] = _shown(item, parts)
        records.append(record)
    return pd.DataFrame(records)


def _shown(item, parts: pd.DataFrame) -> str:
    totals = dict(zip(parts["measure_code"], parts["value"], strict=False))
    value = item.value_from(totals)
    population = parts["population"].iloc[0] if not parts.empty else None
    if item.kind != "rate" and value is not None:
        value = None if is_missing(population) or not population else value / float(population) * 100_000
    return NO_DATA if value is None else (format_value(item, value) if item.kind == "rate" else f"{value:,.2f}")


def _gives_away_a_small_count(parts: pd.DataFrame, item, threshold: int) -> bool:
    """Whether any count this figure is made from is, for one force, from 1 to the threshold."""
    counts = [code for code in item.base_codes if measure(code).kind == "count"]
    smallest = parts.loc[parts["measure_code"].isin(counts), "smallest_force_value"]
    return bool(((smallest >= 1) & (smallest <= threshold)).any())


def returns_record_words(record: pd.DataFrame) -> str:
    """A force's returns over some weeks in a sentence, from the force_returns_record query."""
    counts = record["receipt_status"].value_counts()
    resubmitted = int((record["uploads"] > 1).sum())
    return (f"On time {counts.get(Receipt.ON_TIME, 0)}, late {counts.get(Receipt.LATE, 0)}, missing "
            f"{counts.get(Receipt.MISSING, 0)}; resubmitted {resubmitted}.")
