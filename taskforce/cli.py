"""The command line: `python -m taskforce COMMAND`. Shares its code with the dashboard."""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sys
import time
from functools import partial
from pathlib import Path

import duckdb

from taskforce.analysis.headlines import default_week
from taskforce.analysis.overview import status_as_of
from taskforce.briefing import archive, slides
from taskforce.briefing.pack import build_pack
from taskforce.core.calendar import london_now, london_today
from taskforce.core.config import database_path, protective_marking
from taskforce.core.db import connect
from taskforce.core.queries import run_query
from taskforce.demo import generator
from taskforce.demo.build import build_demo_database
from taskforce.maps import boundaries, hexgrid
from taskforce.recommendations.wording import load_official_wording
from taskforce.returns import intake
from taskforce.store import reference
from taskforce.store.creating import DatabaseExists, DatabaseKind, create_live_database, kind_of_file
from taskforce.store.schema import ensure_schema

EXIT_OK, EXIT_REJECTED, EXIT_USAGE = 0, 1, 2
DATABASE_HELD = ("The database {path} is in use by another program (probably the running dashboard). "
                 "Nothing was written. Stop the dashboard, or run this when it has finished.")


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
        "export-briefing", help="Write the weekly briefing pack (PowerPoint); with --issue, also keep it in the "
                                "Briefing archive as issued. Exit 0 done, 1 refused (no returns for the week, or "
                                "no database), 2 wrong arguments.")
    export.add_argument("--week", type=_date, required=True, help="week ending, YYYY-MM-DD (a Sunday)")
    export.add_argument("--out", type=Path, default=None, help="the .pptx file to write (needed without --issue)")
    export.add_argument("--issue", action="store_true",
                        help="issue the pack: store it unchanged with who, when, its checksum and the data behind it")
    export.add_argument("--by", default=None, help="who issues it, as recorded (default: the login name)")
    export.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    export.add_argument("--wider-circulation", action="store_true", help="hide counts from 1 to 4 as [c]")
    commands.add_parser("hex-layout", help="Recompute the force grid layout into data/reference/hex_layout.csv.")
    live = commands.add_parser("init-db", help="Create an empty live database: reference data, recommendations, "
                                               "no returns.")
    live.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB)")
    live.add_argument("--force", action="store_true",
                      help="replace an existing database, its returns and audit log included")
    return parser


def _ingest(arguments: argparse.Namespace) -> int:
    """Exit 0 when every file is committed (or already loaded); 1 when any is refused, with every problem."""
    if _missing_files(arguments.files):
        return EXIT_USAGE
    con = _open_for_writing(arguments.db or database_path())
    if con is None:
        return EXIT_REJECTED
    who = arguments.by or getpass.getuser()
    worst = EXIT_OK
    try:
        for file in arguments.files:
            outcome, checked = intake.load(
                con, file.name, file.read_bytes(), who, london_now(), confirm_warnings=arguments.confirm_warnings
            )
            stream = sys.stdout if outcome.status in ("committed", "already loaded") else sys.stderr
            print(f"{file}: {outcome.message}", file=stream)
            for problem in checked.problems:
                where = ", ".join(
                    part for part in (f"row {problem.row}" if problem.row else "", problem.column or "") if part
                )
                print(f"  {problem.severity}: {where + ': ' if where else ''}{problem.message}", file=stream)
            if outcome.status in ("rejected", "needs confirmation"):
                worst = EXIT_REJECTED
                if outcome.status == "needs confirmation":
                    print("  Check these values; if they are right, run again with --confirm-warnings.", file=stream)
    finally:
        con.close()
    return worst


