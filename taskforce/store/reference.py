"""The reference data committed in data/reference/: organisations, measures, recommendations, events."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from taskforce.core.config import REFERENCE_DIR


def _read(name: str, directory: Path = REFERENCE_DIR) -> pd.DataFrame:
    return pd.read_csv(directory / name, dtype=str, keep_default_na=False)


def _yes(values: pd.Series) -> pd.Series:
    return values.str.strip().str.lower().eq("yes")


def _optional_bool(values: pd.Series) -> pd.Series:
    """'yes' / 'no' / '' (neither good nor bad) to True / False / None."""
    return values.map({"yes": True, "no": False}).astype("object").where(values.ne(""), None)


def _blank_to_none(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype(object).where(frame.ne(""), None)


@cache
def organisations() -> pd.DataFrame:
    """Every reporting organisation: the 46 forces, the 9 ROCUs and the 3 partner agencies."""
    forces = _read("forces.csv").assign(
        type="force",
        latlon_estimated=lambda f: _yes(f["latlon_estimated"]),
        expected_to_return=True,
    )
    rocus = _read("rocus.csv").assign(
        type="rocu", nation="England and Wales", expected_to_return=False, returns_contact=""
    )  # a ROCU owes no return
    agencies = _read("agencies.csv").assign(
        type="agency", region="National", nation="United Kingdom", expected_to_return=True
    )
    combined = _blank_to_none(pd.concat([forces, rocus, agencies], ignore_index=True))
    for column in ("lat", "lon"):
        combined[column] = pd.to_numeric(combined[column])
    combined["population"] = pd.to_numeric(combined["population"]).astype("Int64")
    columns = [
        "code",
        "name",
        "short_name",
        "type",
        "region",
        "rocu_code",
        "nation",
        "ons_code",
        "lat",
        "lon",
        "latlon_estimated",
        "population",
        "population_year",
        "population_source",
        "expected_to_return",
        "returns_contact",
    ]
    return combined[columns]


@cache
def measures() -> pd.DataFrame:
    table = _read("measures.csv")
    table["higher_is_better"] = _optional_bool(table["higher_is_better"])
    table["display_order"] = table["display_order"].astype(int)
    table[["numerator", "denominator"]] = _blank_to_none(table[["numerator", "denominator"]])
    table["maximum"] = pd.to_numeric(table["maximum"].replace("", None), errors="raise")
    return table


@cache
def recommendations() -> pd.DataFrame:
    table = _read("recommendations.csv")
    table["number"] = table["number"].astype(int)
    table["due_date"] = pd.to_datetime(table["due_date"]).dt.date
    table["illustrative"] = _yes(table["illustrative"])
    return table


@cache
def milestones() -> pd.DataFrame:
    table = _read("milestones.csv")
    table["recommendation"] = table["recommendation"].astype(int)
    table["seq"] = table["seq"].astype(int)
    table["due_date"] = pd.to_datetime(table["due_date"]).dt.date
    return table


@cache
def events() -> pd.DataFrame:
    table = _read("events.csv")
    table["event_date"] = pd.to_datetime(table["event_date"]).dt.date
    table["end_date"] = pd.to_datetime(table["end_date"].replace("", None)).dt.date
    table["end_date"] = table["end_date"].astype(object).where(table["end_date"].notna(), None)
    return table


def refresh_owned_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the reference tables that only the repository changes (the caller owns the transaction).
    The recommendations are not among them: an administrator loads their official wording."""
    tables = {
        "org": organisations(),
        "measure": measures(),
        "event": events(),
    }
    for table_name, frame in tables.items():
        _replace_table(con, table_name, frame)
    con.execute(
        "insert or replace into meta values ('reference_fingerprint', $fingerprint)", {"fingerprint": fingerprint()}
    )


OWNED_FILES = ("forces.csv", "agencies.csv", "rocus.csv", "measures.csv", "events.csv")


@cache
def fingerprint() -> str:
    """A digest of the reference files the repository owns: a dashboard that finds a different one in the
    published snapshot refreshes the store's copy (after a deployment that changed them)."""
    digest = hashlib.sha256()
    for name in OWNED_FILES:
        digest.update(name.encode() + b"\0" + (REFERENCE_DIR / name).read_bytes())
    return digest.hexdigest()[:16]


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Fill every reference table from the committed CSVs, recommendations included (for a new database)."""
    refresh_owned_reference(con)
    _replace_table(con, "recommendation", recommendations())
    _replace_table(con, "milestone", milestones().assign(completed_date=None))


def _replace_table(con: duckdb.DuckDBPyConnection, table_name: str, frame: pd.DataFrame) -> None:
    # Table names come from the fixed mapping above, never from input.
    con.execute(f"delete from {table_name}")
    con.register("incoming_reference", frame)
    columns = ", ".join(frame.columns)
    con.execute(f"insert into {table_name} ({columns}) select {columns} from incoming_reference")
    con.unregister("incoming_reference")
