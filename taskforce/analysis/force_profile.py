"""A force's profile: its key measures against its ROCU region and the nation, on a comparable basis."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from taskforce.analysis import funnel
from taskforce.core import disclosure
from taskforce.core.formats import NO_DATA, format_value, is_missing, join_words, plural
from taskforce.core.kinds import MeasureKind
from taskforce.measures.registry import measure
from taskforce.measures.vocabulary import Receipt

PROFILE_MEASURES = (
    "oic_arrests",
    "oic_charges",
    "charge_rate",
    "disruptions_total",
    "intel_packages_shared",
    "migrants_encountered",
    "debrief_rate",
    "tasking_completion",
    "ocg_high_priority_share",
)
AREAS = {"force": "This force", "region": "Its ROCU region", "national": "All forces"}


def base_codes(codes=PROFILE_MEASURES) -> list[str]:
    return sorted({base for code in codes for base in measure(code).base_codes})


def comparison_table(
    rows: pd.DataFrame,
    codes=PROFILE_MEASURES,
    wider_circulation: bool = False,
    threshold: int | None = None,
    areas: Mapping[str, str] = AREAS,
) -> pd.DataFrame:
    """One row per measure; columns for the force, its region and the nation. Counts are per 100,000
    residents (so areas of any size compare); rates are rates.

    For wider circulation, a figure made from a count from 1 to the threshold is shown as [c]: the force's
    per-100,000 value would give its count back (the population is public), and so would its rate. A region's
    figure goes too where any of its forces has such a count, since the region's total less the forces shown
    on the map would give it away. The national figure stays: the map hides at least two forces wherever it
    hides one. `areas`: the rows' areas and their headings (a force's own view compares it with its most
    similar forces instead of its region)."""
    limit = threshold or disclosure.configured_threshold()
    records = []
    for code in codes:
        item = measure(code)
        record = {"Measure": item.label, "Basis": "rate" if item.kind == MeasureKind.RATE else "per 100,000 residents"}
        for area, heading in areas.items():
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
    if item.kind != MeasureKind.RATE and value is not None:
        value = None if is_missing(population) or not population else value / float(population) * 100_000
    return (
        NO_DATA if value is None else (format_value(item, value) if item.kind == MeasureKind.RATE else f"{value:,.2f}")
    )


def _gives_away_a_small_count(parts: pd.DataFrame, item, threshold: int) -> bool:
    """Whether any count this figure is made from is, for one force, from 1 to the threshold."""
    counts = [code for code in item.base_codes if measure(code).kind == MeasureKind.COUNT]
    smallest = parts.loc[parts["measure_code"].isin(counts), "smallest_force_value"]
    return bool(((smallest >= 1) & (smallest <= threshold)).any())


def returns_record_words(record: pd.DataFrame) -> str:
    """A force's returns over some weeks in a sentence, from the force_returns_record query."""
    counts = record["receipt_status"].value_counts()
    resubmitted = int((record["uploads"] > 1).sum())
    return (
        f"On time {counts.get(Receipt.ON_TIME, 0)}, late {counts.get(Receipt.LATE, 0)}, missing "
        f"{counts.get(Receipt.MISSING, 0)}; resubmitted {resubmitted}."
    )


# What stands out: the force's rates against its region's and the nation's, by the dashboard's rules. A share
# of people is binomial; a rate whose numerator can pass its denominator (charges follow arrests, taskings are
# completed weeks after they arrive) is Poisson, as on the funnel plots.
BINOMIAL_RATES = frozenset({"debrief_rate", "ocg_high_priority_share"})
COMPARED_WITH = {"region": "in its ROCU region", "national": "nationally"}
FUNNEL_LEVEL = funnel.FUNNEL_LEVELS[0]  # 95%: the multiple-testing step does the rest
STANDS_OUT_METHOD = (
    "A force's profile names a rate as standing out only when the force's rate lies outside the 95% funnel "
    "limits around its ROCU region's or the nation's rate for the force's own base (exact binomial for a share of "
    "people, Poisson otherwise), and still does after allowing for every rate and comparison tested on the "
    f"profile at once (Benjamini-Hochberg at q = {funnel.FALSE_DISCOVERY_RATE:g}). A rate on a base under "
    f"{funnel.RANK_MINIMUM_BASE} is not tested. The region's and the nation's rates include the force. Counts per "
    "100,000 residents are not tested: forces differ in ways their population does not capture, so a Poisson "
    "test on residents would single out most forces. Where nothing clears the rule the profile says there is no "
    "evidence of a difference, not that the force is like the others. For wider circulation only figures shown "
    "are tested."
)


