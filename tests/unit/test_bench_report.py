"""The benchmark report states every target of issues 9 and 17 as met or not, from the figures it is given."""

from __future__ import annotations

from bench import report


def _scale(warm: float, pandas: float, memory: float, browser: bool = True) -> dict:
    runs = {"overview": {"cold": [0.4] * 3, "warm": [warm] * 10}, report.FLOOR: {"cold": [0.1] * 3, "warm": [0.1] * 10}}
    measured = {
        "build": {"build_s": 2.0, "rows": 198_000, "units": 0, "weeks": 203, "file_mib": 40.0},
        "script_runs": runs,
        "baseline": {"overview numbers": {"duckdb_s": 0.01, "pandas_s": pandas, "same_numbers": True}},
    }
    if browser:

        def visits(first: float, later: list[float], dom: float, quiet: float) -> dict:
            return {
                "first": first,
                "later": later,
                "dom_first": dom,
                "dom_later": [dom] * len(later),
                "quiet_first": quiet,
                "quiet_later": [quiet] * len(later),
            }

        measured["browser"] = {
            "navigation": {
                "Weekly overview": visits(2.0, [0.9, 1.1], 0.8, 2.0),
                "Regional activity": visits(3.0, [2.0, 2.2], 0.6, 2.1),
            },
            "cold_start": [3.8] * 3,
            "cold_start_bare": [2.0] * 3,
            "new_tab": [3.0] * 3,
            "new_tab_bare": [1.0] * 3,
            "peak_memory_mib": memory,
            "filter_change": {
                "period of the whole trends page": {"alone": [0.05] * 10, "together": [0.5] * 10 + [2.5] * 10}
            },
        }
    return measured


def test_the_report_says_which_targets_are_met_and_which_are_not():
    results = {
        "build": {"build_s": 2.0, "floor_s": 0.2, "rows": 198_000},
        "scales": {1: _scale(0.2, 0.1, 300), 10: _scale(0.25, 1.0, 0, browser=False), 100: _scale(0.5, 10.0, 700)},
        "ingest": {"one week": {"rows": 920, "bytes": 40_000, "load_s": 0.1, "floor_s": 0.01}},
    }
    text = report.markdown(results)
    assert (
        "| Demo: each page rendered within 1.5 s of navigation (median; the map's WebGL draw apart) | "
        "slowest: Weekly overview, 1.10 s | met |"
    ) in text
    # issue 17: ratios to the bare page, switches with the map's WebGL apart, sessions at once
    assert (
        "| 1x: a new tab opening the overview, at most 2.0 times the bare page | 3.00 s against 1.00 s: "
        "3.00 times | **not met** |" in text
    )
    assert (
        "| 1x: cold start (server started to the overview drawn), at most 2.0 times | 3.80 s against 2.00 s: "
        "1.90 times | met |" in text
    )
    assert (
        "| 1x: every page switch at most 1.0 s (median; the map's WebGL draw apart) | slowest: Weekly "
        "overview, 1.10 s | **not met** |" in text
    )
    assert "| 1x: the map page with its WebGL draw (reported, no target) | 2.10 s | reported |" in text
    assert "| 100x: 20 sessions changing the trends period at once, p95 under 1.0 s | 2.50 s | **not met** |" in text
    assert (
        "100x: no page's warm script run more than twice its 1x figure | largest: overview, 2.50 times | **not met**"
        in text
    )
    assert "100x: server memory under 600 MB | peak 700 MiB | **not met**" in text
    assert "p95 under 2 s, period of the whole trends page | 2.50 s | **not met**" in text
    assert "| overview numbers | 100x | 10 ms | 10,000 ms | 1,000 | yes |" in text
