"""The shared datasets: what the partner agencies put in their folders, declared in data/catalogue.toml and read
by DuckDB as views in the `shared` schema (`select ... from shared.small_boat_arrivals`), each over the reader's
own checked copy of the extract (shared_copies.py), never over the partner's file, which may be written over.

Each arrival is a whole extract: a Parquet or CSV file in the dataset's folder, named with the date it was made
(`port_detections_2026-11-29.parquet`; a made-up extract has `synthetic` in its name). The newest file whose
columns and types match the declaration is read; a newer file that does not match is refused, with a plain
sentence on the Data catalogue, and the last good one is kept.

The folders are a sandbox. A declared folder that leads outside the shared-data root (through a link, at any
level) is refused, and so is a file that links outside its folder or is larger than its dataset allows; both are
checked again at every look. A file is read only once it is complete: renamed into place after it was written,
or unchanged for SETTLE_SECONDS. DuckDB may open files only under the shared-data root as it really is and
the readers' copies (`allowed_directories`, set before external access is switched off and the configuration
locked; DuckDB follows links before it compares), so no query can reach anything else on the server.

Looking (`inspect`) is slow, since it reads the files, and runs on a connection of its own; pointing a reader's
views at what it found (`point_views`) is quick. A dashboard looks in the background and its pages read the
last result (ui/data.py).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb

from taskforce.core.calendar import LONDON
from taskforce.core.config import CATALOGUE_FILE
from taskforce.store import shared_copies

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
DATED = re.compile(r"(\d{4}-\d{2}-\d{2})\.(?:parquet|csv)$")
TYPES = {"DATE", "INTEGER", "BIGINT", "DOUBLE", "VARCHAR", "BOOLEAN"}
FORMATS = {"parquet", "csv"}
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
DEFAULT_MAX_FILE_MEGABYTES = 100
MEGABYTE = 1024 * 1024
# A file written in place is read once nothing has been written to it for this long (README, Shared datasets).
SETTLE_SECONDS = 60


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
    max_file_megabytes: float = DEFAULT_MAX_FILE_MEGABYTES

    def location(self, root: Path) -> Path:
        """The folder as it really is now, every link on the way followed."""
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
    arriving: tuple[str, ...] = field(default=())  # files not yet complete, read once they are
    looked: bool = True  # False until this process has looked in the folder
    copy: Path | None = None  # what the view reads: this process's checked copy of `file` (shared_copies.py)

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
    columns = tuple(
        Column(str(column["name"]), str(column["type"]).upper(), str(column["definition"]))
        for column in entry.get("column", [])
    )
    folder = str(entry.get("folder", ""))
    problems = [
        *([f"name {name!r} is not a plain lower-case identifier"] if not IDENTIFIER.match(name) else []),
        *(
            [f"folder {folder!r} must be a relative path inside the shared-data root"]
            if not folder or folder.startswith("/") or ".." in Path(folder).parts
            else []
        ),
        *(
            [f"format {entry.get('format')!r} is not one of {sorted(FORMATS)}"]
            if entry.get("format") not in FORMATS
            else []
        ),
        *[
            f"column {column.name!r} is not a plain identifier of a known type ({sorted(TYPES)})"
            for column in columns
            if not IDENTIFIER.match(column.name) or column.type not in TYPES
        ],
        *(["it declares no columns"] if not columns else []),
        *(
            [f"max_file_megabytes {entry['max_file_megabytes']!r} is not a positive number"]
            if not _positive_number(entry.get("max_file_megabytes", DEFAULT_MAX_FILE_MEGABYTES))
            else []
        ),
    ]
    if problems:
        raise CatalogueError(f"Catalogue entry {name or '(no name)'}: " + "; ".join(problems) + ".")
    return Dataset(
        name=name,
        title=str(entry["title"]),
        owner=str(entry["owner"]),
        description=str(entry["description"]),
        marking=str(entry["marking"]),
        folder=folder,
        format=str(entry["format"]),
        arrives_every_days=int(entry["arrives_every_days"]),
        grace_days=int(entry.get("grace_days", 0)),
        columns=columns,
        date_format=str(entry.get("date_format", "")),
        max_file_megabytes=float(entry.get("max_file_megabytes", DEFAULT_MAX_FILE_MEGABYTES)),
    )


def put_in_place(written: Path, path: Path) -> None:
    """Rename a finished file into place so that a look reads it at once: first its modification time is put
    a millisecond back, so its status is seen to change after its last write even where the file system
    records both in the same clock tick (as `cp -p` or `rsync` leave a file), then it is renamed, atomically."""
    stat = written.stat()
    os.utime(written, ns=(stat.st_atime_ns, stat.st_mtime_ns - 1_000_000))
    os.replace(written, path)


def _positive_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def not_looked_at(declared: tuple[Dataset, ...]) -> tuple[DatasetState, ...]:
    """What a process knows of the folders before its first look: nothing yet."""
    return tuple(DatasetState(dataset, None, None, 0, looked=False) for dataset in declared)


def sandbox(root: Path) -> Path:
    """The shared-data root as it really is (links followed): every declared folder must lie under it."""
    return root.resolve()


def lock_down(con: duckdb.DuckDBPyConnection, root: Path) -> None:
    """Allow file access only under the shared-data root and the readers' own copies of its extracts, switch
    external access off and lock the settings, in that order (DuckDB refuses a change to the allowed folders
    once access is off). The root, not each folder: the folders are checked again at every look, while a
    connection's settings cannot change once locked."""
    shared, copies = sandbox(root), shared_copies.root()
    if copies.is_relative_to(shared) or shared.is_relative_to(copies):
        raise CatalogueError(
            f"The readers' copies ({copies}) and the partners' folders ({shared}) must be apart: "
            "set TASKFORCE_SHARED_COPIES to a folder of the dashboard's own."
        )
    con.execute(
        "set allowed_directories = $folders",
        {"folders": [str(shared).rstrip("/") + "/", str(copies).rstrip("/") + "/"]},
    )
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")


