"""Where things live and the settings that an administrator changes through the environment."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
REFERENCE_DIR = PROJECT_ROOT / "data" / "reference"
QUERIES_DIR = PROJECT_ROOT / "queries"
DEFAULT_DATABASE = PROJECT_ROOT / "data" / "taskforce.duckdb"
DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def database_path() -> Path:
    """The DuckDB file the dashboard and the CLI use: `TASKFORCE_DB`, else data/taskforce.duckdb."""
    configured = os.environ.get("TASKFORCE_DB", "").strip()
    return Path(configured) if configured else DEFAULT_DATABASE


def protective_marking() -> str:
    """The protective marking shown on every page and export: `TASKFORCE_MARKING`, else OFFICIAL-SENSITIVE."""
    configured = os.environ.get("TASKFORCE_MARKING", "").strip()
    return configured or DEFAULT_MARKING
