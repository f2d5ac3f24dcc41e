"""A profile of a new session's first script run of the weekly overview, on the server.

The run happens in Streamlit's script thread (under AppTest here), where cProfile cannot follow it, so a
sampler thread reads that thread's stack every millisecond and counts, for each function of ours (and
Streamlit's element calls), the share of samples it was on the stack for. The caches are warm (a first visitor
has filled them), as for every leader after the first on a Monday morning.

`python -m bench.script_profile DATABASE [--code FOLDER]` prints JSON; `--code` profiles another checkout.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 30
INTERVAL_S = 0.001


class Sampler:
    """Counts the functions on every stack but this one's and the main thread's, every INTERVAL_S."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        self.prefixes = prefixes
        self.samples = 0
        self.on_stack: collections.Counter = collections.Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._switch = sys.getswitchinterval()
        sys.setswitchinterval(INTERVAL_S / 2)  # else the sampler waits 5 ms for the interpreter each time
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        sys.setswitchinterval(self._switch)

    def _run(self) -> None:
        ignored = {threading.main_thread().ident, threading.get_ident()}
        while not self._stop.is_set():
            for ident, frame in sys._current_frames().items():
                if ident in ignored:
                    continue
                names = set()
                while frame is not None:
                    path = frame.f_code.co_filename
                    if any(prefix in path for prefix in self.prefixes):
                        names.add(f"{_module(path)}.{frame.f_code.co_name}")
                    frame = frame.f_back
                if names:
                    self.samples += 1
                    self.on_stack.update(names)
            time.sleep(INTERVAL_S)


def _module(path: str) -> str:
    parts = Path(path).with_suffix("").parts
    start = max((i for i, part in enumerate(parts) if part in ("taskforce", "streamlit", "pages")), default=0)
    return ".".join(parts[start:])


def profile(database: Path) -> dict:
    os.environ["TASKFORCE_DB"] = str(database)
    from streamlit.testing.v1 import AppTest

    page = str(Path.cwd() / "pages" / "overview.py")
    AppTest.from_file(page, default_timeout=120).run()  # the caches filled, as by the first visitor
    durations = []
    with Sampler(("taskforce/", "/pages/", "streamlit/elements/", "streamlit/runtime/caching/")) as sampler:
        for _ in range(RUNS):
            started = time.perf_counter()
            AppTest.from_file(page, default_timeout=120).run()  # a new session each time
            durations.append(time.perf_counter() - started)
    top = [(name, round(count / sampler.samples, 3)) for name, count in sampler.on_stack.most_common(14)]
    return {"run_ms": round(statistics.median(durations) * 1000), "samples": sampler.samples, "on_stack": top}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--code", type=Path, default=None, help="profile this checkout instead")
    arguments = parser.parse_args()
    if arguments.code is not None:
        import subprocess

        # run as a script from here, so `taskforce` and `pages` come from the other checkout
        done = subprocess.run(
            [sys.executable, __file__, str(arguments.database)],
            cwd=arguments.code,
            env={**os.environ, "PYTHONPATH": str(arguments.code)},
            capture_output=True,
            text=True,
            check=True,
        )
        print(done.stdout)
        return
    print(json.dumps(profile(arguments.database), indent=1))


if __name__ == "__main__":
    main()
