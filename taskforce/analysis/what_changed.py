"""Plain-English statements of what changed in a week, chosen by stated tests, never by raw size.

Each function returns zero or more sentences; `statements` puts them in the order a briefing wants: the
returns still missing or partial (always kept), headline figures beyond normal variation (analysis/variation.py),
the force whose week clears false-discovery control against its own baseline (or that none does), nil returns,
recommendation status changes, and counts above an organisation's own recent range that clear the same control.
A provisional week judges nothing: its figures are still arriving.
"""

from __future__ import annotations

import pandas as pd

from taskforce.analysis import funnel, variation
from taskforce.analysis.headlines import HeadlineCard, ReturnsSummary
from taskforce.core.formats import format_date, format_value, join_words, plural
from taskforce.core.kinds import Aggregation, MeasureKind
from taskforce.measures.registry import measure, reported_codes
from taskforce.measures.vocabulary import Judgement

MAXIMUM_STATEMENTS = 6
MINIMUM_RECENT_WEEKS = variation.MINIMUM_WEEKS  # an organisation's range needs this many earlier weeks


def national_movers(cards: list[HeadlineCard]) -> list[str]:
    """Every headline figure the card calls a special cause, in the card's own words (rules and limits)."""
    sentences = []
    for card in cards:
        if card.judgement not in (Judgement.GOOD, Judgement.BAD, Judgement.NEUTRAL) or card.limits is None:
            continue
        sentences.append(f"{card.measure.label}: {card.formatted_value} {card.basis}. {card.variation_words()}")
    return sentences


FORCE_STATEMENT_METHOD = (
    "Force statements: a single organisation is named for a count only when its week differs from its own "
    f"previous 12 weeks (at least {variation.MINIMUM_WEEKS} of them with a return) by more than chance explains, "
    "after false-discovery control across every organisation tested that week (below). A force with one arrest "
    "after twelve weeks of none is not singled out: one Poisson count in thirteen weeks is what chance gives. "
    + funnel.FDR_METHOD
)


