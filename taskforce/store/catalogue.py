"""The shared datasets: what the partner agencies put in their folders, declared in data/catalogue.toml and read
in place by DuckDB as views in the `shared` schema (`select ... from shared.small_boat_arrivals`).

Each arrival is a whole extract: a Parquet or CSV file in the dataset's folder, named with the date it was made
(`port_detections_2026-11-29.parquet`; a made-up extract has `synthetic` in its name). The newest file whose
columns and types match the declaration is read; a newer file that does not match is refused, with a plain
sentence on the Data catalogue, and the last good one is kept. DuckDB may open files only in the declared
folders (`allowed_directories`, set before external access is switched off and the configuration locked), so
no query can reach anything else on the server.
"""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from taskforce.core.calendar import LONDON
from taskforce.core.config import CATALOGUE_FILE

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DATED = re.compile(r"(\d{4}-\d{2}-\d{2})\.(?:parquet|csv)$")
TYPES = {"DATE", "INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN"}
FORMATS = {"parquet", "csv"}


class CatalogueError(ValueError):
    """data/catalogue.toml declares something that cannot be read safely."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    definition: str


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    owner: str
    description: str
    marking: str
    folder: str  # under the shared-data root
    format: str
    arrives_every_days: int
    grace_days: int
    columns: tuple[Column, ...]
    date_format: str = ""

    def location(self, root: Path) -> Path:
        return (root / self.folder).resolve()


@dataclass(frozen=True)
class Refusal:
    file: str
    reason: str


@dataclass(frozen=True)
class DatasetState:
    """What a dashboard found in a dataset's folder when it last looked."""

    dataset: Dataset
    file: Path | None  # the extract being read, None when there is no good one
    arrived: dt.date | None
    rows: int
    refused: tuple[Refusal, ...] = field(default=())

    @property
    def synthetic(self) -> bool:
        """A made-up extract (the demo's) says so in its name, and every page that shows it says so too."""
        return self.file is not None and "synthetic" in self.file.name

    def due_by(self) -> dt.date | None:
        if self.arrived is None:
            return None
        return self.arrived + dt.timedelta(days=self.dataset.arrives_every_days + self.dataset.grace_days)

    def is_late(self, today: dt.date) -> bool:
        due = self.due_by()
        return due is None or today > due


@cache
def datasets(path: Path = CATALOGUE_FILE) -> tuple[Dataset, ...]:
    """Every dataset the catalogue declares, checked: names are plain identifiers, folders stay under the
    root, types and formats are ones the reader knows."""
    declared = tomllib.loads(path.read_text(encoding="utf-8")).get("dataset", [])
    found = tuple(_dataset(entry) for entry in declared)
    names = [dataset.name for dataset in found]
    if len(set(names)) != len(names):
        raise CatalogueError(f"{path.name} declares a dataset name twice: {names}.")
    return found


def dataset(name: str) -> Dataset:
    """The declared dataset of that name."""
    return next(found for found in datasets() if found.name == name)


def _dataset(entry: dict) -> Dataset:
    name = str(entry.get("name", ""))
    columns = tuple(Column(str(column["name"]), str(column["type"]).upper(), str(column["definition"]))
                    for column in entry.get("column", []))
    folder = str(entry.get("folder", ""))
    problems = [
        *([f"name {name!r} is not a plain lower-case identifier"] if not IDENTIFIER.match(name) else []),
        *([f"folder {folder!r} must be a relative path inside the shared-data root"]
          if not folder or folder.startswith("/") or ".." in Path(folder).parts else []),
        *([f"format {entry.get('format')!r} is not one of {sorted(FORMATS)}"] if entry.get("format") not in FORMATS
          else []),
        *[f"column {column.name!r} is not a plain identifier of a known type ({sorted(TYPES)})"
          for column in columns if not IDENTIFIER.match(column.name) or column.type not in TYPES],
        *(["it declares no columns"] if not columns else []),
    ]
    if problems:
        raise CatalogueError(f"Catalogue entry {name or '(no name)'}: " + "; ".join(problems) + ".")
    return Dataset(
        name=name, title=str(entry["title"]), owner=str(entry["owner"]), description=str(entry["description"]),
        marking=str(entry["marking"]), folder=folder, format=str(entry["format"]),
        arrives_every_days=int(entry["arrives_every_days"]), grace_days=int(entry.get("grace_days", 0)),
        columns=columns, date_format=str(entry.get("date_format", "")),
    )


def folders(root: Path, declared: tuple[Dataset, ...]) -> list[str]:
    """The folders DuckDB may read, each ending in a separator (a prefix, so a sibling folder whose name
    merely starts the same is not let in)."""
    return [str(dataset.location(root)) + "/" for dataset in declared]


def lock_down(con: duckdb.DuckDBPyConnection, root: Path, declared: tuple[Dataset, ...]) -> None:
    """Allow file access only to the declared folders, switch external access off and lock the settings, in
    that order (DuckDB refuses a change to the allowed folders once access is off)."""
    con.execute("set allowed_directories = $folders", {"folders": folders(root, declared)})
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")
    con.execute("attach if not exists ':memory:' as shared (read_only false)")


