"""200 sessions through nginx over 1, 2 and 3 dashboard servers, and publishing a snapshot.

Sessions use the bench's websocket client (bench/sessions.py: Streamlit's own protocol, so each costs the servers
what a browser's session costs them and nothing else runs). They arrive as on a Monday morning, a few at a
time, each opening the trends page; then all 200 change its period at the same moment, twice. Every failure
(a refused or dropped connection, an exception drawn, no answer in two minutes) is counted as an error.

Each server is warmed first with two sessions of its own (a server's first run fills its caches). The baseline
is one session alone on the same servers, in the same run. Publishing a snapshot is timed against
a plain copy of the same file (the floor: publishing is a copy, a flush to disk and two renames).
"""

from __future__ import annotations

import asyncio
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import sessions
from bench.bench_browser import peak_memory_mib, percentile
from deploy import serve
from taskforce.store import snapshots, writing

SESSIONS = 200
SERVER_COUNTS = (1, 2, 3)
ARRIVING_AT_ONCE = 10
CHANGES = 2
PAGE, LABEL, CHOICES = "trends", "Period", ("Monthly", "Weekly")
TIMEOUT = 120.0


async def _open(url: str) -> tuple[sessions.Session | None, float, str]:
    started = time.perf_counter()
    try:
        opened = await asyncio.wait_for(sessions.open_session(url, PAGE, LABEL), TIMEOUT)
        return opened, time.perf_counter() - started, ""
    except Exception as error:  # every kind of failure is one error, counted and named
        return None, time.perf_counter() - started, type(error).__name__


async def _change(session: sessions.Session, choice: str) -> tuple[float, str]:
    try:
        return await asyncio.wait_for(sessions.change_filter(session, PAGE, choice), TIMEOUT), ""
    except Exception as error:
        return TIMEOUT, type(error).__name__


async def _many(url: str, count: int) -> dict:
    opened: list[sessions.Session] = []
    open_times: list[float] = []
    errors: list[str] = []
    for start in range(0, count, ARRIVING_AT_ONCE):
        batch = await asyncio.gather(*(_open(url) for _ in range(min(ARRIVING_AT_ONCE, count - start))))
        for session, seconds, error in batch:
            open_times.append(seconds)
            if session is None:
                errors.append(error)
            else:
                opened.append(session)
    change_times: list[float] = []
    try:
        for change in range(CHANGES):
            answers = await asyncio.gather(*(_change(session, CHOICES[change % 2]) for session in opened))
            change_times += [seconds for seconds, error in answers if not error]
            errors += [error for _, error in answers if error]
    finally:
        for session in opened:
            await session.connection.close()
    return {"open": open_times, "change": change_times, "errors": errors}


def _figures(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": float("nan"), "p95": float("nan")}
    return {"p50": statistics.median(values), "p95": percentile(values, 0.95)}


def sessions_over_servers(database: Path, environment: dict[str, str]) -> dict:
    """For each number of servers: one session alone, then SESSIONS sessions, through nginx."""
    results = {}
    for count in SERVER_COUNTS:
        prefix = Path(tempfile.mkdtemp(prefix="bench-nginx-"))
        cluster = serve.start(
            count, 8090, {**environment, "TASKFORCE_DB": str(database)}, prefix=prefix, first_server_port=8701
        )
        try:
            for server_url in cluster.server_urls:  # each server's first run fills its caches: not what is measured
                asyncio.run(_many(server_url, 2))
            alone = asyncio.run(_many(cluster.url, 1))
            many = asyncio.run(_many(cluster.url, SESSIONS))
            results[count] = {
                "alone": _figures(alone["change"]),
                "open": _figures(many["open"]),
                "change": _figures(many["change"]),
                "errors": len(many["errors"]) + len(alone["errors"]),
                "error_kinds": sorted(set(many["errors"] + alone["errors"])),
                "memory_mib": [peak_memory_mib(pid) for pid in serve.server_pids(cluster)],
            }
        finally:
            serve.stop(cluster)
            shutil.rmtree(prefix, ignore_errors=True)
    return results


def publishing(database: Path, repeats: int = 3) -> dict[str, float]:
    """Publishing a snapshot of `database` (a copy of it, so the original is untouched) against copying it."""
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "store.duckdb"
        shutil.copyfile(database, store)
        publish, copy = [], []
        for _ in range(repeats):
            started = time.perf_counter()
            shutil.copyfile(store, Path(folder) / "plain-copy.duckdb")
            copy.append(time.perf_counter() - started)
            started = time.perf_counter()
            with writing.writers_turn(store):
                published = snapshots.publish(store)
            publish.append(time.perf_counter() - started)
            published.path.unlink()  # at 100x each is 2.8 GB: keep the disk for the next
            (Path(folder) / "plain-copy.duckdb").unlink()
        return {
            "size_mb": store.stat().st_size / 1e6,
            "publish": statistics.median(publish),
            "copy": statistics.median(copy),
        }
