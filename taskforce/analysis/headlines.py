"""The weekly overview's logic: headline cards, complete returns, recommendations summary and the
plain-English "what changed" statements. Input is query results; output is plain values and words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from taskforce.analysis import cohorts, variation
from taskforce.core.formats import format_change, format_date, format_value, is_missing
from taskforce.core.kinds import MeasureKind
from taskforce.measures.registry import Measure, measure
from taskforce.measures.vocabulary import REPORTABLE_STATUSES, Direction, Judgement, Receipt

HEADLINE_MEASURES = (
    "oic_arrests",
    "oic_charges",
    "charge_rate",
    "disruptions_total",
    "intel_packages_shared",
    "debrief_rate",
)
SPARKLINE_WEEKS = 26
AVERAGE_WEEKS = 12
# Rates whose parts lag each other (a charge follows an arrest by weeks; a tasking is completed after it is
# received) are headlined over 12 weeks, as a ratio of the sums: a single week's ratio can pass 100%.
PERIOD_RATES = ("charge_rate", "tasking_completion")
PERIOD_RATE_WEEKS = 12
# A rate whose numerator follows its denominator by a stated lag is headlined as a cohort (analysis/cohorts.py):
# the charges of the 12 weeks to the week against the arrests of the 12 weeks they follow, on a Laney p' chart.
# The debrief rate has no lag (estimate_lag finds 0 in the returns), so its weekly rate is already one cohort's.
COHORT_LAGS: Mapping[str, int] = {"charge_rate": cohorts.CHARGE_LAG_WEEKS}
SEASON_WORDS = (
    "The limits are not adjusted for season: the small-boat season moves OIC activity through the year, so a run "
    "or trend over late summer or winter can be the season rather than a change (About the data, Seasonality)."
)
# The weekly totals the cards need: the sparkline's 26 weeks, each a 12-week figure with 12 weeks before it.
HISTORY_WEEKS = SPARKLINE_WEEKS + PERIOD_RATE_WEEKS + AVERAGE_WEEKS
# A week is headlined as final only when at least this share of the expected returns is complete.
COMPLETE_FOR_HEADLINES = 0.9


@dataclass(frozen=True)
class Comparison:
    """The week's figure against a reference (the previous week, or the 12-week average). The direction is a
    fact; the judgement is the card's, from the stated test of normal variation (analysis/variation.py): it is
    about the figure against its limits, not about this change, so the words of a change do not carry it."""

    reference_value: float | None
    change: float | None
    relative_change: float | None  # None for rates (compared in points) or a base under SMALL_BASE
    direction: Direction
    judgement: Judgement

    def words(self, measure: Measure, against: str) -> str:
        """'Up 12 (+25%) on the previous week (48).' The verdict is the card's own line (variation_words)."""
        if self.direction is Direction.UNKNOWN:
            return f"No comparison with {against}: no data."
        if self.direction is Direction.LEVEL:
            return f"Level with {against} ({format_value(measure, self.reference_value)})."
        size = format_change(measure, abs(self.change or 0.0)).lstrip("+±")
        relative = f" ({self.relative_change:+.0%})" if self.relative_change is not None else ""
        reference = format_value(measure, self.reference_value)
        return f"{self.direction.capitalize()} {size}{relative} on {against} ({reference})."