def fingerprint(root: Path, declared: tuple[Dataset, ...]) -> tuple:
    """What changes when a file arrives, is replaced or is removed: the cheap check before looking again."""
    listing = []
    for dataset in declared:
        folder = dataset.location(root)
        if folder.is_dir():
            listing.extend((dataset.name, entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
                           for entry in folder.iterdir() if entry.is_file())
    return tuple(sorted(listing))


def refresh_views(con: duckdb.DuckDBPyConnection, root: Path,
                  declared: tuple[Dataset, ...]) -> tuple[DatasetState, ...]:
    """Look in every dataset's folder, point each view at its newest good extract (or at an empty table of the
    declared columns when there is none) and return what was found."""
    states = []
    cursor = con.cursor()  # other sessions' threads go on querying on cursors of their own
    try:
        for dataset in declared:
            state = _inspect(cursor, dataset, root)
            source = _reader_sql(dataset, state.file) if state.file else _empty_sql(dataset)
            cursor.execute(f"create or replace view shared.{dataset.name} as select * from {source}")
            states.append(state)
    finally:
        cursor.close()
    return tuple(states)


def _inspect(con: duckdb.DuckDBPyConnection, dataset: Dataset, root: Path) -> DatasetState:
    folder = dataset.location(root)
    candidates = sorted((path for path in folder.glob(f"*.{dataset.format}") if path.is_file()),
                        key=lambda path: (_arrival(path), path.name), reverse=True) if folder.is_dir() else []
    refused = []
    for path in candidates:
        reason = _problem(con, dataset, path)
        if reason is None:
            rows = _count(con, dataset, path)
            return DatasetState(dataset, path, _arrival(path), rows, tuple(refused))
        refused.append(Refusal(path.name, reason))
    return DatasetState(dataset, None, None, 0, tuple(refused))


def _arrival(path: Path) -> dt.date:
    """The date in the file's name (`..._2026-11-29.parquet`), else the day it was written."""
    match = DATED.search(path.name)
    if match:
        try:
            return dt.date.fromisoformat(match[1])
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(path.stat().st_mtime, LONDON).date()


def _problem(con: duckdb.DuckDBPyConnection, dataset: Dataset, path: Path) -> str | None:
    """Why this file cannot be read as the dataset, in a plain sentence; None when it can."""
    if not FILE_NAME.match(path.name):
        return "Its name has characters other than letters, digits, dots, dashes and underscores."
    declared = [(column.name, column.type) for column in dataset.columns]
    try:
        if dataset.format == "parquet":
            found = [(row[0], row[1]) for row in con.execute(
                f"describe select * from read_parquet({_literal(path)})").fetchall()]
            if found != declared:
                return _difference(declared, found)
        else:
            header = [row[0] for row in con.execute(
                f"describe select * from read_csv({_literal(path)}, header = true, all_varchar = true)").fetchall()]
            if header != [name for name, _ in declared]:
                return _difference(declared, [(name, "") for name in header], names_only=True)
            counts = ", ".join(f"count({column.name})" for column in dataset.columns)
            con.execute(f"select {counts} from {_reader_sql(dataset, path)}").fetchall()
    except duckdb.Error as error:
        return _plain(str(error))
    return None


def _difference(declared: list[tuple[str, str]], found: list[tuple[str, str]], names_only: bool = False) -> str:
    missing = [name for name, _ in declared if name not in dict(found)]
    extra = [name for name, _ in found if name not in dict(declared)]
    parts = [*([f"missing columns {', '.join(missing)}"] if missing else []),
             *([f"unexpected columns {', '.join(extra)}"] if extra else [])]
    if not names_only:
        found_types = dict(found)
        parts += [f"{name} is {found_types[name]}, not {kind}" for name, kind in declared
                  if name in found_types and found_types[name] != kind]
    if not parts:
        parts = ["the columns are in a different order from the catalogue"]
    return "Its columns differ from the catalogue: " + "; ".join(parts) + "."


def _plain(message: str) -> str:
    """DuckDB's reason, cut to the sentence a person needs (which line, which column, which value)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    line_number = re.search(r"CSV Error on Line: (\d+)", message)
    where = line_number[1] if line_number else ""
    what = next((line for line in lines if line.startswith(("Error when converting", "Could not convert"))),
                lines[0] if lines else "it could not be read")
    return f"It could not be read{' at line ' + where if where else ''}: {what.rstrip('.')}."


def _count(con: duckdb.DuckDBPyConnection, dataset: Dataset, path: Path) -> int:
    row = con.execute(f"select count(*) from {_reader_sql(dataset, path)}").fetchone()
    return int(row[0]) if row else 0


def _literal(text: Path | str) -> str:
    """A file path (or a date format) as an SQL string. DuckDB takes no bound parameters in a view's
    definition; the path is one this module listed itself, its name checked against FILE_NAME, and quotes are
    doubled all the same."""
    return "'" + str(text).replace("'", "''") + "'"


def _reader_sql(dataset: Dataset, path: Path) -> str:
    if dataset.format == "parquet":
        return f"read_parquet({_literal(path)})"
    columns = ", ".join(f"'{column.name}': '{column.type}'" for column in dataset.columns)
    date_format = f", dateformat = {_literal(dataset.date_format)}" if dataset.date_format else ""
    return (f"read_csv({_literal(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
            f"columns = {{{columns}}}{date_format})")


def _empty_sql(dataset: Dataset) -> str:
    columns = ", ".join(f"cast(null as {column.type}) as {column.name}" for column in dataset.columns)
    return f"(select {columns} where false)"
