"""The measure registry: every label, unit, definition and rule about a measure is read from here.

Measures are declared once, in data/reference/measures.csv. A measure is either reported (count, money),
a total of reported measures, or a rate of two of them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import pandas as pd

from taskforce.core.kinds import Aggregation, MeasureKind
from taskforce.store import reference


@dataclass(frozen=True)
class Measure:
    code: str
    label: str
    short_label: str
    unit: str
    kind: MeasureKind
    aggregation: Aggregation
    higher_is_better: bool | None  # None: neither good nor bad
    category: str
    components: tuple[str, ...]  # the reported measures a total adds up, or a rate's numerator
    denominator: str | None
    definition: str
    source: str
    maximum: float | None = None  # the largest value one organisation can return for a week (reported only)

    @property
    def is_reported(self) -> bool:
        return self.kind in (MeasureKind.COUNT, MeasureKind.MONEY)

    @property
    def base_codes(self) -> tuple[str, ...]:
        """The reported measures this one is computed from."""
        if self.is_reported:
            return (self.code,)
        return self.components + ((self.denominator,) if self.denominator else ())

    def value_from(self, totals: Mapping[str, float]) -> float | None:
        """This measure's value from totals of reported measures; None where it cannot be known
        (a missing component, or a rate whose denominator is zero)."""
        if any(_missing(totals.get(code)) for code in self.base_codes):
            return None
        numerator = sum(float(totals[code]) for code in (self.components or (self.code,)))
        if self.kind is not MeasureKind.RATE:
            return numerator
        denominator = float(totals[self.denominator])
        return None if denominator == 0 else numerator / denominator


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def registry() -> dict[str, Measure]:
    table = reference.measures().sort_values("display_order")
    result: dict[str, Measure] = {}
    for row in table.itertuples(index=False):
        components = tuple(row.numerator.split("+")) if row.numerator else ()
        result[row.code] = Measure(
            code=row.code,
            label=row.label,
            short_label=row.short_label,
            unit=row.unit,
            kind=MeasureKind(row.kind),
            aggregation=Aggregation(row.aggregation),
            higher_is_better=row.higher_is_better,
            category=row.category,
            components=components,
            denominator=row.denominator,
            definition=row.definition,
            source=row.source,
            maximum=None if pd.isna(row.maximum) else float(row.maximum),
        )
    return result


def measure(code: str) -> Measure:
    try:
        return registry()[code]
    except KeyError:
        raise KeyError(f"Unknown measure {code!r}") from None


def reported_codes() -> list[str]:
    return [code for code, item in registry().items() if item.is_reported]