@dataclass(frozen=True)
class HeadlineCard:
    measure: Measure
    week_ending: dt.date
    value: float | None
    against_previous_week: Comparison
    against_average: Comparison
    sparkline: pd.Series  # week_ending -> value, the last 26 weeks
    judgement: Judgement = Judgement.UNKNOWN
    limits: variation.Limits | None = None
    over_weeks: int = 1  # 12 for a rate whose parts lag each other (charges follow arrests)
    control: variation.Control | None = None  # the XmR chart behind a weekly figure's verdict
    cohort: cohorts.CohortCheck | None = None  # the Laney p' check behind a cohort rate's verdict

    @property
    def formatted_value(self) -> str:
        return format_value(self.measure, self.value)

    @property
    def average_label(self) -> str:
        """What the second comparison is against."""
        return "the 12-week average" if self.over_weeks == 1 else f"the {self.over_weeks} weeks before"

    @property
    def basis(self) -> str:
        """What the figure covers: 'in the week', 'over the 12 weeks to 22 Nov 2026', or for a cohort 'over the
        12 weeks to 22 Nov 2026, of the arrests of the 12 weeks to 8 Nov 2026'."""
        if self.over_weeks == 1:
            return "in the week"
        period = f"over the {self.over_weeks} weeks to {format_date(self.week_ending)}"
        if self.cohort is None:
            return period
        arrests_to = self.week_ending - dt.timedelta(weeks=self.cohort.lag_weeks)
        return f"{period}, of the {_parts(self.measure)[1]} of the {self.over_weeks} weeks to {format_date(arrests_to)}"

    def help_words(self) -> str:
        """The card's help: what the measure is, what its figure covers (a cohort says why its newest weeks of
        arrests are not in yet) and that the limits are not adjusted for season."""
        numerators, denominators = _parts(self.measure)
        cohort = (
            f" A cohort rate: the {numerators} of the {self.over_weeks} weeks to the week, set against the "
            f"{denominators} of the {self.over_weeks} weeks they follow, {self.cohort.lag_weeks} weeks earlier (the "
            f"lag found in the returns). The newest {self.cohort.lag_weeks} weeks of {denominators} have no "
            f"verdict until their {numerators} are in."
            if self.cohort is not None
            else ""
        )
        return f"{self.measure.definition}{cohort} {SEASON_WORDS}"

    def variation_words(self) -> str:
        """'Within normal variation (45 to 80 from the previous 12 weeks).'"""
        if self.judgement is Judgement.PROVISIONAL:
            return "Not judged: the week is provisional until at least 90% of returns are in."
        if self.cohort is not None:
            return self._cohort_words(self.cohort)
        if self.limits is None:
            return "Too little history to judge against normal variation."
        span = (
            f"{self.limits.words(self.measure)} from the previous 12 weeks"
            if self.control is None
            else f"{self.limits.words(self.measure)}, {self.control.baseline_words()}"
        )
        verdict = self.judgement.words()
        rules = f": {', '.join(self.control.rules)}" if self.control is not None and self.control.rules else ""
        return f"{verdict[0].upper()}{verdict[1:]}{rules} ({span})."

    def _cohort_words(self, check: cohorts.CohortCheck) -> str:
        """'Common cause variation, no evidence of change (45.2% to 55.6%, Laney p' limits from the 26 weekly
        cohorts before; they vary 1.31 times as much as chance alone).'"""
        if check.limits is None or check.sigma_z is None:
            return check.reason
        verdict = self.judgement.words()
        return (
            f"{verdict[0].upper()}{verdict[1:]} ({check.limits.words(self.measure)}, Laney p' limits from the "
            f"{cohorts.BASELINE_WEEKS} weekly cohorts before; they vary {check.sigma_z:.2f} times as much as "
            "chance alone)."
        )

    def over_100_percent_note(self) -> str:
        """A rate above 100% says why: charges in a period can follow arrests from before it."""
        if self.measure.kind == MeasureKind.RATE and self.value is not None and self.value > 1:
            return (
                f"{self.formatted_value}: above 100% because some charges in the period follow arrests made before it."
            )
        return ""


def _parts(item: Measure) -> tuple[str, str]:
    """A rate's numerator and denominator as words: ('OIC charges', 'OIC arrests')."""
    numerators = " and ".join(measure(code).label for code in item.components)
    return numerators, measure(item.denominator).label if item.denominator else "denominator"


def compare(
    measure: Measure, value: float | None, reference_value: float | None, judgement: Judgement = Judgement.UNKNOWN
) -> Comparison:
    """The change from a reference, in the measure's own unit; a percentage only on a base of at least
    SMALL_BASE and never for a rate (rates move in percentage points)."""
    if is_missing(value) or is_missing(reference_value) or value is None or reference_value is None:
        return Comparison(reference_value, None, None, Direction.UNKNOWN, Judgement.UNKNOWN)
    change = value - reference_value
    relative = (
        change / reference_value
        if measure.kind != MeasureKind.RATE and variation.percent_change_allowed(reference_value)
        else None
    )
    if abs(change) < 1e-9:
        return Comparison(reference_value, 0.0, relative, Direction.LEVEL, judgement)
    return Comparison(reference_value, change, relative, Direction.UP if change > 0 else Direction.DOWN, judgement)


