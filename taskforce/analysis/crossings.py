"""The real Home Office small-boat series: which months are official statistics, provisional or partial, in
words worked out from the series itself (its `status` column), never written into the page."""

from __future__ import annotations

import pandas as pd

from taskforce.core.formats import join_words
from taskforce.core.memo import memoised


def _month(value) -> str:
    return f"{pd.Timestamp(value):%B %Y}"


@memoised
def series_status_words(arrivals: pd.DataFrame) -> str:
    """'official quarterly statistics to June 2026; provisional figures for July and August 2026; September
    2026 is partial' from rows (month, status)."""
    if arrivals.empty:
        return "no months are loaded"
    ordered = arrivals.sort_values("month")
    official = ordered[ordered["status"] == "official"]
    provisional = ordered[ordered["status"] == "provisional"]
    partial = ordered[ordered["status"] == "partial"]
    parts = []
    if not official.empty:
        parts.append(f"official quarterly statistics to {_month(official['month'].max())}")
    if not provisional.empty:
        parts.append(f"provisional figures for {join_words([_month(m) for m in provisional['month']])}")
    if not partial.empty:
        months = join_words([_month(m) for m in partial["month"]])
        parts.append(f"{months} {'is' if len(partial) == 1 else 'are'} partial (not every day is in yet)")
    return "; ".join(parts)