def fingerprint(root: Path, declared: tuple[Dataset, ...]) -> tuple:
    """What changes when a file arrives, is replaced or is removed, or a folder is moved: the cheap check
    before looking again."""
    return tuple(_folder_fingerprint(dataset, root) for dataset in declared)


def _folder_fingerprint(dataset: Dataset, root: Path) -> tuple:
    folder = dataset.location(root)
    if not _inside(folder, root) or not folder.is_dir():
        return (dataset.name, str(folder))
    files = [(entry.name, entry.stat()) for entry in folder.iterdir() if entry.is_file()]
    return (
        dataset.name,
        str(folder),
        tuple(sorted((name, stat.st_ino, stat.st_mtime_ns, stat.st_size) for name, stat in files)),
    )


def _inside(path: Path, folder: Path) -> bool:
    return path.is_relative_to(sandbox(folder))


def inspect(root: Path, declared: tuple[Dataset, ...], now: float | None = None) -> tuple[DatasetState, ...]:
    """Look in every dataset's folder (the slow part: it reads the files), on a connection of its own, locked
    down like a reader's. `now` is the time the files' ages are judged at (the clock, unless a test moves it)."""
    moment = time.time() if now is None else now
    con = duckdb.connect(config=dict(OFFLINE))
    try:
        lock_down(con, root)
        return tuple(_inspect(con, dataset, root, moment) for dataset in declared)
    finally:
        con.close()


def point_views(con: duckdb.DuckDBPyConnection, states: tuple[DatasetState, ...]) -> None:
    """Point each dataset's view at the extract a look found (or at an empty table of the declared columns when
    there is none). Quick: nothing is read but the file's layout."""
    cursor = con.cursor()  # other sessions' threads go on querying on cursors of their own
    try:
        cursor.execute("attach if not exists ':memory:' as shared (read_only false)")
        for state in states:
            source = _reader_sql(state.dataset, state.copy) if state.copy else _empty_sql(state.dataset)
            cursor.execute(f"create or replace view shared.{state.dataset.name} as select * from {source}")
    finally:
        cursor.close()


def refresh_views(
    con: duckdb.DuckDBPyConnection, root: Path, declared: tuple[Dataset, ...], now: float | None = None
) -> tuple[DatasetState, ...]:
    """Look in every dataset's folder and point the views at what was found, at once (the command line)."""
    states = inspect(root, declared, now)
    point_views(con, states)
    return states


FOLDER_OUTSIDE = (
    "Its folder leads outside the shared-data folder (through a link), so nothing in it is read. "
    "{owner} should put a real folder at {folder}."
)
LINK_OUTSIDE = "It is a link to a file outside its folder, so it is not read."
TOO_LARGE = (
    "It is {size:,.1f} MB, more than the {limit:g} MB a file of this dataset may be (max_file_megabytes "
    "in data/catalogue.toml), so it is not read."
)


def _inspect(con: duckdb.DuckDBPyConnection, dataset: Dataset, root: Path, now: float) -> DatasetState:
    folder = dataset.location(root)
    if not _inside(folder, root):
        reason = FOLDER_OUTSIDE.format(owner=dataset.owner, folder=dataset.folder)
        return DatasetState(dataset, None, None, 0, (Refusal(dataset.folder, reason),))
    refused, arriving = [], []
    for path in _candidates(dataset, folder):
        verdict = _verdict(con, dataset, folder, path, now)
        if isinstance(verdict, tuple):
            rows, copy = verdict
            return DatasetState(dataset, path, _arrival(path), rows, tuple(refused), tuple(arriving), copy=copy)
        if verdict is None:
            arriving.append(path.name)
        else:
            refused.append(Refusal(path.name, verdict))
    return DatasetState(dataset, None, None, 0, tuple(refused), tuple(arriving))