def measure_series(totals: pd.DataFrame, item: Measure) -> pd.Series:
    """Weekly national values of any measure (reported, total or rate) from the weekly totals query."""
    wide = totals.pivot(index="week_ending", columns="measure_code", values="value")
    wide.index = pd.to_datetime(wide.index).date
    return wide.apply(lambda week: item.value_from(week.to_dict()), axis=1).astype("float64")


def _weekly_parts(totals: pd.DataFrame, item: Measure) -> pd.DataFrame:
    """Week x base measure, from the weekly totals query."""
    wide = totals.pivot_table(index="week_ending", columns="measure_code", values="value", aggfunc="sum")
    wide.index = pd.to_datetime(wide.index).date
    return wide.reindex(columns=list(item.base_codes))


def _period_value(totals: pd.DataFrame, item: Measure, weeks: list[dt.date]) -> float | None:
    """A measure over several weeks: the weekly mean of counts; for rates, the ratio of the summed parts
    (a rate of the 12 weeks, not an average of 12 weekly rates)."""
    period = totals[pd.to_datetime(totals["week_ending"]).dt.date.isin(weeks)]
    if period.empty:
        return None
    summed = period.groupby("measure_code")["value"].sum().to_dict()
    value = item.value_from(summed)
    if value is None or item.kind == MeasureKind.RATE:
        return value
    return value / period["week_ending"].nunique()


def _weeks_before(week: dt.date, count: int, skip: int = 0) -> list[dt.date]:
    return [week - dt.timedelta(weeks=n) for n in range(1 + skip, count + 1 + skip)]


def _limits(totals: pd.DataFrame, item: Measure, week: dt.date, over_weeks: int) -> variation.Limits | None:
    """Control limits from the previous 12 weeks (for a 12-week rate: the 12 weeks before its own 12)."""
    parts = _weekly_parts(totals, item)
    previous = [w for w in _weeks_before(week, AVERAGE_WEEKS, skip=over_weeks - 1) if w in parts.index]
    if item.kind != MeasureKind.RATE:
        series = measure_series(totals, item)
        return variation.count_limits([series.get(w) for w in previous])
    numerator, denominator = list(item.components), item.denominator
    if denominator is None:
        return None
    this = [w for w in _weeks_before(week, over_weeks, skip=-1) if w in parts.index]
    this_denominator = float(parts.loc[this, denominator].sum()) if this else 0.0
    if over_weeks > 1:  # the 12 weeks before, as one period against this one
        if len(previous) < variation.MINIMUM_WEEKS:
            return None
        return variation.period_rate_limits(
            float(parts.loc[previous, numerator].sum().sum()),
            float(parts.loc[previous, denominator].sum()),
            this_denominator,
        )
    return variation.rate_limits(
        parts.loc[previous, numerator].sum(axis=1).tolist(), parts.loc[previous, denominator].tolist(), this_denominator
    )


