"""Server-side script runs: each page's script run under Streamlit's AppTest, cold (query caches and memoised
charts empty) and warm (all filled), on one database. Run in its own process per database, so each scale starts clean:

    python -m bench.script_runs DATABASE [--cold N] [--warm N]

prints one JSON object: page -> {"cold": [seconds...], "warm": [seconds...]}. The bare page (one heading)
is the floor that AppTest itself costs.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each page as the navigation opens it (its default view), plus the views that draw the most.
PAGES = {
    "overview": ("pages/overview.py", {}),
    "briefing": ("pages/briefing.py", {}),
    "recommendations": ("pages/recommendations.py", {}),
    "recommendations matrix": ("pages/recommendations.py", {"view": "Force matrix"}),
    "regional": ("pages/regional.py", {}),
    "trends": ("pages/trends.py", {}),
    "trends by region": ("pages/trends.py", {"split": "By ROCU region"}),
    "partnership": ("pages/partnership.py", {}),
    "returns": ("pages/returns.py", {}),
    "about": ("pages/about.py", {}),
    "bare page (floor)": ("bench/bare_page.py", {}),
}


def _run_once(script: str, query: dict[str, str]) -> float:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(ROOT / script), default_timeout=300)
    for key, value in query.items():
        app.query_params[key] = value
    started = time.perf_counter()
    app.run()
    elapsed = time.perf_counter() - started
    if app.exception or app.error:
        problem = app.exception[0].message if app.exception else app.error[0].value
        raise RuntimeError(f"{script} did not render: {problem}")
    return elapsed


def measure(cold: int, warm: int) -> dict[str, dict[str, list[float]]]:

    from taskforce.core import memo
    from taskforce.ui import data

    results = {}
    _run_once(*PAGES["about"])  # the connection and the imports, once, before any timing
    for name, (script, query) in PAGES.items():
        cold_runs = []
        for _ in range(cold):
            data.clear_query_cache()
            memo.clear_all()
            cold_runs.append(_run_once(script, query))
        warm_runs = [_run_once(script, query) for _ in range(warm)]
        results[name] = {"cold": cold_runs, "warm": warm_runs}
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--cold", type=int, default=3)
    parser.add_argument("--warm", type=int, default=10)
    arguments = parser.parse_args()
    os.environ["TASKFORCE_DB"] = str(arguments.database)
    print(json.dumps(measure(arguments.cold, arguments.warm)))


if __name__ == "__main__":
    main()
