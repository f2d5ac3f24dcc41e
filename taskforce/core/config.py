"""Where things live and the settings that an administrator changes through the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


def snapshot_folder(store: Path) -> Path:
    """Where the published snapshots of `store` live: `TASKFORCE_SNAPSHOTS`, else a folder beside the store
    (`taskforce.duckdb.snapshots/`). Every dashboard server reads from here, so on several machines it is shared
    storage."""
    configured = os.environ.get("TASKFORCE_SNAPSHOTS", "").strip()
    return Path(configured) if configured else store.with_name(store.name + ".snapshots")


def uploads_folder() -> Path:
    """Where the raw files of uploads are kept, each named by its SHA-256: `TASKFORCE_UPLOADS`, else
    data/uploads."""
    configured = os.environ.get("TASKFORCE_UPLOADS", "").strip()
    return Path(configured) if configured else PROJECT_ROOT / "data" / "uploads"


def pack_key_path(store: Path) -> Path:
    """The file holding the key that seals issued briefing packs: `TASKFORCE_PACK_KEY`, else a file beside the
    store (`taskforce.duckdb.pack-key`). Never in the store or its snapshots, so a copy of the store cannot forge a
    seal; every server and the command line read the same one."""
    configured = os.environ.get("TASKFORCE_PACK_KEY", "").strip()
    return Path(configured) if configured else store.with_name(store.name + ".pack-key")


def sign_outs_path(store: Path) -> Path:
    """The list of sign-outs of `store` (store/sign_outs.py): beside it, outside its snapshots."""
    return Path(store).with_name(Path(store).name + ".sign-outs")


def _whole_number(name: str, default: int) -> int:
    configured = os.environ.get(name, "").strip()
    if not configured:
        return default
    if not configured.isdigit():
        raise ValueError(f"{name} must be a whole number; it is {configured!r}.")
    return int(configured)


def snapshots_kept() -> tuple[int, int]:
    """How many snapshots are kept: the newest `TASKFORCE_SNAPSHOTS_KEEP_LAST` (default 20), and the newest of
    each week for `TASKFORCE_SNAPSHOTS_KEEP_WEEKS` weeks (default 52, a year)."""
    return _whole_number("TASKFORCE_SNAPSHOTS_KEEP_LAST", 20), _whole_number("TASKFORCE_SNAPSHOTS_KEEP_WEEKS", 52)


CATALOGUE_FILE = PROJECT_ROOT / "data" / "catalogue.toml"
DEFAULT_SHARED_DATA = PROJECT_ROOT / "data" / "shared"


def shared_data_root() -> Path:
    """The folder under which the partner agencies put the datasets the catalogue declares:
    `TASKFORCE_SHARED_DATA`, else data/shared."""
    configured = os.environ.get("TASKFORCE_SHARED_DATA", "").strip()
    return Path(configured).resolve() if configured else DEFAULT_SHARED_DATA


def shared_copies_folder() -> Path:
    """Where a reader keeps its private copies of the partner extracts a look has checked (the views read these,
    never the partners' files): `TASKFORCE_SHARED_COPIES`, else a folder beside the store
    (`taskforce.duckdb.shared-copies/`). The dashboard's own, local to each machine, never under the shared-data
    root."""
    configured = os.environ.get("TASKFORCE_SHARED_COPIES", "").strip()
    store = database_path()
    return (Path(configured) if configured else store.with_name(store.name + ".shared-copies")).resolve()


@dataclass(frozen=True)
class IntakeLimits:
    """What one uploaded return may hold, whatever it declares, and how the intake reports on it
    (returns/files.py reads within these; returns/validation.py checks and lists)."""

    maximum_bytes: int = 20 * 1024 * 1024  # the same limit as the server's upload limit (.streamlit/config.toml)
    # A week's returns from every organisation, long, are about 1,250 rows; a year's backfill from all of them
    # about 65,000.
    maximum_rows: int = 200_000
    maximum_columns: int = 60
    maximum_unpacked_bytes: int = 100 * 1024 * 1024  # an .xlsx workbook, unzipped
    maximum_seconds: int = 30  # to read a file
    maximum_problems: int = 200  # listed, shown and kept in the audit log; the rest are counted
    # A value this many times the organisation's highest in the previous 12 weeks (and 10 more) is queried.
    implausible_factor: int = 3


INTAKE = IntakeLimits()
