"""Opening an existing database for the dashboard: the schema migrated and the reference tables the
repository owns (organisations, measures, events, crossings) refreshed. Nothing here builds a database: a
missing file is the operator's to create (`build-demo` or `init-db`), never the dashboard's."""
from __future__ import annotations

from pathlib import Path

from taskforce.core.db import connect, transaction
from taskforce.store import reference
from taskforce.store.schema import ensure_schema


class NoDatabase(FileNotFoundError):
    """The database file does not exist."""


def bring_up_to_date(path: Path | str) -> None:
    """Migrate the schema and refresh the repository-owned reference tables of the database at `path`."""
    if not Path(path).exists():
        raise NoDatabase(str(path))
    con = connect(path)
    try:
        ensure_schema(con)
        with transaction(con) as cursor:
            reference.refresh_owned_reference(cursor)
    finally:
        con.close()
