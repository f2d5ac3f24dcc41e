"""The page numbers computed two ways on the same database, and checked equal:

- the dashboard's way: the named query on DuckDB, reading the rollups kept up to date at ingest (the cost of
  a cache miss; a cache hit costs nothing);
- the way a typical Streamlit app does it: load the returns into pandas on each rerun, then filter, map each
  sender to its organisation, and group.

Run in its own process per database (`python -m bench.bench_baseline DATABASE`); prints JSON.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from pathlib import Path

import numpy as np
import pandas as pd

from taskforce.core.db import connect
from taskforce.core.queries import run_query

REPEATS = 3
FLOWS = ["oic_arrests", "oic_charges"]


def _load(con, *tables: str) -> dict[str, pd.DataFrame]:
    return {name: con.execute(f"select * from {name}").df() for name in tables}


def _with_organisation(returns: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    if units.empty:
        return returns.assign(org=returns["org_code"])
    parent = dict(zip(units["code"], units["org_code"], strict=False))
    return returns.assign(org=returns["org_code"].map(parent).fillna(returns["org_code"]).astype(str))


def _weeks(frame: pd.DataFrame, first: dt.date, last: dt.date) -> pd.DataFrame:
    weeks = pd.to_datetime(frame["week_ending"])
    return frame[(weeks >= pd.Timestamp(first)) & (weeks <= pd.Timestamp(last))]


def overview_pandas(con, week: dt.date) -> pd.DataFrame:
    """National totals of every measure for the 26 weeks to the chosen week, with organisations reporting: a
    stock is each organisation's latest value carried forward up to 8 weeks, as the dashboard's rule says."""
    t = _load(con, "weekly_return", "org_unit", "measure")
    rows = _with_organisation(t["weekly_return"], t["org_unit"])
    per_org = rows.groupby(["week_ending", "org", "measure_code"], as_index=False)["value"].sum()
    stocks = set(t["measure"].loc[t["measure"]["aggregation"] == "stock", "code"])
    by_week = per_org[per_org["measure_code"].isin(stocks)].pivot_table(
        index="week_ending", columns=["org", "measure_code"], values="value", aggfunc="sum"
    )
    carried = by_week.reindex(sorted(per_org["week_ending"].unique())).ffill(limit=8)
    carried = carried.stack(["org", "measure_code"], future_stack=True).dropna().rename("value").reset_index()
    figures = pd.concat([per_org[~per_org["measure_code"].isin(stocks)], carried], ignore_index=True)
    figures = _weeks(figures, week - dt.timedelta(weeks=25), week)
    reported = _weeks(per_org, week - dt.timedelta(weeks=25), week)
    totals = figures.groupby(["week_ending", "measure_code"], as_index=False)["value"].sum()
    counts = reported.groupby(["week_ending", "measure_code"], as_index=False).agg(organisations=("org", "nunique"))
    return totals.merge(counts, on=["week_ending", "measure_code"], how="left")


def overview_duckdb(con, week: dt.date) -> pd.DataFrame:
    return run_query(con, "national_weekly_totals", {"from": week - dt.timedelta(weeks=25), "to": week})


def regional_pandas(con, week: dt.date) -> pd.DataFrame:
    """Each force's arrests and charges over the last 12 weeks, with the weeks it reported."""
    t = _load(con, "weekly_return", "org_unit", "org")
    rows = _with_organisation(_weeks(t["weekly_return"], week - dt.timedelta(weeks=11), week), t["org_unit"])
    forces = set(t["org"].loc[t["org"]["type"] == "force", "code"])
    rows = rows[rows["org"].isin(forces) & rows["measure_code"].isin(FLOWS)]
    return (
        rows.groupby(["org", "measure_code"], as_index=False)
        .agg(value=("value", "sum"), weeks_reported=("week_ending", "nunique"))
        .rename(columns={"org": "org_code"})
    )


def regional_duckdb(con, week: dt.date) -> pd.DataFrame:
    return run_query(con, "map_values", {"measures": FLOWS, "from": week - dt.timedelta(weeks=11), "to": week})