def _figures(totals: pd.DataFrame, item: Measure, over_weeks: int) -> pd.Series:
    """The card's figure for every week the totals hold, worked out once: the week's own, or over the
    `over_weeks` weeks to it (the sums of whichever of those weeks have data, then the measure from them)."""
    if over_weeks == 1:
        return measure_series(totals, item)
    parts = _weekly_parts(totals, item)
    if parts.empty:
        return pd.Series(dtype="float64")
    calendar = [
        parts.index.min() + dt.timedelta(weeks=n) for n in range((parts.index.max() - parts.index.min()).days // 7 + 1)
    ]
    summed = parts.reindex(calendar).rolling(over_weeks, min_periods=1).sum()
    present = parts.reindex(calendar).notna().any(axis=1).astype(int).rolling(over_weeks, min_periods=1).sum()
    figures = summed.apply(lambda row: item.value_from(row.to_dict()), axis=1).astype("float64")
    return figures[present > 0].reindex(parts.index)


def _value(figures: pd.Series, week: dt.date) -> float | None:
    value = figures.get(week)
    return None if value is None or is_missing(value) else float(value)


def headline_card(
    totals: pd.DataFrame,
    item: Measure,
    week: dt.date,
    provisional: bool = False,
    lags: Mapping[str, int] = COHORT_LAGS,
) -> HeadlineCard:
    """One headline card: the figure (a 12-week rate where the parts lag each other; a cohort rate where
    `lags` states the lag), its changes on the previous week and on the 12-week average, and whether it is
    beyond normal variation."""
    if item.code in lags:
        return _cohort_card(totals, item, week, lags[item.code], provisional)
    over_weeks = PERIOD_RATE_WEEKS if item.code in PERIOD_RATES else 1
    figures = _figures(totals, item, over_weeks)
    value = _value(figures, week)
    control = _control(figures, item, week) if over_weeks == 1 else None
    limits = (
        control.limits if control is not None else (_limits(totals, item, week, over_weeks) if over_weeks > 1 else None)
    )
    verdict = control.judge(item) if control is not None else variation.judge(item, value, limits)
    judgement = Judgement.PROVISIONAL if provisional else verdict
    previous = _value(figures, week - dt.timedelta(weeks=1))
    average = (
        _period_value(totals, item, _weeks_before(week, AVERAGE_WEEKS))
        if over_weeks == 1
        else _period_value(totals, item, _weeks_before(week, AVERAGE_WEEKS, skip=over_weeks - 1))
    )
    weeks = [week - dt.timedelta(weeks=n) for n in range(SPARKLINE_WEEKS - 1, -1, -1)]
    sparkline = pd.Series([_value(figures, w) for w in weeks], index=weeks, dtype="float64")
    return HeadlineCard(
        measure=item,
        week_ending=week,
        value=value,
        against_previous_week=compare(item, value, previous, judgement),
        against_average=compare(item, value, average, judgement),
        sparkline=sparkline.dropna(),
        judgement=judgement,
        limits=limits,
        over_weeks=over_weeks,
        control=control,
    )


def _cohort_figures(totals: pd.DataFrame, item: Measure, lag: int) -> pd.Series:
    """Every week's cohort rate: the numerators of the PERIOD_RATE_WEEKS weeks to it over the denominators of
    the weeks `lag` earlier; none where any of those weeks is missing (as cohorts.judge_cohort)."""
    parts = cohorts.weekly_parts(totals, item)
    if parts.empty:
        return pd.Series(dtype="float64")
    first, last = min(parts.index), max(parts.index)
    calendar = [first + dt.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]
    weekly = parts.reindex(calendar)
    numerators = weekly["numerator"].rolling(PERIOD_RATE_WEEKS).sum()
    denominators = weekly["denominator"].shift(lag).rolling(PERIOD_RATE_WEEKS).sum()
    return (numerators / denominators.where(denominators > 0)).astype("float64")


def _cohort_card(totals: pd.DataFrame, item: Measure, week: dt.date, lag: int, provisional: bool) -> HeadlineCard:
    """The card of a cohort rate: its figure, changes and sparkline are the matured cohorts' rates (the one
    ending at the week, the one before it, the one 12 weeks before), and its verdict the Laney p' check of
    the newest matured cohort, worked out once here for the card, the statements, the slides and the pack."""
    figures = _cohort_figures(totals, item, lag)
    check = cohorts.cohort_check(totals, item, week, lag, PERIOD_RATE_WEEKS)
    judgement = Judgement.PROVISIONAL if provisional else check.judgement
    value = _value(figures, week)
    weeks = [week - dt.timedelta(weeks=n) for n in range(SPARKLINE_WEEKS - 1, -1, -1)]
    return HeadlineCard(
        measure=item,
        week_ending=week,
        value=value,
        against_previous_week=compare(item, value, _value(figures, week - dt.timedelta(weeks=1)), judgement),
        against_average=compare(item, value, _value(figures, week - dt.timedelta(weeks=PERIOD_RATE_WEEKS)), judgement),
        sparkline=pd.Series([_value(figures, w) for w in weeks], index=weeks, dtype="float64").dropna(),
        judgement=judgement,
        limits=check.limits,
        over_weeks=PERIOD_RATE_WEEKS,
        cohort=check,
    )


def _control(figures: pd.Series, item: Measure, week: dt.date) -> variation.Control | None:
    """The XmR chart of a weekly figure: the BASELINE_WEEKS weeks before the week as its baseline, the rules
    read at the week itself."""
    baseline = _weeks_before(week, variation.BASELINE_WEEKS)[::-1]
    shown = figures[[w in baseline or w == week for w in figures.index]].sort_index()
    if week not in shown.index or is_missing(shown.get(week)):
        return None
    return variation.xmr(shown, baseline=baseline, count=item.kind != MeasureKind.RATE)


def headline_cards(totals: pd.DataFrame, week: dt.date, provisional: bool = False) -> list[HeadlineCard]:
    """The six headline cards for a week, from national totals covering the HISTORY_WEEKS to it."""
    return [headline_card(totals, measure(code), week, provisional) for code in HEADLINE_MEASURES]


@dataclass(frozen=True)
class ReturnsSummary:
    complete: int  # returns that cover every measure the organisation reports
    expected: int
    on_time: int
    late: int
    missing: list[str]  # organisation names
    partial: list[str] = field(default_factory=list)  # returned some measures only

    @property
    def complete_share(self) -> float:
        return self.complete / self.expected if self.expected else 0.0

    @property
    def provisional(self) -> bool:
        """Fewer than COMPLETE_FOR_HEADLINES of the expected returns are complete: the week is not headlined
        as final, and no change in it is called good or bad."""
        return self.complete_share < COMPLETE_FOR_HEADLINES

    def provisional_words(self) -> str:
        return f"Provisional: {self.complete} of {self.expected} returns" + (
            f" ({len(self.partial)} more partial)" if self.partial else ""
        )


def returns_summary(returns: pd.DataFrame) -> ReturnsSummary:
    received = returns[returns["receipt_status"].ne(Receipt.MISSING)]
    complete = received[received["complete"]] if "complete" in received else received
    counts = complete["receipt_status"].value_counts().reindex(list(Receipt), fill_value=0)
    return ReturnsSummary(
        complete=len(complete),
        expected=len(returns),
        on_time=int(counts[Receipt.ON_TIME]),
        late=int(counts[Receipt.LATE]),
        missing=returns.loc[returns["receipt_status"].eq(Receipt.MISSING), "org_name"].tolist(),
        partial=received.loc[~received.index.isin(complete.index), "org_name"].tolist(),
    )


def status_counts(recommendations: pd.DataFrame) -> dict[str, int]:
    counts = recommendations["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in REPORTABLE_STATUSES}


def default_week(reporting_weeks: pd.DataFrame) -> dt.date | None:
    """The latest week with at least COMPLETE_FOR_HEADLINES of the expected returns complete (else the latest
    week, which is then labelled provisional). A newer week can still be chosen, and says it is provisional."""
    if reporting_weeks.empty:
        return None
    complete = reporting_weeks["returns_complete"] >= COMPLETE_FOR_HEADLINES * reporting_weeks["returns_expected"]
    chosen = (reporting_weeks[complete] if complete.any() else reporting_weeks)["week_ending"].max()
    return pd.Timestamp(chosen).date()


def card_numbers(cards: list[HeadlineCard]) -> pd.DataFrame:
    """The numbers behind the cards, one row per week and measure, for the download."""
    rows = []
    for card in cards:
        for week, value in card.sparkline.items():
            rows.append(
                {
                    "week_ending": week,
                    "measure": card.measure.label,
                    "unit": card.measure.unit,
                    "value": None if is_missing(value) else round(float(value), 4),
                }
            )
    return pd.DataFrame(rows)
