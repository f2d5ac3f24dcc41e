"""The store at its data's size: bytes per stored value against the same tables exported to Parquet (zstd) in
the same run, publishing a snapshot against a plain copy of the file, and the history's size on disk.

    python -m bench.bench_store_size STORE [STORE ...]     # stores already built (say, before and after)
    python -m bench.bench_store_size --scale 1 10 100      # builds each scale's demo store first

A stored value is one row of the returns (live or superseded), the unit the issue counts in. The Parquet is
every table of the store, each exported with `COPY ... (format parquet, compression zstd)` into a folder of
the same run. The history is what the snapshots kept by the retention policy (config.snapshots_kept: the
newest 20 and one a week for 52 weeks) take when each is a copy of the store as it is now.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import duckdb

from bench import bench_foundation
from bench.bench_cluster import publishing
from taskforce.core.config import snapshots_kept
from taskforce.core.db import single

TARGET_TIMES_PARQUET = 10


def _parquet_bytes(store: Path, folder: Path) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = current_database() and not temporary "
                "order by table_name"
            ).fetchall()
        ]
        total = 0
        for table in tables:  # identifiers from the store's own catalogue
            target = folder / f"{table}.parquet"
            con.execute(f"copy {table} to '{target}' (format parquet, compression zstd)")
            total += target.stat().st_size
        return total
    finally:
        con.close()


def _stored_values(store: Path) -> int:
    con = duckdb.connect(str(store), read_only=True)
    try:
        return int(
            single(
                con.execute(
                    "select (select count(*) from weekly_return) + (select count(*) from weekly_return_history)"
                ).fetchone()
            )[0]
        )
    finally:
        con.close()


def measure(store: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        parquet = _parquet_bytes(store, Path(folder))
    size, values = store.stat().st_size, _stored_values(store)
    keep_last, keep_weeks = snapshots_kept()
    timed = publishing(store)
    return {
        "store": str(store),
        "store_bytes": size,
        "values": values,
        "parquet_bytes": parquet,
        "bytes_per_value": size / values,
        "parquet_bytes_per_value": parquet / values,
        "times_parquet": size / parquet,
        "publish_s": timed["publish"],
        "copy_s": timed["copy"],
        "snapshots_kept": keep_last + keep_weeks,
        "history_bytes": size * (keep_last + keep_weeks),
    }


def markdown(rows: list[dict]) -> str:
    lines = [
        "| store | size | values | bytes per value | Parquet (zstd) | times the Parquet | publish | plain copy "
        "| history (72 snapshots) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        met = "met" if row["times_parquet"] <= TARGET_TIMES_PARQUET else "**not met**"
        lines.append(
            f"| {row['label']} | {row['store_bytes'] / 1e6:,.1f} MB | {row['values']:,} "
            f"| {row['bytes_per_value']:.1f} | {row['parquet_bytes'] / 1e6:,.1f} MB "
            f"| {row['times_parquet']:.1f} ({met}) | {row['publish_s'] * 1000:,.0f} ms "
            f"| {row['copy_s'] * 1000:,.0f} ms | {row['history_bytes'] / 1e9:,.2f} GB |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("stores", nargs="*", type=Path)
    parser.add_argument("--scale", nargs="*", type=int, default=[])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()
    rows = []
    for store in arguments.stores:
        rows.append({"label": store.stem, **measure(store)})
    for scale in arguments.scale:
        store = arguments.folder / f"size{scale}.duckdb"
        built = bench_foundation.bench_scaled_build(store, scale)
        rows.append({"label": f"{scale}x", "build": built, **measure(store)})
    if arguments.json:
        arguments.json.write_text(json.dumps(rows, indent=1))
    print(markdown(rows))


if __name__ == "__main__":
    main()
