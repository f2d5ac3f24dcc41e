"""Server CPU time for one rerun of the trends page changing its period, against a bare page's rerun.

The machine is shared, so wall-clock times are noisy; the CPU time the server process spends (user + system,
all its threads, from /proc) is not. One server, warmed by its own sessions first; then SESSIONS sessions
change the period CHANGES times each, one after another, and the server's CPU over those reruns is divided by
their number. The bare page (bench/bare_server.py: one heading, served the same way) is rerun the same number
of times on its own server in the same run: the ratio is the figure to compare across runs.

    python -m bench.rerun_cpu DATABASE [--code FOLDER]

`--code` measures another checkout (say, the commit before) with the same bare page as the floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
from pathlib import Path

from bench import sessions
from bench.bench_cluster import CHOICES, LABEL, PAGE
from tests.browser.conftest import start_server, stop_server

SESSIONS = 10
CHANGES = 20
ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


async def _trends_reruns(url: str, pid: int) -> dict:
    opened = [await sessions.open_session(url, PAGE, LABEL) for _ in range(SESSIONS)]
    try:
        for session in opened[:2]:  # warm: each choice drawn once
            for choice in CHOICES:
                await sessions.change_filter(session, PAGE, choice)
        before, walls = cpu_seconds(pid), []
        for change in range(CHANGES):
            for session in opened:
                walls.append(await sessions.change_filter(session, PAGE, CHOICES[change % 2]))
        spent = cpu_seconds(pid) - before
    finally:
        for session in opened:
            await session.connection.close()
    return {"cpu_ms": 1000 * spent / (SESSIONS * CHANGES), "wall_ms": 1000 * statistics.median(walls)}


async def _bare_reruns(url: str, pid: int) -> dict:
    connection = await sessions.websockets.connect(
        url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], max_size=None
    )
    try:
        for _ in range(3):
            await connection.send(sessions._rerun(""))
            await sessions._until_finished(connection)
        before = cpu_seconds(pid)
        for _ in range(SESSIONS * CHANGES):
            await connection.send(sessions._rerun(""))
            await sessions._until_finished(connection)
        spent = cpu_seconds(pid) - before
    finally:
        await connection.close()
    return {"cpu_ms": 1000 * spent / (SESSIONS * CHANGES)}


def measure(database: Path, code: Path = ROOT) -> dict:
    server, url = start_server(
        database, cwd=code, script=code / "taskforce" / "ui" / "server.py", extra_env={"PYTHONPATH": str(code)}
    )
    try:
        trends = asyncio.run(_trends_reruns(url, server.pid))
    finally:
        stop_server(server)
    bare_server, bare_url = start_server(database, script=ROOT / "bench" / "bare_server.py")
    try:
        bare = asyncio.run(_bare_reruns(bare_url, bare_server.pid))
    finally:
        stop_server(bare_server)
    return {
        "trends_cpu_ms": round(trends["cpu_ms"], 1),
        "trends_wall_ms": round(trends["wall_ms"], 1),
        "bare_cpu_ms": round(bare["cpu_ms"], 1),
        "ratio": round(trends["cpu_ms"] / bare["cpu_ms"], 2),
        "reruns": SESSIONS * CHANGES,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--code", type=Path, default=ROOT)
    arguments = parser.parse_args()
    print(json.dumps(measure(arguments.database, arguments.code.resolve())))


if __name__ == "__main__":
    main()
