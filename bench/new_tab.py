"""Only the new-tab measure of `make bench`: a new browser tab opening the overview on a warm server, against
a bare Streamlit page (bench/bare_server.py) served the same way, in one run, the two taken in turn so a busy
machine slows both alike. `python -m bench.new_tab DATABASE [--rounds N]` prints JSON with the medians and
the ratio.
"""
from __future__ import annotations

import argparse
import json
import statistics
from pathlib import Path

from bench.bench_browser import BARE_SERVER, _new_tab, _stop
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SERVER, start_server


def measure(database: Path, rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    bare, bare_url = start_server(database, script=BARE_SERVER)
    server, url = start_server(database, script=SERVER)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            _new_tab(bare_url, browser)  # warm both servers: caches filled, code loaded
            _new_tab(url, browser)
            times: dict[str, list[float]] = {"bare": [], "overview": []}
            for _ in range(rounds):
                times["bare"].append(_new_tab(bare_url, browser))
                times["overview"].append(_new_tab(url, browser))
            browser.close()
    finally:
        _stop(server)
        _stop(bare)
    bare_median, overview_median = statistics.median(times["bare"]), statistics.median(times["overview"])
    return {**times, "bare_median": bare_median, "overview_median": overview_median,
            "ratio": overview_median / bare_median}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.database, arguments.rounds), indent=1))


if __name__ == "__main__":
    main()