def _export_briefing(arguments: argparse.Namespace) -> int:
    if arguments.week.weekday() != 6:
        print(f"{arguments.week.isoformat()} is not a Sunday: give the week ending.", file=sys.stderr)
        return EXIT_USAGE
    if arguments.out is None and not arguments.issue:
        print("Give --out FILE, --issue, or both.", file=sys.stderr)
        return EXIT_USAGE
    con = _open_for_writing(arguments.db or database_path())
    if con is None:
        return EXIT_REJECTED
    try:
        weeks = {row[0] for row in con.execute("select distinct week_ending from weekly_return").fetchall()}
        if arguments.week not in weeks:
            print(f"No returns for the week ending {arguments.week.isoformat()}.", file=sys.stderr)
            return EXIT_REJECTED
        runner = partial(run_query, con)
        status_date = status_as_of(arguments.week, default_week(runner("reporting_weeks", {})), london_today())
        pack = slides.build_briefing(runner, arguments.week, slides.current_debrief_target(con), london_now(),
                                     status_date)
        content = build_pack(pack, protective_marking(), arguments.wider_circulation)
        if arguments.out is not None:
            arguments.out.write_bytes(content)
            print(f"Wrote the briefing pack for the week ending {arguments.week.isoformat()} to {arguments.out}.")
        if arguments.issue:
            issued = archive.issue(con, pack, content, arguments.by or getpass.getuser(), london_now(),
                                   arguments.wider_circulation)
            print(f"Issued: {issued.label}, by {issued.issued_by}, SHA-256 {issued.sha256}.")
    finally:
        con.close()
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
    con = _open_for_writing(path)
    if con is None:
        return EXIT_REJECTED
    try:
        problems = load_official_wording(con, content)
    finally:
        con.close()
    if problems:
        print(f"{arguments.file}: not loaded; nothing was changed. {len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"Loaded the official wording of the recommendations into {path}; status history kept.")
    return EXIT_OK


def _missing_files(paths: list[Path]) -> bool:
    """Say which named files do not exist (a usage error); False when they all do."""
    missing = [str(path) for path in paths if not path.is_file()]
    if missing:
        print(f"No such file: {', '.join(missing)}", file=sys.stderr)
    return bool(missing)


def _open_for_writing(path: Path):
    """The database for a write, or None (with the reason printed) if it is missing or held elsewhere."""
    if not Path(path).exists():
        print(f"No database at {path}: build one with `python -m taskforce build-demo` first.", file=sys.stderr)
        return None
    try:
        con = connect(path)
    except duckdb.IOException:
        print(DATABASE_HELD.format(path=path), file=sys.stderr)
        return None
    ensure_schema(con)
    return con


def _init_db(arguments: argparse.Namespace) -> int:
    path = arguments.db or database_path()
    try:
        create_live_database(path, force=arguments.force)
    except DatabaseExists:
        print(f"There is already a database at {path}; nothing was changed. To replace it (its returns and audit "
              "log are lost), run again with --force.", file=sys.stderr)
        return EXIT_REJECTED
    except duckdb.IOException:
        print(DATABASE_HELD.format(path=path), file=sys.stderr)
        return EXIT_REJECTED
    print(f"Created an empty live database at {path}: reference data and recommendations, no returns. Load "
          "returns with `python -m taskforce ingest`.")
    return EXIT_OK


def _build_demo(arguments: argparse.Namespace) -> int:
    path = arguments.db or database_path()
    try:
        kind = kind_of_file(path)
    except duckdb.IOException:
        print(DATABASE_HELD.format(path=path), file=sys.stderr)
        return EXIT_REJECTED
    if kind is DatabaseKind.LIVE:
        print(f"{path} is a live database: the demo build never replaces real returns. Nothing was changed. "
              "Give another --db for the demo.", file=sys.stderr)
        return EXIT_REJECTED
    as_of = arguments.as_of or london_today()
    started = time.perf_counter()
    built = build_demo_database(path, as_of=as_of, seed=arguments.seed, scale=arguments.scale)
    seconds = time.perf_counter() - started
    units = f" ({built.units:,} units at scale {built.scale})" if built.scale > 1 else ""
    print(
        f"Built {built.path}: {built.weeks} weeks, {built.returns:,} values{units} from {built.uploads:,} uploads, "
        f"{built.recommendation_updates:,} recommendation updates, as of {as_of.isoformat()} "
        f"(seed {built.seed}) in {seconds:.1f} s."
    )
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as stop:  # argparse exits 2 on a usage error and 0 for --help
        return int(stop.code or 0)
    handlers = {
        "build-demo": _build_demo,
        "init-db": _init_db,
        "load-recommendations": _load_recommendations,
        "hex-layout": _hex_layout,
        "fetch-boundaries": _fetch_boundaries,
        "ingest": _ingest,
        "export-briefing": _export_briefing,
    }
    return handlers[arguments.command](arguments)


if __name__ == "__main__":
    sys.exit(main())
