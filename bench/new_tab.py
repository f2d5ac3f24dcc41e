"""Only the new-tab measure of `make bench`: a new browser tab opening the overview on a warm server, against
a bare Streamlit page (bench/bare_server.py) served the same way, in one run, the two taken in turn so a busy
machine slows both alike. `python -m bench.new_tab DATABASE [--rounds N] [--before FOLDER DATABASE]` prints
JSON with the medians and the ratio; `--before` measures another checkout's overview (on its own database) in
the same rounds, for a before and after on the same busy machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from bench.bench_browser import BARE_SERVER, _new_tab, _stop
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SERVER, start_server

SERVED = Path("taskforce") / "ui" / "server.py"


def measure(database: Path, rounds: int, before: tuple[Path, Path] | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    servers = {"bare": start_server(database, script=BARE_SERVER), "overview": start_server(database, script=SERVER)}
    if before:
        code, its_database = before
        servers["overview_before"] = start_server(its_database, script=code / SERVED, cwd=code)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _, url in servers.values():  # warm every server: caches filled, code loaded
                _new_tab(url, browser)
            times: dict[str, list[float]] = {name: [] for name in servers}
            for _ in range(rounds):
                for name, (_, url) in servers.items():
                    times[name].append(_new_tab(url, browser))
            browser.close()
    finally:
        for server, _ in servers.values():
            _stop(server)
    medians = {f"{name}_median": statistics.median(values) for name, values in times.items()}
    ratios = {f"{name}_ratio": medians[f"{name}_median"] / medians["bare_median"] for name in times if name != "bare"}
    return {**times, **medians, **ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", type=Path, nargs=2, metavar=("FOLDER", "DATABASE"))
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.database, arguments.rounds, arguments.before), indent=1))


if __name__ == "__main__":
    main()
