"""The command line: `python -m taskforce COMMAND`. Shares its code with the dashboard."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

import duckdb
import pandas as pd

from taskforce.briefing import actions as briefing_actions
from taskforce.briefing import contents, digest, issued_packs, weekly
from taskforce.briefing.pack import build_pack
from taskforce.core import mail, private
from taskforce.core.calendar import london_now, london_today, return_deadline_passed
from taskforce.core.config import database_path, protective_marking, shared_data_root
from taskforce.core.disclosure import configured_threshold
from taskforce.core.formats import plural
from taskforce.core.queries import run_query
from taskforce.demo import generator
from taskforce.demo.build import build_demo_database, write_partner_extracts
from taskforce.maps import boundaries, hexgrid
from taskforce.measures.vocabulary import UploadOutcome
from taskforce.recommendations.wording import load_official_wording
from taskforce.release.position import position_from
from taskforce.returns import intake, validation
from taskforce.store import reading, reference, restoring, snapshots, writing
from taskforce.store.creating import DatabaseKind, create_live_database, kind_of_file
from taskforce.store.pack_key import PackKeyProblem, pack_key_for_issuing, read_pack_key

# 0 committed and published; 1 refused, nothing written; 2 wrong arguments; 3 committed, not yet published.
EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_NOT_PUBLISHED = 0, 1, 2, 3
DATABASE_HELD = (
    "The database {path} is held open by a program other than the taskforce's tools (the dashboards "
    "never hold it). Nothing was written. Run this when that program has finished."
)
DATABASE_DAMAGED = (
    "The database {path} cannot be opened ({why}). Nothing was written. `python -m taskforce "
    "snapshots restore --at YYYY-MM-DD` brings back the data of a published snapshot."
)


def _cannot_open(path: Path, error: duckdb.IOException) -> str:
    """Why the store did not open: held by another program (DuckDB's lock), or not a database it can read."""
    if "lock" in str(error).lower():
        return DATABASE_HELD.format(path=path)
    return DATABASE_DAMAGED.format(path=path, why=str(error).splitlines()[0])


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _scale(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 1000")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m taskforce", description="OIC Taskforce dashboard tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-demo", help="(Re)build the database with the synthetic demo history.")
    build.add_argument(
        "--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB or data/taskforce.duckdb)"
    )
    build.add_argument("--as-of", type=_date, default=None, help="date the demo is built as of (default: today)")
    build.add_argument(
        "--seed", type=int, default=generator.DEFAULT_SEED, help="random seed (same seed and date, same data)"
    )
    build.add_argument(
        "--scale",
        type=_scale,
        default=1,
        help="N units per organisation and a longer history, for benchmarks (default 1)",
    )
    wording = commands.add_parser(
        "load-recommendations", help="Load the official wording of the recommendations from a CSV file."
    )
    wording.add_argument("file", type=Path, help="CSV with header number,title,text,addressed_to,owner,due_date")
    wording.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    fetch = commands.add_parser(
        "fetch-boundaries", help="Download, check and store the ONS police force area boundaries."
    )
    fetch.add_argument("--source", default=boundaries.ONS_URL, help="a URL or a file to take them from (default: ONS)")
    ingest = commands.add_parser("ingest", help="Validate and load weekly return files (CSV or .xlsx).")
    ingest.add_argument("files", type=Path, nargs="+", help="return files, long or wide")
    ingest.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    ingest.add_argument("--by", default=None, help="who is loading (default: your user name)")
    ingest.add_argument(
        "--confirm-warnings", action="store_true", help="load values flagged as implausible after you have checked them"
    )
    export = commands.add_parser(
        "export-briefing",
        help="Write the weekly briefing pack (PowerPoint); with --issue, also keep it in the "
        "Briefing archive as issued. Exit 0 done, 1 refused (no returns for the week, or "
        "no database), 2 wrong arguments.",
    )
    export.add_argument("--week", type=_date, required=True, help="week ending, YYYY-MM-DD (a Sunday)")
    export.add_argument("--out", type=Path, default=None, help="the .pptx file to write (needed without --issue)")
    export.add_argument(
        "--issue",
        action="store_true",
        help="issue the pack: store it unchanged with who, when, its checksum and the data behind it",
    )
    export.add_argument("--by", default=None, help="who issues it, as recorded (default: the login name)")
    export.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    export.add_argument("--wider-circulation", action="store_true", help="hide counts from 1 to 4 as [c]")
    commands.add_parser("hex-layout", help="Recompute the force grid layout into data/reference/hex_layout.csv.")
    live = commands.add_parser(
        "init-db", help="Create an empty live database: reference data, recommendations, no returns."
    )
    live.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    live.add_argument(
        "--force", action="store_true", help="replace an existing database, its returns and audit log included"
    )
    _action_commands(commands)
    for name, what in (
        ("digest", "Send the Monday digest to each recipient list in the settings"),
        ("remind", "Remind each organisation whose return is missing after the Tuesday deadline"),
    ):
        mailing = commands.add_parser(
            name, help=f"{what}. Exit 0 all sent (or written), 1 any refused or the settings wrong, 2 wrong arguments."
        )
        if name == "digest":
            mailing.add_argument(
                "--week",
                type=_date,
                default=None,
                help="week ending, YYYY-MM-DD (a Sunday; default: the release's headline week)",
            )
        mailing.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
        mailing.add_argument(
            "--dry-run",
            type=Path,
            default=None,
            metavar="DIR",
            help="write one .eml file per message into DIR and send nothing",
        )
        mailing.add_argument(
            "--secrets",
            type=Path,
            default=mail.SECRETS_FILE,
            help="the secrets file with [taskforce_mail] (default: .streamlit/secrets.toml)",
        )
    history = commands.add_parser(
        "snapshots", help="The published snapshots: list them, or restore the data as it stood on a date."
    )
    history.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    actions = history.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="every snapshot kept, oldest first, with its size")
    actions.add_parser("publish", help="publish the store as it is now (after a publish that failed)")
    restore = actions.add_parser(
        "restore",
        help="make the data what it was on a date (publishes it as the newest snapshot; nothing in between is deleted)",
    )
    restore.add_argument(
        "--at", type=_date, required=True, help="YYYY-MM-DD: the newest snapshot of that day or before"
    )
    return parser


