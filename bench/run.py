"""`make bench`: every benchmark, printed and written to bench/RESULTS.md with the machine, date and commit."""
from __future__ import annotations

import tempfile
from pathlib import Path

from bench import bench_foundation, bench_ingest
from taskforce.database import build_demo_database


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        build = bench_foundation.bench_build(Path(folder))
        database = Path(folder) / "bench.duckdb"
        build_demo_database(database, bench_foundation.AS_OF)
        render = bench_foundation.bench_render(database)
    ingest = bench_ingest.bench_ingest()
    text = bench_foundation.results_markdown(build, render) + "\n" + bench_ingest.markdown(ingest)
    bench_foundation.RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