@dataclass(frozen=True)
class Comparison:
    code: str
    area: str  # region | national
    rate: float  # the force's
    base: float  # the force's denominator
    against: float  # the area's rate
    p_value: float
    outside: bool  # outside the 95% funnel limits for the force's base
    stands_out: bool = False  # outside, and still significant after Benjamini-Hochberg across the profile


def totals_by_area(rows: pd.DataFrame) -> dict[str, dict[str, float]]:
    """From the force_key_measures query: each area's total of each reported measure."""
    return {
        area: dict(zip(parts["measure_code"], parts["value"], strict=False)) for area, parts in rows.groupby("area")
    }


def visible_totals(
    rows: pd.DataFrame, codes=PROFILE_MEASURES, threshold: int | None = None
) -> dict[str, dict[str, float]]:
    """The totals a wider-circulation profile may test: a measure's bases are dropped for an area where the
    comparison table hides the measure (a count from 1 to the threshold behind it), so no verdict or sentence
    is made from a hidden figure."""
    limit = threshold or disclosure.configured_threshold()
    totals = totals_by_area(rows)
    for code in codes:
        item = measure(code)
        for area in ("force", "region"):
            if _gives_away_a_small_count(rows[rows["area"] == area], item, limit):
                for base in item.base_codes:
                    totals.get(area, {}).pop(base, None)
    return totals


def exact_p_value(count: float, base: float, rate: float, kind: str) -> float:
    """Two-sided exact p-value of `count` in `base` under the area's `rate` (binomial or Poisson)."""
    top = int(round(count))
    pmf = (
        funnel.binomial_pmf(int(round(base)), min(max(rate, 0.0), 1.0))
        if kind == "binomial"
        else (funnel.poisson_pmf(rate * base, max(top, funnel._poisson_top(rate * base)) + 1))
    )
    if top >= len(pmf):
        return 0.0
    return min(1.0, 2 * min(float(pmf[: top + 1].sum()), float(pmf[top:].sum())))


def comparisons(
    totals: Mapping[str, Mapping[str, float]],
    codes=PROFILE_MEASURES,
    minimum_base: float = funnel.RANK_MINIMUM_BASE,
    correct: bool = True,
    compared_with: Mapping[str, str] = COMPARED_WITH,
) -> list[Comparison]:
    """Every rate on the profile against each area of `compared_with` (the region and the nation by default), with
    the verdict. `correct=False` drops the Benjamini-Hochberg step (for the tests that show it matters)."""
    tested = []
    force = totals.get("force", {})
    for code in codes:
        item = measure(code)
        if item.kind != MeasureKind.RATE or not item.denominator:
            continue
        count, base = item.value_from(force), force.get(item.denominator)
        if count is None or base is None or is_missing(base) or base < minimum_base:
            continue
        numerator = count * base
        kind = "binomial" if code in BINOMIAL_RATES else "poisson"
        for area in compared_with:
            against = item.value_from(totals.get(area, {}))
            if against is None:
                continue
            low, high = funnel.count_limits(against, base, FUNNEL_LEVEL, kind)
            tested.append(
                Comparison(
                    code,
                    area,
                    count,
                    base,
                    against,
                    exact_p_value(numerator, base, against, kind),
                    not low <= count <= high,
                )
            )
    significant = funnel.benjamini_hochberg([c.p_value for c in tested]) if correct else [True] * len(tested)
    return [
        Comparison(**{**c.__dict__, "stands_out": c.outside and passed})
        for c, passed in zip(tested, significant, strict=True)
    ]


def standing_out_words(
    found: list[Comparison], compared_with: Mapping[str, str] = COMPARED_WITH, others: str = "its region or the nation"
) -> list[str]:
    """What stands out, in plain sentences, one a measure: 'Tasking completion rate 72.0% against 94.9%
    nationally and 93.1% in its ROCU region: lower, beyond what chance would give (on 412 taskings received).'
    When nothing does, one sentence saying there is no evidence of a difference from the `others`."""
    sentences = []
    for code in dict.fromkeys(c.code for c in found if c.stands_out):
        item, out = measure(code), [c for c in found if c.code == code and c.stands_out]
        against = join_words([f"{format_value(item, c.against)} {compared_with[c.area]}" for c in out])
        side = "higher" if out[0].rate > out[0].against else "lower"
        base = measure(item.denominator)
        sentences.append(
            f"{item.label} {format_value(item, out[0].rate)} against {against}: {side}, beyond what "
            f"chance would give (on {out[0].base:,.0f} {base.label[0].lower() + base.label[1:]})."
        )
    if sentences:
        return sentences
    rates = len({c.code for c in found})
    if not rates:
        return ["No rate on this profile has a base large enough to test."]
    return [f"No evidence of a difference from {others} on the {plural(rates, 'rate')} tested."]