def _action_commands(commands) -> None:
    """`actions add|update|list`: the briefing's actions, as the Weekly briefing page records them."""
    actions_command = commands.add_parser(
        "actions",
        help="The actions agreed at the weekly briefing: add one, change one, list them. Exit 0 done, "
        "1 refused (with every problem), 2 wrong arguments, 3 committed, not yet published.",
    )
    actions_command.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    verbs = actions_command.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", help="record a new open action")
    add.add_argument("--what", required=True, help="what is to be done")
    add.add_argument("--owner", required=True, help="the owner organisation's code (as in the reference data)")
    add.add_argument("--role", required=True, help="the owner's role or name")
    add.add_argument("--due", type=_date, required=True, help="due date, YYYY-MM-DD")
    add.add_argument("--week", type=_date, required=True, help="the week ending of the briefing that agreed it")
    add.add_argument("--follows", default="nothing", help="recommendation, measure, force or nothing")
    add.add_argument("--ref", default="", help="the recommendation's number, the measure's or the force's code")
    add.add_argument("--by", default=None, help="who records it (default: the login name)")
    update = verbs.add_parser("update", help="change an action's status or due date, with a dated note")
    update.add_argument("number", type=int, help="the action's number")
    update.add_argument("--status", default=None, help="Open, Done or Dropped (default: unchanged)")
    update.add_argument("--due", type=_date, default=None, help="a new due date (default: unchanged)")
    update.add_argument("--note", required=True, help="what happened")
    update.add_argument("--dated", type=_date, default=None, help="the note's date (default: today)")
    update.add_argument("--by", default=None, help="who changes it (default: the login name)")
    verbs.add_parser("list", help="every action, overdue as at the data-up-to date")