def trends_pandas(con, week: dt.date) -> pd.DataFrame:
    """Weekly arrests and charges over two years, by agency (police forces together)."""
    t = _load(con, "weekly_return", "org_unit", "org")
    rows = _with_organisation(_weeks(t["weekly_return"], week - dt.timedelta(weeks=103), week), t["org_unit"])
    org = t["org"].set_index("code")
    group = np.where(org["type"] == "force", "Police forces", org["name"])
    rows = rows[rows["measure_code"].isin(FLOWS)].assign(group_name=rows["org"].map(pd.Series(group, org.index)))
    return (
        rows.groupby(["week_ending", "group_name", "measure_code"], as_index=False)["value"]
        .sum()
        .rename(columns={"week_ending": "period_start"})
    )


def trends_duckdb(con, week: dt.date) -> pd.DataFrame:
    return run_query(
        con,
        "trend_series",
        {
            "period": "week",
            "split": "agency",
            "forces": [],
            "measures": FLOWS,
            "from": week - dt.timedelta(weeks=103),
            "to": week,
        },
    )


def returns_pandas(con, week: dt.date) -> pd.DataFrame:
    """When each organisation's return for the week first arrived, and in how many uploads."""
    t = _load(con, "weekly_return", "weekly_return_history", "org_unit", "upload")
    keys = ["week_ending", "org_code", "upload_id"]
    supplied = pd.concat([t["weekly_return"][keys], t["weekly_return_history"][keys]]).drop_duplicates()
    supplied = _with_organisation(_weeks(supplied, week, week), t["org_unit"])
    supplied = supplied.merge(t["upload"][["id", "received_at"]], left_on="upload_id", right_on="id")
    return (
        supplied.groupby("org", as_index=False)
        .agg(first_received_at=("received_at", "min"), uploads=("upload_id", "nunique"))
        .rename(columns={"org": "org_code"})
    )


def returns_duckdb(con, week: dt.date) -> pd.DataFrame:
    result = run_query(con, "returns_for_week", {"week": week})
    return result[result["uploads"] > 0][["org_code", "first_received_at", "uploads"]]


PAGES = {
    "overview: national totals, 26 weeks": (overview_duckdb, overview_pandas, ["week_ending", "measure_code"]),
    "regional: force totals, 12 weeks": (regional_duckdb, regional_pandas, ["org_code", "measure_code"]),
    "trends: weekly by agency, 2 years": (trends_duckdb, trends_pandas, ["period_start", "group_name", "measure_code"]),
    "returns: receipts for the week": (returns_duckdb, returns_pandas, ["org_code"]),
}


def _same_numbers(ours: pd.DataFrame, theirs: pd.DataFrame, keys: list[str]) -> bool:
    """The two results hold the same keys and the same values in every column they share."""
    ours, theirs = ours.copy(), theirs.copy()
    for frame in (ours, theirs):
        for key in keys:
            if key in ("week_ending", "period_start"):
                frame[key] = pd.to_datetime(frame[key])
    merged = ours.merge(theirs, on=keys, how="outer", suffixes=("_duckdb", "_pandas"), indicator=True)
    if not (merged["_merge"] == "both").all():
        return False
    shared = [c for c in theirs.columns if c not in keys and c in ours.columns]
    for column in shared:
        left, right = merged[f"{column}_duckdb"], merged[f"{column}_pandas"]
        if pd.api.types.is_numeric_dtype(left):
            if not np.allclose(left.astype(float), right.astype(float)):
                return False
        elif not (pd.to_datetime(left) == pd.to_datetime(right)).all():
            return False
    return True


def _timed(action) -> tuple[float, pd.DataFrame]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def measure(database: Path, week: dt.date, repeats: int = REPEATS) -> dict[str, dict]:
    con = connect(database)
    results = {}
    try:
        for name, (ours, theirs, keys) in PAGES.items():
            ours_runs = [_timed(lambda ours=ours: ours(con, week)) for _ in range(REPEATS)]
            theirs_runs = [_timed(lambda theirs=theirs: theirs(con, week)) for _ in range(repeats)]
            results[name] = {
                "duckdb_s": statistics.median(t for t, _ in ours_runs),
                "pandas_s": statistics.median(t for t, _ in theirs_runs),
                "same_numbers": _same_numbers(ours_runs[0][1], theirs_runs[0][1], keys),
            }
    finally:
        con.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--week", type=dt.date.fromisoformat, required=True)
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs of the pandas baseline")
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.database, arguments.week, arguments.repeats)))


if __name__ == "__main__":
    main()
