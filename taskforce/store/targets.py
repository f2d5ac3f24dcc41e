"""Settings an administrator changes (targets), with who changed them and when; the latest value counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from taskforce.core.db import bump_data_version, transaction
from taskforce.core.queries import run_query


@dataclass(frozen=True)
class Setting:
    key: str
    label: str
    default: float
    minimum: float
    maximum: float


SETTINGS = {
    "debrief_rate_target": Setting(
        "debrief_rate_target", "Target migrant debrief rate", default=0.5, minimum=0.0, maximum=1.0
    ),
}


def current_value(con: duckdb.DuckDBPyConnection, key: str) -> float:
    found = run_query(con, "current_setting", {"key": key})
    return float(found["value"].iloc[0]) if len(found) else SETTINGS[key].default


def setting_problems(key: str, value: float) -> list[str]:
    if key not in SETTINGS:
        return [f"Unknown setting {key!r}."]
    setting = SETTINGS[key]
    if not setting.minimum <= value <= setting.maximum:
        return [f"{setting.label} must be between {setting.minimum:g} and {setting.maximum:g}."]
    return []


def change_setting(
    con: duckdb.DuckDBPyConnection, key: str, value: float, changed_by: str, changed_at: dt.datetime
) -> None:
    """Record a new value (the old ones stay in the history) and bump the data version, atomically."""
    problems = setting_problems(key, value)
    if problems:
        raise ValueError(" ".join(problems))
    with transaction(con) as cursor:
        cursor.execute(
            "insert into setting_history values ($key, $value, $by, $at)",
            {"key": key, "value": repr(float(value)), "by": changed_by, "at": changed_at},
        )
        bump_data_version(cursor)
