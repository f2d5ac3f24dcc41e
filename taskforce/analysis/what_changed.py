"""Plain-English statements of what changed in a week, computed from the data.

Each function returns zero or more sentences; `statements` puts them in the order a briefing wants:
the national picture, the force that moved most, returns that look wrong, recommendation status changes,
values far outside an organisation's own recent range, and returns still missing.
"""
from __future__ import annotations

import pandas as pd

from taskforce.analysis.headlines import FLOW_ZERO_CHECK, HeadlineCard, ReturnsSummary
from taskforce.core.formats import format_count, format_date, format_percent, format_value, join_words
from taskforce.measures.registry import measure

MAXIMUM_STATEMENTS = 6
MINIMUM_RECENT_WEEKS = 8  # an organisation's range needs this many earlier weeks to judge against


def national_movers(cards: list[HeadlineCard]) -> list[str]:
    """The headline count that moved most against its 12-week average, and any rate that moved 5 points."""
    sentences = []
    counts = [c for c in cards if c.measure.kind != "rate" and c.against_average.relative_change is not None]
    if counts:
        card = max(counts, key=lambda c: abs(c.against_average.relative_change or 0.0))
        comparison = card.against_average
        side = "above" if (comparison.change or 0.0) > 0 else "below"
        sentences.append(
            f"{card.measure.label}: {card.formatted_value} in the week, "
            f"{abs(comparison.relative_change or 0.0):.0%} {side} the 12-week average of "
            f"{format_value(card.measure, comparison.reference_value)}."
        )
    for card in cards:
        comparison = card.against_average
        if card.measure.kind == "rate" and comparison.change is not None and abs(comparison.change) >= 0.05:
            side = "above" if comparison.change > 0 else "below"
            sentences.append(
                f"{card.measure.label}: {card.formatted_value}, {abs(comparison.change) * 100:.1f} points {side} "
                f"the rate over the previous 12 weeks ({format_percent(comparison.reference_value)})."
            )
    return sentences


def force_mover(org_rows: pd.DataFrame, measure_code: str = "oic_arrests") -> list[str]:
    """The force whose figure moved furthest from its own 12-week average."""
    rows = org_rows[
        org_rows["measure_code"].eq(measure_code) & org_rows["org_type"].eq("force")
        & org_rows["recent_weeks"].ge(MINIMUM_RECENT_WEEKS)
    ]
    if rows.empty:
        return []
    rows = rows.assign(change=rows["value"] - rows["recent_mean"])
    top = rows.loc[rows["change"].abs().idxmax()]
    if abs(top["change"]) < 1:
        return []
    item = measure(measure_code)
    rise_or_fall = "rise" if top["change"] > 0 else "fall"
    return [
        f"{top['org_name']}: {format_count(top['value'])} {item.label} against its 12-week average of "
        f"{top['recent_mean']:.1f}, the largest {rise_or_fall} of any force."
    ]


def nil_returns(org_rows: pd.DataFrame) -> list[str]:
    """Organisations that returned zero for every activity measure though they were active before."""
    activity = org_rows[org_rows["measure_code"].isin(FLOW_ZERO_CHECK)]
    sentences = []
    for org_name, rows in activity.groupby("org_name", sort=True):
        if len(rows) == len(FLOW_ZERO_CHECK) and rows["value"].eq(0).all() and rows["recent_mean"].sum() >= 1:
            busiest = rows.loc[rows["recent_mean"].idxmax()]
            sentences.append(
                f"{org_name} returned zero for all activity (a nil return), against an average of "
                f"{busiest['recent_mean']:.1f} {measure(busiest['measure_code']).label.lower()} a week before: "
                "worth checking with the force."
            )
    return sentences


def outliers(org_rows: pd.DataFrame, limit: int = 2) -> list[str]:
    """Values above anything in the organisation's previous 12 weeks and well clear of its average."""
    rows = org_rows[org_rows["recent_weeks"].ge(MINIMUM_RECENT_WEEKS)].copy()
    spread = rows["recent_sd"].fillna(0).clip(lower=1.0)
    rows["excess"] = (rows["value"] - rows["recent_mean"]) / spread
    unusual = rows[
        rows["value"].gt(rows["recent_max"]) & rows["excess"].ge(3)
        & (rows["value"] - rows["recent_mean"]).ge(5)
        # Stocks move by reclassification and cash comes in lumps: neither is judged on its range.
        & rows["measure_code"].map(lambda code: measure(code).aggregation == "flow" and measure(code).kind == "count")
        .astype(bool)
    ]
    sentences = []
    for row in unusual.sort_values("excess", ascending=False).head(limit).itertuples(index=False):
        item = measure(row.measure_code)
        sentences.append(
            f"{row.org_name} reported {format_value(item, row.value)} {item.label.lower()}, above anything in "
            f"its previous 12 weeks ({format_value(item, row.recent_min)} to {format_value(item, row.recent_max)})."
        )
    return sentences


def status_changes(changes: pd.DataFrame, limit: int = 2) -> list[str]:
    sentences = [
        f"Recommendation {row.recommendation} ({row.short_title}) moved from {row.previous_status} "
        f"to {row.status} on {format_date(pd.Timestamp(row.as_of_date).date())}."
        for row in changes.head(limit).itertuples(index=False)
    ]
    if len(changes) > limit:
        sentences.append(f"{len(changes) - limit} more recommendations changed status this week.")
    return sentences


def missing_returns(returns: ReturnsSummary) -> list[str]:
    if not returns.missing:
        return []
    return [
        f"{len(returns.missing)} of {returns.expected} returns not yet received: {join_words(returns.missing)}."
    ]


def statements(
    cards: list[HeadlineCard], org_rows: pd.DataFrame, changes: pd.DataFrame, returns: ReturnsSummary
) -> list[str]:
    """Three to six statements for the week, most important first."""
    ordered = (
        national_movers(cards)[:2] + force_mover(org_rows) + nil_returns(org_rows)[:1]
        + status_changes(changes) + outliers(org_rows) + missing_returns(returns)
    )
    return ordered[:MAXIMUM_STATEMENTS]