def _candidates(dataset: Dataset, folder: Path) -> list[Path]:
    """The folder's files of the dataset's format, newest first."""
    if not folder.is_dir():
        return []
    return sorted(
        (path for path in folder.glob(f"*.{dataset.format}") if path.is_file()),
        key=lambda path: (_arrival(path), path.name),
        reverse=True,
    )


def _verdict(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, folder: Path, path: Path, now: float
) -> tuple[int, Path] | str | None:
    """A file's rows and the checked copy the view is to read when it can be read, why not when it is refused,
    None while it is still arriving (or gone since the folder was listed)."""
    try:
        before = path.stat()
    except FileNotFoundError:
        return None
    reason = _outward_problem(dataset, folder, path, before)
    if reason is not None:
        return reason
    if not _complete(before, now):
        return None
    return _checked_copy(con, dataset, path, before)


def _checked_copy(
    con: duckdb.DuckDBPyConnection, dataset: Dataset, path: Path, before: os.stat_result
) -> tuple[int, Path] | str | None:
    """Copy the file (no more than its limit), then check the copy, not the partner's file, which may be written
    over at any time: the view reads exactly what passed. None when the file changed meanwhile."""
    try:
        draft, digest = shared_copies.draft(path, int(dataset.max_file_megabytes * MEGABYTE))
    except (shared_copies.Changed, FileNotFoundError):
        return None
    try:
        reason = _problem(con, dataset, draft)
        if reason is not None:
            return reason
        rows = _count(con, dataset, draft)
        if not _same_file(before, path.stat()):
            return None
        return rows, shared_copies.keep(draft, digest, dataset.name, dataset.format)
    finally:
        draft.unlink(missing_ok=True)  # gone already when kept


def _outward_problem(dataset: Dataset, folder: Path, path: Path, stat: os.stat_result) -> str | None:
    """Why a file is refused without being opened: an odd name, a link out of its folder, or too large."""
    if not FILE_NAME.match(path.name):
        return "Its name has characters other than letters, digits, dots, dashes and underscores."
    if not _inside(path.resolve(), folder):
        return LINK_OUTSIDE
    if stat.st_size > dataset.max_file_megabytes * MEGABYTE:
        return TOO_LARGE.format(size=stat.st_size / MEGABYTE, limit=dataset.max_file_megabytes)
    return None


def _complete(stat: os.stat_result, now: float) -> bool:
    """Whether a file has finished arriving: renamed into place after its last write (its status changed
    after its data did), or nothing written to it for SETTLE_SECONDS."""
    return stat.st_ctime_ns > stat.st_mtime_ns or now - stat.st_mtime_ns / 1e9 >= SETTLE_SECONDS


def _same_file(before: os.stat_result, after: os.stat_result) -> bool:
    """Nothing was written to it (nor was it replaced) while it was being read."""
    return (before.st_ino, before.st_size, before.st_mtime_ns) == (after.st_ino, after.st_size, after.st_mtime_ns)


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
    declared = [(column.name, column.type) for column in dataset.columns]
    try:
        if dataset.format == "parquet":
            found = [
                (row[0], row[1])
                for row in con.execute(f"describe select * from read_parquet({_literal(path)})").fetchall()
            ]
            if found != declared:
                return _difference(declared, found)
        else:
            header = [
                row[0]
                for row in con.execute(
                    f"describe select * from read_csv({_literal(path)}, header = true, all_varchar = true)"
                ).fetchall()
            ]
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
    parts = [
        *([f"missing columns {', '.join(missing)}"] if missing else []),
        *([f"unexpected columns {', '.join(extra)}"] if extra else []),
    ]
    if not names_only:
        found_types = dict(found)
        parts += [
            f"{name} is {found_types[name]}, not {kind}"
            for name, kind in declared
            if name in found_types and found_types[name] != kind
        ]
    if not parts:
        parts = ["the columns are in a different order from the catalogue"]
    return "Its columns differ from the catalogue: " + "; ".join(parts) + "."


def _plain(message: str) -> str:
    """DuckDB's reason, cut to the sentence a person needs (which line, which column, which value)."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    line_number = re.search(r"CSV Error on Line: (\d+)", message)
    where = line_number[1] if line_number else ""
    what = next(
        (line for line in lines if line.startswith(("Error when converting", "Could not convert"))),
        lines[0] if lines else "it could not be read",
    )
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
    return (
        f"read_csv({_literal(path)}, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"columns = {{{columns}}}{date_format})"
    )


def _empty_sql(dataset: Dataset) -> str:
    columns = ", ".join(f"cast(null as {column.type}) as {column.name}" for column in dataset.columns)
    return f"(select {columns} where false)"
