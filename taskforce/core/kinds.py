"""What kind of number a measure is, and how it adds up over weeks: the two words every layer compares (the
formats in core as much as the release and the maps), so they live at the bottom and the vocabulary re-exports
them. Each is a `StrEnum` equal to the word the measure table's CHECK constraints allow."""

from __future__ import annotations

from enum import StrEnum


class MeasureKind(StrEnum):
    """What a measure's number is: reported counts and sums of money, totals of reported counts, rates of two."""

    COUNT = "count"
    MONEY = "money"
    TOTAL = "total"  # the sum of reported measures (Disruptions (all))
    RATE = "rate"  # a numerator over a denominator


class Aggregation(StrEnum):
    """How a measure adds up over weeks."""

    FLOW = "flow"  # summed over weeks (arrests)
    STOCK = "stock"  # the latest value stands (crime groups mapped), carried forward up to 8 weeks
