"""The command line: `python -m taskforce COMMAND`. Shares its code with the dashboard."""
from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from taskforce import demo
from taskforce.config import database_path
from taskforce.database import build_demo_database

EXIT_OK, EXIT_USAGE = 0, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m taskforce", description="OIC Taskforce dashboard tools.")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-demo", help="(Re)build the database with the synthetic demo history.")
    build.add_argument("--db", type=Path, default=None, help="database file (default: $TASKFORCE_DB or data/taskforce.duckdb)")
    build.add_argument("--as-of", type=_date, default=None, help="date the demo is built as of (default: today)")
    build.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="random seed (same seed and date, same data)")
    return parser


def _build_demo(arguments: argparse.Namespace) -> int:
    path = arguments.db or database_path()
    as_of = arguments.as_of or dt.date.today()
    started = time.perf_counter()
    built = build_demo_database(path, as_of=as_of, seed=arguments.seed)
    seconds = time.perf_counter() - started
    print(f"Built {built.path}: {built.weeks} weeks, {built.returns:,} values from {built.uploads:,} uploads, "
          f"{built.recommendation_updates:,} recommendation updates, as of {as_of.isoformat()} "
          f"(seed {built.seed}) in {seconds:.1f} s.")
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        arguments = _parser().parse_args(argv)
    except SystemExit as stop:  # argparse exits 2 on a usage error and 0 for --help
        return int(stop.code or 0)
    handlers = {"build-demo": _build_demo}
    return handlers[arguments.command](arguments)


if __name__ == "__main__":
    sys.exit(main())
