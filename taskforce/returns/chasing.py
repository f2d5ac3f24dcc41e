"""Who to chase for a week's returns: the exceptions only, worst first (missing, then partial, then late), and,
over a run of weeks, only the organisations with any exception (all on time is a count, not a wall of cells)."""

from __future__ import annotations

import pandas as pd

from taskforce.measures.vocabulary import Receipt

# Worst first: nothing at all, then some measures only, then every measure but after the Tuesday deadline.
CHASE_ORDER = (Receipt.MISSING, Receipt.PARTIAL, Receipt.LATE)
EXCEPTIONS = frozenset(CHASE_ORDER)


def exception(row: pd.Series) -> str | None:
    """A returns_for_week row's exception, if it has one."""
    if row["receipt_status"] == Receipt.MISSING:
        return Receipt.MISSING
    if not row["complete"]:
        return Receipt.PARTIAL
    return Receipt.LATE if row["receipt_status"] == Receipt.LATE else None


def chase_list(returns: pd.DataFrame) -> pd.DataFrame:
    """From the returns_for_week query: organisation, what is wrong and the contact (when the reference data
    names one: the column is left out while none does), worst first and then by name; an organisation whose
    return came on time and whole is not on it."""
    exceptions = returns.apply(exception, axis=1) if not returns.empty else pd.Series(dtype=object)
    chased = returns.assign(exception=exceptions).dropna(subset=["exception"])
    rank = chased["exception"].map({str(kind): order for order, kind in enumerate(CHASE_ORDER)})
    chased = chased.assign(rank=rank).sort_values(["rank", "org_name"])
    table = pd.DataFrame(
        {
            "Organisation": chased["org_name"],
            "Return": chased["exception"].astype(str),
            "Measures returned": chased["measures_returned"].astype(int),
            "Contact": chased["returns_contact"].fillna("").astype(str),
        }
    ).reset_index(drop=True)
    return table if table["Contact"].str.strip().ne("").any() else table.drop(columns="Contact")


def with_exceptions(grid: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """From the returns_grid query: the rows of the organisations with any missing, partial or late return in
    the range, and how many organisations were on time (or resubmitted) every week."""
    flagged = grid.groupby("org_code")["receipt_status"].transform(lambda statuses: statuses.isin(EXCEPTIONS).any())
    return grid[flagged], int(grid.loc[~flagged, "org_code"].nunique())
