"""The weekly overview's logic: headline cards, returns received, recommendations summary and the
plain-English "what changed" statements. Input is query results; output is plain values and words."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from taskforce.core.formats import format_change, format_value, is_missing
from taskforce.measures.registry import Measure, measure
from taskforce.measures.vocabulary import REPORTABLE_STATUSES, Direction, Judgement, Receipt

HEADLINE_MEASURES = (
    "oic_arrests", "oic_charges", "charge_rate", "disruptions_total", "intel_packages_shared", "debrief_rate",
)
SPARKLINE_WEEKS = 26
AVERAGE_WEEKS = 12
FLOW_ZERO_CHECK = ("oic_arrests", "intel_reports", "migrants_encountered", "taskings_received")


@dataclass(frozen=True)
class Comparison:
    """The week's value against a reference value (the previous week, or the 12-week average)."""
    reference_value: float | None
    change: float | None
    relative_change: float | None  # None for rates (compared in points) or a zero reference
    direction: Direction
    judgement: Judgement

    def words(self, measure: Measure, against: str) -> str:
        """'Up 12 (+25%) on the previous week (48): good.'"""
        if self.direction is Direction.UNKNOWN:
            return f"No comparison with {against}: no data."
        if self.direction is Direction.LEVEL:
            return f"Level with {against} ({format_value(measure, self.reference_value)})."
        size = format_change(measure, abs(self.change)).lstrip("+±")
        relative = f" ({self.relative_change:+.0%})" if self.relative_change is not None else ""
        verdict = self.judgement.words()
        reference = format_value(measure, self.reference_value)
        return f"{self.direction.capitalize()} {size}{relative} on {against} ({reference}): {verdict}."


@dataclass(frozen=True)
class HeadlineCard:
    measure: Measure
    week_ending: dt.date
    value: float | None
    against_previous_week: Comparison
    against_average: Comparison
    sparkline: pd.Series  # week_ending -> value, the last 26 weeks

    @property
    def formatted_value(self) -> str:
        return format_value(self.measure, self.value)


def compare(measure: Measure, value: float | None, reference_value: float | None) -> Comparison:
    if is_missing(value) or is_missing(reference_value):
        return Comparison(reference_value, None, None, Direction.UNKNOWN, Judgement.UNKNOWN)
    change = value - reference_value
    relative = None if measure.kind == "rate" or reference_value == 0 else change / reference_value
    if abs(change) < 1e-9:
        return Comparison(reference_value, 0.0, relative, Direction.LEVEL, Judgement.NEUTRAL)
    direction = Direction.UP if change > 0 else Direction.DOWN
    if measure.higher_is_better is None:
        judgement = Judgement.NEUTRAL
    else:
        judgement = Judgement.GOOD if (change > 0) == measure.higher_is_better else Judgement.BAD
    return Comparison(reference_value, change, relative, direction, judgement)


def measure_series(totals: pd.DataFrame, item: Measure) -> pd.Series:
    """Weekly national values of any measure (reported, total or rate) from the weekly totals query."""
    wide = totals.pivot(index="week_ending", columns="measure_code", values="value")
    wide.index = pd.to_datetime(wide.index).date
    return wide.apply(lambda week: item.value_from(week.to_dict()), axis=1).astype("float64")


def _period_value(totals: pd.DataFrame, item: Measure, weeks: list[dt.date]) -> float | None:
    """A measure over several weeks: the weekly mean of counts; for rates, the ratio of the summed parts
    (a rate of the 12 weeks, not an average of 12 weekly rates)."""
    period = totals[pd.to_datetime(totals["week_ending"]).dt.date.isin(weeks)]
    if period.empty:
        return None
    summed = period.groupby("measure_code")["value"].sum().to_dict()
    value = item.value_from(summed)
    if value is None or item.kind == "rate":
        return value
    return value / period["week_ending"].nunique()


def headline_cards(totals: pd.DataFrame, week: dt.date) -> list[HeadlineCard]:
    """The six headline cards for a week, from national totals covering at least the 26 weeks to it."""
    cards = []
    for code in HEADLINE_MEASURES:
        item = measure(code)
        series = measure_series(totals, item)
        value = series.get(week)
        previous_week = week - dt.timedelta(weeks=1)
        average_weeks = [week - dt.timedelta(weeks=n) for n in range(1, AVERAGE_WEEKS + 1)]
        sparkline = series[[d for d in series.index if week - dt.timedelta(weeks=SPARKLINE_WEEKS) < d <= week]]
        cards.append(HeadlineCard(
            measure=item, week_ending=week, value=None if is_missing(value) else float(value),
            against_previous_week=compare(item, value, series.get(previous_week)),
            against_average=compare(item, value, _period_value(totals, item, average_weeks)),
            sparkline=sparkline,
        ))
    return cards


@dataclass(frozen=True)
class ReturnsSummary:
    received: int
    expected: int
    on_time: int
    late: int
    missing: list[str]  # organisation names


def returns_summary(returns: pd.DataFrame) -> ReturnsSummary:
    counts = returns["receipt_status"].value_counts().reindex(list(Receipt), fill_value=0)
    return ReturnsSummary(
        received=int(counts[Receipt.ON_TIME] + counts[Receipt.LATE]),
        expected=len(returns),
        on_time=int(counts[Receipt.ON_TIME]),
        late=int(counts[Receipt.LATE]),
        missing=returns.loc[returns["receipt_status"].eq(Receipt.MISSING), "org_name"].tolist(),
    )


def status_counts(recommendations: pd.DataFrame) -> dict[str, int]:
    counts = recommendations["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in REPORTABLE_STATUSES}


def default_week(reporting_weeks: pd.DataFrame) -> dt.date | None:
    """The latest week in which at least half the expected returns are in (else the latest week)."""
    if reporting_weeks.empty:
        return None
    enough = reporting_weeks[reporting_weeks["returns_received"] * 2 >= reporting_weeks["returns_expected"]]
    chosen = (enough if not enough.empty else reporting_weeks)["week_ending"].max()
    return pd.Timestamp(chosen).date()


def card_numbers(cards: list[HeadlineCard]) -> pd.DataFrame:
    """The numbers behind the cards, one row per week and measure, for the download."""
    rows = []
    for card in cards:
        for week, value in card.sparkline.items():
            rows.append({"week_ending": week, "measure": card.measure.label, "unit": card.measure.unit,
                         "value": None if is_missing(value) else round(float(value), 4)})
    return pd.DataFrame(rows)