def _say_waiting(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ingest(arguments: argparse.Namespace) -> int:
    """Exit 0 when every file is committed and published (or already loaded); 1 when any is refused, with every
    problem; 3 when a file was committed but could not be published."""
    if _missing_files(arguments.files):
        return EXIT_USAGE
    path = arguments.db or database_path()
    who = arguments.by or getpass.getuser()
    loaded: list[tuple[Path, intake.Outcome, validation.Validated]] = []
    unpublished = None
    try:
        with _store_change(path, f"ingest of {len(arguments.files)} file(s) by {who}") as con:
            if con is None:
                return EXIT_REJECTED
            for file in arguments.files:
                loaded.append(
                    (
                        file,
                        *intake.load(
                            con,
                            file.name,
                            file.read_bytes(),
                            who,
                            london_now(),
                            confirm_warnings=arguments.confirm_warnings,
                        ),
                    )
                )
    except writing.NotPublished as failure:
        unpublished = failure
    return max(
        (_report_load(file, outcome, checked, unpublished) for file, outcome, checked in loaded), default=EXIT_OK
    )


def _report_load(
    file: Path, outcome: intake.Outcome, checked: validation.Validated, unpublished: writing.NotPublished | None
) -> int:
    """Say what became of one file; its exit code."""
    if outcome.status == UploadOutcome.COMMITTED and unpublished is not None:
        print(f"{file}: {unpublished.sentence(f'Committed as upload {outcome.upload_id}')}", file=sys.stderr)
        return EXIT_NOT_PUBLISHED
    stream = sys.stdout if outcome.status in (UploadOutcome.COMMITTED, UploadOutcome.ALREADY_LOADED) else sys.stderr
    print(f"{file}: {outcome.message}", file=stream)
    for problem in checked.problems:
        where = ", ".join(part for part in (f"row {problem.row}" if problem.row else "", problem.column or "") if part)
        print(f"  {problem.severity}: {where + ': ' if where else ''}{problem.message}", file=stream)
    if outcome.status == UploadOutcome.NEEDS_CONFIRMATION:
        print("  Check these values; if they are right, run again with --confirm-warnings.", file=stream)
    return EXIT_REJECTED if outcome.status in (UploadOutcome.REJECTED, UploadOutcome.NEEDS_CONFIRMATION) else EXIT_OK


def _export_briefing(arguments: argparse.Namespace) -> int:
    if arguments.week.weekday() != 6:
        print(f"{arguments.week.isoformat()} is not a Sunday: give the week ending.", file=sys.stderr)
        return EXIT_USAGE
    if arguments.out is None and not arguments.issue:
        print("Give --out FILE, --issue, or both.", file=sys.stderr)
        return EXIT_USAGE
    path = arguments.db or database_path()
    reader = _reader(path)
    if reader is None:
        return EXIT_REJECTED
    snapshot, con = reader
    try:
        weeks = set(pd.to_datetime(run_query(con, "reporting_weeks", {})["week_ending"]).dt.date)
        if arguments.week not in weeks:
            print(f"No returns for the week ending {arguments.week.isoformat()}.", file=sys.stderr)
            return EXIT_REJECTED
        # assembled as the page assembles it; for wider circulation every figure from the protected release
        pack = weekly.assemble(
            con,
            arguments.week,
            london_now(),
            snapshot.label,
            wider_circulation=arguments.wider_circulation,
            threshold=configured_threshold(),
        )
        content = build_pack(pack, protective_marking(), arguments.wider_circulation)
        source = issued_packs.built_from(con, snapshot.name)
    finally:
        con.close()
    if not arguments.issue:
        return _write_pack(arguments, content, snapshot.label)
    return _issue(arguments, path, pack, content, source, snapshot.label)


def _issue(
    arguments: argparse.Namespace,
    path: Path,
    pack: contents.Briefing,
    content: bytes,
    source: issued_packs.BuiltFrom,
    label: str,
) -> int:
    """Issue the pack (once per snapshot: a second run after a failed publish finds the first issue), write
    the file exactly as issued to --out, and say what happened."""
    issued, stored, unpublished = None, content, None
    try:
        with _store_change(path, f"issuing the pack for {arguments.week.isoformat()}") as store:
            if store is None:
                return EXIT_REJECTED
            issued = issued_packs.issue(
                store,
                pack,
                content,
                arguments.by or getpass.getuser(),
                london_now(),
                arguments.wider_circulation,
                source,
                key=(key := pack_key_for_issuing(store, path)),
            )
            stored = issued_packs.issued_file(store, issued.pack_id, key).content
    except writing.NotPublished as failure:
        unpublished = failure
    except PackKeyProblem as problem:  # raised before anything was written
        print(problem, file=sys.stderr)
        return EXIT_REJECTED
    assert issued is not None
    if arguments.out is not None:
        _write_pack(arguments, stored, label)
    return _report_issue(issued, label, unpublished)


def _write_pack(arguments: argparse.Namespace, content: bytes, source: str) -> int:
    private.write_bytes(arguments.out, content)
    print(
        f"Wrote the briefing pack for the week ending {arguments.week.isoformat()}, from {source}, to {arguments.out}."
    )
    return EXIT_OK


def _report_issue(issued: issued_packs.IssuedPack, source: str, unpublished: writing.NotPublished | None) -> int:
    if unpublished is not None:
        return _not_published(unpublished, f"Committed as {issued.label}")
    done = "Already issued, from the same data, as" if issued.already_issued else "Issued:"
    print(f"{done} {issued.label}, by {issued.issued_by}, SHA-256 {issued.sha256}, from {source}.")
    return EXIT_OK


def _fetch_boundaries(arguments: argparse.Namespace) -> int:
    forces = reference.organisations()
    expected = set(forces.loc[forces["ons_code"].fillna("").str.match(r"^[EW]23|^W15"), "ons_code"])
    problems = boundaries.install_boundaries(arguments.source, expected)
    if problems:
        print(f"Boundaries not stored ({len(problems)} problem(s)):", file=sys.stderr)
        for problem in problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Checked and stored {boundaries.boundary_path()}.")
    return EXIT_OK


def _hex_layout(arguments: argparse.Namespace) -> int:
    forces = reference.organisations().query("type == 'force'")
    layout = hexgrid.search_layout(forces)
    layout.to_csv(hexgrid.LAYOUT_FILE, index=False)
    print(f"Wrote {len(layout)} cells to {hexgrid.LAYOUT_FILE}.")
    return EXIT_OK


def _load_recommendations(arguments: argparse.Namespace) -> int:
    if _missing_files([arguments.file]):
        return EXIT_USAGE
    try:
        content = arguments.file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        print(f"{arguments.file}: not UTF-8 text. Save the CSV as UTF-8 and try again.", file=sys.stderr)
        return EXIT_REJECTED
    path = arguments.db or database_path()
    problems, unpublished = [], None
    try:
        with _store_change(path, "loading the recommendations' wording") as con:
            if con is None:
                return EXIT_REJECTED
            problems = load_official_wording(con, content)
    except writing.NotPublished as failure:
        unpublished = failure
    return _written(
        problems,
        f"{arguments.file}: not loaded",
        unpublished,
        f"Committed the official wording of the recommendations to {path}",
        f"Loaded the official wording of the recommendations into {path}; status history kept.",
    )


def _written(problems: list, refused: str, unpublished: writing.NotPublished | None, committed: str, done: str) -> int:
    """The exit of a command that writes: refused with every problem listed (nothing changed), committed but not
    yet published, or done."""
    if problems:
        print(f"{refused}; nothing was changed. {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REJECTED
    if unpublished is not None:
        return _not_published(unpublished, committed)
    print(done)
    return EXIT_OK


def _not_published(failure: writing.NotPublished, committed: str) -> int:
    print(failure.sentence(committed), file=sys.stderr)
    return EXIT_NOT_PUBLISHED


def _missing_files(paths: list[Path]) -> bool:
    """Say which named files do not exist (a usage error); False when they all do."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        print(f"No such file: {', '.join(missing)}", file=sys.stderr)
    return bool(missing)


@contextmanager
def _store_change(path: Path, doing: str) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """The command line's way into the one `store.writing.writing`, which it tells on standard error.
    The store in the writer's turn (saying so while another writer finishes), published when the block
    ends; None, with the reason printed, when it is missing or held by a program outside these tools."""
    if not Path(path).exists():
        print(f"No database at {path}: build one with `python -m taskforce build-demo` first.", file=sys.stderr)
        yield None
        return
    opened = False
    try:
        with writing.writing(Path(path), _say_waiting, doing) as con:
            opened = True
            yield con
    except duckdb.IOException as error:
        if opened:  # a failure of the work itself, not another program holding the file
            raise
        print(_cannot_open(path, error), file=sys.stderr)
        yield None


def _reader(path: Path) -> tuple[snapshots.Snapshot, duckdb.DuckDBPyConnection] | None:
    """The current snapshot of the store and a reader on it (publishing one first if there is none), or None
    with the reason printed."""
    try:
        writing.publish_if_missing(Path(path), _say_waiting)
        return reading.open_current(Path(path))
    except FileNotFoundError:
        print(f"No database at {path}: build one with `python -m taskforce build-demo` first.", file=sys.stderr)
    except duckdb.IOException as error:
        print(_cannot_open(path, error), file=sys.stderr)
    except writing.NotPublished as failure:
        print(f"Nothing has been published from {path} and it cannot be now: {failure.why}.", file=sys.stderr)
    return None


def _init_db(arguments: argparse.Namespace) -> int:
    path = Path(arguments.db or database_path())
    with writing.writers_turn(path, _say_waiting, "creating an empty live database"):
        if path.exists() and not arguments.force:
            print(
                f"There is already a database at {path}; nothing was changed. To replace it (its returns and "
                "audit log are lost), run again with --force.",
                file=sys.stderr,
            )
            return EXIT_REJECTED
        staging = create_live_database(writing.staging_path(path), force=True)
        try:
            writing.put_in_place(staging, path)
        except writing.NotPublished as failure:
            return _not_published(failure, f"Created an empty live database at {path}")
    print(
        f"Created an empty live database at {path}: reference data and recommendations, no returns. Load "
        "returns with `python -m taskforce ingest`. Published as the newest snapshot."
    )
    return EXIT_OK


def _build_demo(arguments: argparse.Namespace) -> int:
    path = Path(arguments.db or database_path())
    as_of = arguments.as_of or london_today()
    started = time.perf_counter()
    with writing.writers_turn(path, _say_waiting, "building the demo"):
        try:
            kind = kind_of_file(path)
        except duckdb.IOException as error:
            print(_cannot_open(path, error), file=sys.stderr)
            return EXIT_REJECTED
        if kind is DatabaseKind.LIVE:
            print(
                f"{path} is a live database: the demo build never replaces real returns. Nothing was changed. "
                "Give another --db for the demo.",
                file=sys.stderr,
            )
            return EXIT_REJECTED
        built = build_demo_database(writing.staging_path(path), as_of=as_of, seed=arguments.seed, scale=arguments.scale)
        extract = write_partner_extracts(shared_data_root(), as_of, arguments.seed)
        try:
            writing.put_in_place(built.path, path)
        except writing.NotPublished as failure:
            return _not_published(failure, f"Built the demo database at {path}")
    seconds = time.perf_counter() - started
    units = f" ({built.units:,} units at scale {built.scale})" if built.scale > 1 else ""
    print(
        f"Built {path}: {built.weeks} weeks, {built.returns:,} values{units} from {built.uploads:,} uploads, "
        f"{built.recommendation_updates:,} recommendation updates, as of {as_of.isoformat()} "
        f"(seed {built.seed}) in {seconds:.1f} s, and published it as the newest snapshot. The synthetic partner "
        f"extract is {extract}."
    )
    return EXIT_OK


def _snapshots(arguments: argparse.Namespace) -> int:
    path = Path(arguments.db or database_path())
    if arguments.action == "list":
        kept = snapshots.listing(path)
        newest = snapshots.current(path)
        if not kept:
            print(f"No snapshots of {path} have been published.")
        for snapshot in kept:
            mark = "  (current)" if newest is not None and snapshot.sequence == newest.sequence else ""
            print(f"{snapshot.label}: {snapshot.path.name}, {snapshot.path.stat().st_size / 1e6:.1f} MB{mark}")
        return EXIT_OK
    if arguments.action == "publish":
        return _publish(path)
    try:
        chosen = snapshots.as_it_stood(path, arguments.at)
    except snapshots.NoSnapshot as missing:
        print(f"{missing} Nothing was changed. `snapshots list` shows what is kept.", file=sys.stderr)
        return EXIT_REJECTED
    return _restore(path, chosen)


def _publish(path: Path) -> int:
    try:
        with _store_change(path, "publishing the store") as con:
            if con is None:
                return EXIT_REJECTED
    except writing.NotPublished as failure:
        print(
            f"The store {path} could not be published: {failure.why}. The dashboards go on showing "
            "the previous snapshot.",
            file=sys.stderr,
        )
        return EXIT_NOT_PUBLISHED
    newest = snapshots.current(path)
    print(f"Published {path} as {newest.label if newest else 'the newest snapshot'}.")
    return EXIT_OK


def _restore(path: Path, chosen: snapshots.Snapshot) -> int:
    try:
        with writing.writers_turn(path, _say_waiting, f"restoring {chosen.label}"):
            restored = restoring.restore(path, chosen)
    except restoring.NotRestorable as refused:
        print(refused, file=sys.stderr)
        return EXIT_REJECTED
    except writing.NotPublished as failure:
        return _not_published(failure, f"Restored the data as it stood in {chosen.label} into the store")
    carried = (
        f" Could not read the store ({restored.store_unreadable}), so nothing was carried forward."
        if restored.store_unreadable
        else f" Carried forward what never goes back: {restored.uploads_carried} upload record(s) and "
        f"{restored.packs_carried} issued pack(s) made since."
    )
    print(f"Restored the data as it stood in {chosen.label}; published as {restored.snapshot.label}.{carried}")
    return EXIT_OK


def _actions(arguments: argparse.Namespace) -> int:
    path = arguments.db or database_path()
    if arguments.verb == "list":
        return _list_actions(path)
    problems, unpublished, said = [], None, ""
    try:
        with _store_change(path, f"{arguments.verb} of a briefing action") as store:
            if store is None:
                return EXIT_REJECTED
            problems, said = (_add_action if arguments.verb == "add" else _update_action)(store, arguments)
    except writing.NotPublished as failure:
        unpublished = failure
    return _written(problems, "Not recorded", unpublished, f"Committed: {said}", said)


def _known_for_actions(store: duckdb.DuckDBPyConnection) -> briefing_actions.Known:
    organisations = run_query(store, "organisations")
    numbers = run_query(store, "recommendation_numbers")["number"]
    return briefing_actions.Known(
        frozenset(organisations["code"]),
        frozenset(str(number) for number in numbers),
        frozenset(organisations.loc[organisations["type"] == "force", "code"]),
    )


def _add_action(store: duckdb.DuckDBPyConnection, arguments: argparse.Namespace) -> tuple[list[str], str]:
    action = briefing_actions.NewAction(
        arguments.what, arguments.owner, arguments.role, arguments.due, arguments.week, arguments.follows, arguments.ref
    )
    problems = briefing_actions.action_problems(action, _known_for_actions(store))
    if problems:
        return problems, ""
    number = briefing_actions.record_action(
        store, action, arguments.by or getpass.getuser(), london_now(), london_today()
    )
    return [], f"Recorded action {number}, due {action.due_date.isoformat()}."


def _update_action(store: duckdb.DuckDBPyConnection, arguments: argparse.Namespace) -> tuple[list[str], str]:
    table = briefing_actions.with_overdue(run_query(store, "briefing_actions"), dt.date.min)
    current = briefing_actions.current_action(table, arguments.number)
    change = briefing_actions.ActionChange(
        arguments.number,
        arguments.status or (current["status"] if current is not None else ""),
        arguments.due or (current["due_date"] if current is not None else dt.date.min),
        arguments.dated or london_today(),
        arguments.note,
    )
    problems = briefing_actions.change_problems(change, current)
    if problems or current is None:
        return problems, ""
    briefing_actions.update_action(store, change, current, arguments.by or getpass.getuser(), london_now())
    return [], f"Action {change.action_id}: {change.status}, due {change.due_date.isoformat()}."


def _list_actions(path: Path) -> int:
    opened = _reader(path)
    if opened is None:
        return EXIT_REJECTED
    _, reader = opened
    as_at = position_from(run_query(reader, "reporting_weeks")).status_date
    table = briefing_actions.with_overdue(run_query(reader, "briefing_actions"), as_at or dt.date.min)
    if table.empty:
        print("No actions have been recorded yet.")
        return EXIT_OK
    print(
        f"Overdue as at {as_at.isoformat()}, the data-up-to date."
        if as_at
        else "No returns yet, so nothing is judged overdue."
    )
    for row in table.itertuples():
        print(briefing_actions.action_line(row))
    return EXIT_OK


def _mail_settings(arguments: argparse.Namespace):
    settings = mail.read_mail_settings(arguments.secrets)
    problem = mail.mail_settings_problem(settings)
    if problem:
        print(f"{problem} Nothing was sent.", file=sys.stderr)
        return None
    return settings


def _digest(arguments: argparse.Namespace) -> int:
    if arguments.week is not None and arguments.week.weekday() != 6:
        print(f"{arguments.week.isoformat()} is not a Sunday: give the week ending.", file=sys.stderr)
        return EXIT_USAGE
    settings = _mail_settings(arguments)
    path = Path(arguments.db or database_path())
    reader = _reader(path) if settings is not None else None
    if reader is None or settings is None:
        return EXIT_REJECTED
    snapshot, con = reader
    try:
        runner = partial(run_query, con)
        position = position_from(runner("reporting_weeks", {}))
        chosen_week = arguments.week or position.headline_week()
        if chosen_week is None:
            print("No returns have been loaded: there is no week to send a digest of.", file=sys.stderr)
            return EXIT_REJECTED
        briefings = _digest_briefings(con, chosen_week, snapshot.label, digest.recipient_lists(settings))
        week = position.chase_week or chosen_week
        chase = digest.chase_table(runner("returns_for_week", {"week": week}))
        packs, key = runner("issued_packs", {}), read_pack_key(path)
        prepared = []
        for recipients in digest.recipient_lists(settings):
            chosen = digest.pack_for(recipients, packs, chosen_week)
            attachment = (
                None
                if chosen is None
                else digest.Attachment(
                    str(chosen["file_name"]),
                    issued_packs.issued_file(con, int(chosen["pack_id"]), key).content,
                    bool(chosen["wider_circulation"]),
                )
            )
            prepared.append(
                digest.Prepared(
                    "digest",
                    digest.digest_message(
                        briefings[recipients.wider_circulation],
                        recipients,
                        chase,
                        protective_marking(),
                        settings,
                        attachment,
                    ),
                )
            )
    finally:
        con.close()
    return _deliver(arguments, path, settings, prepared)


def _digest_briefings(con, week: dt.date, source: str, lists: list) -> dict[bool, contents.Briefing]:
    """The week's briefing for the taskforce's own lists, and for lists for wider circulation the one whose
    every figure is read from the protected release (as the wider pages and pack are), each assembled once, as
    the page assembles it."""
    now, threshold = london_now(), configured_threshold()
    return {
        wider: weekly.assemble(con, week, now, source, wider_circulation=wider, threshold=threshold)
        for wider in sorted({recipients.wider_circulation for recipients in lists})
    }


def _remind(arguments: argparse.Namespace) -> int:
    settings = _mail_settings(arguments)
    path = Path(arguments.db or database_path())
    reader = _reader(path) if settings is not None else None
    if reader is None or settings is None:
        return EXIT_REJECTED
    _, con = reader
    try:
        position = position_from(run_query(con, "reporting_weeks"))
        week = position.chase_week
        if week is None or not return_deadline_passed(week, london_now()):
            print("No week's returns are past their Tuesday deadline: no reminders are due.")
            return EXIT_OK
        already = run_query(con, "reminders_sent", {"week": week})
        due = digest.reminders_due(run_query(con, "returns_for_week", {"week": week}), already)
    finally:
        con.close()
    prepared = [
        digest.Prepared(
            "reminder",
            digest.reminder_message(
                str(row.org_name), str(row.contact), week, protective_marking(), position.words(), settings
            ),
            "" if "@" in str(row.contact) else f"{row.org_name} has no returns contact address in the reference data",
            week,
            str(row.org_code),
        )
        for row in due.itertuples()
    ]
    if not already.empty:
        print(
            f"Already reminded of the week ending {week.isoformat()}, not sent again: {', '.join(already['org_code'])}."
        )
    return _deliver(arguments, path, settings, prepared)


def _deliver(arguments: argparse.Namespace, path: Path, settings, prepared: list) -> int:
    """Write the messages to --dry-run DIR, or send each (retried once) and record every outcome."""
    if arguments.dry_run is not None:
        private.folder(arguments.dry_run)
        sendable = [item for item in prepared if not item.not_sent_because]
        for number, item in enumerate(sendable, start=1):
            private.write_bytes(arguments.dry_run / digest.eml_name(number, item), item.message.as_bytes())
        for item in prepared:
            if item.not_sent_because:
                print(f"Would not be sent: {item.not_sent_because}.")
        print(f"Wrote {len(sendable)} message(s) to {arguments.dry_run}; nothing was sent.")
        return EXIT_OK
    outcomes = []
    for item in prepared:
        if item.not_sent_because:
            outcomes.append((item, "not sent", item.not_sent_because, 0))
            continue
        sent = mail.send(item.message, settings)
        outcomes.append((item, "sent" if sent.sent else "refused", sent.answer, sent.attempts))
    try:
        with _store_change(path, f"recording {len(outcomes)} message(s)") as store:
            if store is not None:
                for item, outcome, answer, attempts in outcomes:
                    digest.record_outcome(store, item, outcome, answer, attempts, london_now())
    except writing.NotPublished as failure:
        print(failure.sentence("Recorded the messages"), file=sys.stderr)
    for item, outcome, answer, attempts in outcomes:
        print(
            f"{outcome}: {item.message['To'] or '(no address)'}: {item.message['Subject']} ({answer}; "
            f"{plural(attempts, 'attempt')})"
        )
    return EXIT_OK if all(outcome == "sent" for _, outcome, _, _ in outcomes) else EXIT_REJECTED


WRITERS = {"build-demo", "init-db", "load-recommendations", "ingest", "snapshots", "actions"}


def _refused_as_open_to_others(arguments: argparse.Namespace) -> bool:
    """A writer refuses a store whose files other accounts may read, saying how to mend it."""
    if arguments.command not in WRITERS and not getattr(arguments, "issue", False):
        return False
    if (arguments.command, getattr(arguments, "action", None) or getattr(arguments, "verb", None)) in (
        ("snapshots", "list"),
        ("actions", "list"),
    ):
        return False
    reason = private.refusal(Path(arguments.db or database_path()))
    if reason:
        print(reason, file=sys.stderr)
    return bool(reason)


def main(argv: list[str] | None = None) -> int:
    """Run one command; everything it creates is private (umask 0027), and the caller's umask is put back."""
    previous = private.use_private_umask()
    try:
        return _run(argv)
    finally:
        os.umask(previous)


def _run(argv: list[str] | None) -> int:
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as stop:  # argparse exits 2 on a usage error and 0 for --help
        return int(stop.code or 0)
    if _refused_as_open_to_others(arguments):
        return EXIT_REJECTED
    handlers = {
        "build-demo": _build_demo,
        "init-db": _init_db,
        "load-recommendations": _load_recommendations,
        "hex-layout": _hex_layout,
        "fetch-boundaries": _fetch_boundaries,
        "ingest": _ingest,
        "export-briefing": _export_briefing,
        "snapshots": _snapshots,
        "actions": _actions,
        "digest": _digest,
        "remind": _remind,
    }
    return handlers[arguments.command](arguments)


if __name__ == "__main__":
    sys.exit(main())
