"""Every read a page or a figure makes is a named query in queries/; SQL is written inline only where
ARCHITECTURE.md says (Named queries): in the writers, for the writes and the reads a write makes inside its own
transaction, in the store's upkeep, and in the one place named queries run. This test finds every `execute`,
`executemany` and `sql` call in the code and holds it to that list, both ways: a new inline statement fails
until it is moved to queries/ or named here with its reason, and a name here that no longer writes SQL fails
too, so the list (and the text that gives it) stays true."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import PROJECT_ROOT

SQL_CALLS = {"execute", "executemany", "sql"}

# Whole modules: the store's upkeep (its tables, views, migrations, rollups, snapshots' checks, restore, the
# partner datasets' views) and the core that runs statements.
UPKEEP = {
    "taskforce.core.db": "transactions and the data version",
    "taskforce.core.queries": "runs the named queries themselves",
    "taskforce.demo.build": "the demo build writes its synthetic returns",
    "taskforce.store.compacting": "copies a wasteful store into a compact file and checks every table's rows",
    "taskforce.store.catalogue": "views over the partner files, which DuckDB cannot bind as parameters",
    "taskforce.store.creating": "creates a live store and records its kind",
    "taskforce.store.keys": "the writer's check that a key does not repeat, on the rows being written",
    "taskforce.store.pack_key": "what a new pack key must record, read in the writer's turn",
    "taskforce.store.reference": "refreshes the reference tables",
    "taskforce.store.restoring": "checks and carries forward rows when a snapshot is restored",
    "taskforce.store.rollups": "keeps the rollups, inside the load's transaction",
    "taskforce.store.schema": "applies the migrations",
    "taskforce.store.sign_outs": "moves the old sign-out table to its list",
    "taskforce.store.writing": "the checkpoint before a publish, and whether the store is newer than its snapshot",
}
# Single writers outside the store: each writes, and reads only what that write needs, in its transaction.
WRITERS = {
    "taskforce.briefing.actions.record_action": "records an action",
    "taskforce.briefing.actions.update_action": "changes an action",
    "taskforce.briefing.actions._append_change": "records an action's change",
    "taskforce.briefing.issued_packs.issue": "issues a pack: the next issue number and last upload in its transaction",
    "taskforce.briefing.issued_packs._issued_from": "whether this snapshot's pack is already issued, in the same turn",
    "taskforce.briefing.issued_packs._stored_and_sealed": "stores the pack and its seal",
    "taskforce.briefing.issued_packs._described": "a pack's sealed columns exactly as DuckDB returns them, which the "
    "seal is computed over (a data frame would change their types)",
    "taskforce.briefing.digest.record_outcome": "records a mail sent",
    "taskforce.recommendations.reports.record_report": "records a status report",
    "taskforce.recommendations.wording.load_official_wording": "loads the official wording",
    "taskforce.returns.validation": "a return checked against the store it is loading into, in the load's turn",
    "taskforce.returns.recording": "the record of an upload: its row, a refused file's problems, already loaded",
    "taskforce.returns.storage": "the commit of a return's values",
    "taskforce.store.targets.change_setting": "records a setting",
}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(PROJECT_ROOT).with_suffix("").parts)


def _sql_calls(tree: ast.AST, module: str) -> set[str]:
    """The module-qualified names of the top-level functions (and methods) that make an inline SQL call."""
    found: set[str] = set()

    def visit(node: ast.AST, owner: str) -> None:
        for child in ast.iter_child_nodes(node):
            named = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and owner == module
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) and child.func.attr in SQL_CALLS:
                found.add(owner)
            visit(child, f"{module}.{child.name}" if named else owner)  # type: ignore[union-attr]

    visit(tree, module)
    return found


def inline_sql() -> set[str]:
    sources = [*PROJECT_ROOT.glob("taskforce/**/*.py"), *PROJECT_ROOT.glob("pages/*.py"), PROJECT_ROOT / "dashboard.py"]
    sources += PROJECT_ROOT.glob("deploy/*.py")
    return {name for path in sources for name in _sql_calls(ast.parse(path.read_text(encoding="utf-8")), _module(path))}


def _allowed_in(name: str, place: str) -> bool:
    return name == place or name.startswith(place + ".")


def _allowed(name: str) -> bool:
    return any(_allowed_in(name, place) for place in (*UPKEEP, *WRITERS))


def test_inline_sql_is_only_where_the_architecture_allows_it():
    assert sorted(name for name in inline_sql() if not _allowed(name)) == []


def test_every_place_allowed_inline_sql_still_writes_some():
    found = inline_sql()
    stale = [place for place in (*UPKEEP, *WRITERS) if not any(_allowed_in(name, place) for name in found)]
    assert stale == []


def test_no_page_view_figure_or_release_writes_sql():
    reading = ("taskforce.ui", "taskforce.analysis", "taskforce.maps", "taskforce.charts", "taskforce.release")
    reading += ("taskforce.measures", "pages", "dashboard", "taskforce.briefing.contents", "taskforce.briefing.weekly")
    assert sorted(name for name in inline_sql() if name.startswith(reading)) == []