def _tested(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with enough history, each tested against its own baseline (an exact Poisson test), and whether it
    clears false-discovery control across all of them."""
    judged = rows[rows["recent_weeks"].ge(MINIMUM_RECENT_WEEKS)].copy()
    judged["p_value"] = [
        funnel.against_own_baseline(value, mean * weeks, weeks)
        for value, mean, weeks in zip(judged["value"], judged["recent_mean"], judged["recent_weeks"], strict=True)
    ]
    judged["discovered"] = funnel.benjamini_hochberg(judged["p_value"].tolist())
    return judged


def force_mover(org_rows: pd.DataFrame, measure_code: str = "oic_arrests") -> list[str]:
    """The force whose arrests differ most clearly from its own previous weeks, if any clears false-discovery
    control across every force tested; else that there is no evidence of change in any one force."""
    item = measure(measure_code)
    tested = _tested(org_rows[org_rows["measure_code"].eq(measure_code) & org_rows["org_type"].eq("force")])
    if tested.empty:
        return []
    control = (
        f"{plural(len(tested), 'force')} tested against their own previous 12 weeks, false-discovery "
        f"control at q = {funnel.FALSE_DISCOVERY_RATE:g}"
    )
    found = tested[tested["discovered"]]
    if found.empty:
        return [f"No single force's {item.label} show evidence of change this week ({control})."]
    top = found.loc[found["p_value"].idxmin()]
    side = "more" if top["value"] > top["recent_mean"] else "fewer"
    return [
        f"{top['org_name']}: {format_value(item, top['value'])} {item.label} in the week against "
        f"{top['recent_mean']:.1f} a week before, {side} than chance explains (p = {top['p_value']:.2g}; "
        f"{control})."
    ]


def nil_returns(org_rows: pd.DataFrame) -> list[str]:
    """Organisations whose return is a real nil return: zero for every reported flow measure, though they were
    active in the weeks before."""
    flows = [code for code in reported_codes() if measure(code).aggregation == Aggregation.FLOW]
    activity = org_rows[org_rows["measure_code"].isin(flows)]
    sentences = []
    # The most active organisation first: its silence is the least likely to be real.
    usual = activity.groupby("org_name")["recent_mean"].sum().sort_values(ascending=False)
    for org_name in usual.index:
        rows = activity[activity["org_name"] == org_name]
        if len(rows) == len(flows) and rows["value"].eq(0).all() and rows["recent_mean"].sum() >= 1:
            busiest = rows.loc[rows["recent_mean"].idxmax()]
            sentences.append(
                f"{org_name} returned zero for every activity measure (a nil return), against an average of "
                f"{busiest['recent_mean']:.1f} {measure(busiest['measure_code']).label.lower()} a week before: "
                "worth checking with the organisation."
            )
    return sentences


def outliers(org_rows: pd.DataFrame, limit: int = 2) -> list[str]:
    """Counts above anything in an organisation's previous 12 weeks that clear false-discovery control across
    every organisation and count tested that week."""
    flow_counts = (
        org_rows["measure_code"]
        .map(lambda code: measure(code).aggregation == Aggregation.FLOW and measure(code).kind == MeasureKind.COUNT)
        .astype(bool)
    )
    tested = _tested(org_rows[flow_counts])
    unusual = tested[
        tested["discovered"]
        & tested["value"].gt(tested["recent_max"])
        & (tested["value"] - tested["recent_mean"]).ge(5)
    ]
    sentences = []
    for row in unusual.sort_values("p_value").head(limit).itertuples(index=False):
        item = measure(str(row.measure_code))
        sentences.append(
            f"{row.org_name} reported {format_value(item, row.value)} {item.label.lower()}, above anything in "
            f"its previous 12 weeks ({format_value(item, row.recent_min)} to {format_value(item, row.recent_max)})."
        )
    return sentences


def status_changes(changes: pd.DataFrame, limit: int = 2) -> list[str]:
    sentences = [
        f"Recommendation {row.recommendation} ({row.short_title}) moved from {row.previous_status} "
        f"to {row.status} on {format_date(pd.Timestamp(str(row.as_of_date)).date())}."
        for row in changes.head(limit).itertuples(index=False)
    ]
    if len(changes) > limit:
        more = len(changes) - limit
        sentences.append(f"{plural(more, 'more recommendation')} changed status this week.")
    return sentences


NAMED_IN_A_SENTENCE = 6


def missing_returns(returns: ReturnsSummary) -> list[str]:
    """The returns not in yet, by name when there are few; a longer list is left to the list of missing returns
    beside it (a sentence naming 22 forces is read by nobody)."""
    sentences = []
    missing = returns.missing
    if missing:
        names = (
            f": {join_words(missing)}"
            if len(missing) <= NAMED_IN_A_SENTENCE
            else " (the list of missing returns names them)"
        )
        sentences.append(
            f"{returns.expected - len(missing)} of {returns.expected} returns in; "
            f"{plural(len(missing), 'return')} not yet received{names}."
        )
    if returns.partial:
        verb = "covers" if len(returns.partial) == 1 else "cover"
        sentences.append(
            f"{plural(len(returns.partial), 'return')} {verb} only some measures: {join_words(returns.partial)}."
        )
    return sentences


def statements(
    cards: list[HeadlineCard],
    org_rows: pd.DataFrame,
    changes: pd.DataFrame,
    returns: ReturnsSummary,
    wider_circulation: bool = False,
) -> list[str]:
    """Up to six statements for the week, most important first. The returns still missing are never dropped;
    in a provisional week nothing is judged, and the statement says so."""
    kept = missing_returns(returns)
    if returns.provisional:
        kept.append(
            f"{returns.provisional_words()}: the week's figures will rise as returns arrive, so no "
            "change in them is judged yet."
        )
        rest = status_changes(changes)
    else:
        lead = national_movers(cards)[:2] or [
            "Every headline figure shows common cause variation: no evidence of change (XmR limits from the 20 "
            "weeks before)."
        ]
        # A single organisation's week holds counts small enough to identify people: not for wider circulation.
        local = [] if wider_circulation else force_mover(org_rows) + nil_returns(org_rows)[:1]
        rest = lead + local + status_changes(changes) + ([] if wider_circulation else outliers(org_rows))
    return kept + rest[: max(MAXIMUM_STATEMENTS - len(kept), 0)]
