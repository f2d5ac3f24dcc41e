"""The README states the thresholds a reader relies on (when a week is headlined, how far a stock is carried,
what a control chart is limited from, what is ranked, how big a file may be...). Each is held here to the
constant the code uses: every place the README states it must give the code's value, and it must be stated at
least once, so the README cannot say 90% in one place and "at least half" in another."""

from __future__ import annotations

import re

import pytest

from deploy import serve
from taskforce.analysis import funnel, variation
from taskforce.core import config, formats
from taskforce.release import position
from taskforce.store import catalogue, targets
from tests.conftest import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
CARRIED_FORWARD = PROJECT_ROOT / "taskforce/store/migrations/007_carried_stocks_and_complete_returns.sql"
MEGABYTE = 1024 * 1024


def _carry_weeks() -> int:
    days = re.search(
        r"s\.week_ending \+ interval (\d+) day, series\.last_week", CARRIED_FORWARD.read_text(encoding="utf-8")
    )
    assert days is not None, "the carry-forward cap is no longer where this test reads it"
    return int(days.group(1)) // 7


def _snapshots_kept(monkeypatch) -> tuple[int, int]:
    for name in ("TASKFORCE_SNAPSHOTS_KEEP_LAST", "TASKFORCE_SNAPSHOTS_KEEP_WEEKS"):
        monkeypatch.delenv(name, raising=False)
    return config.snapshots_kept()


STATED = [
    (
        "a week is headlined",
        r"at least (\d+)% of (?:expected )?returns complete",
        lambda: position.COMPLETE_SHARE * 100,
    ),
    ("stocks carried forward", r"carried forward up to (\d+) weeks", _carry_weeks),
    ("the control limits' baseline", r"control limits from the (\d+) complete weeks", lambda: variation.BASELINE_WEEKS),
    ("the XmR factor", r"plus or minus ([\d.]+) average moving ranges", lambda: variation.XMR_FACTOR),
    ("ranked only on a base", r"ranked only on (\d+) arrests or more", lambda: funnel.RANK_MINIMUM_BASE),
    ("no percentage change on a small base", r"percentage change on a base under (\d+)", lambda: formats.SMALL_BASE),
    ("a shared file settles", r"modification time for (\d+) seconds", lambda: catalogue.SETTLE_SECONDS),
    ("upload size", r"at most (\d+) MB \(the server and the loader\)", lambda: config.INTAKE.maximum_bytes / MEGABYTE),
    ("upload rows", r"([\d,]+) rows, \d+\s+columns", lambda: config.INTAKE.maximum_rows),
    ("upload columns", r"rows, (\d+)\s+columns", lambda: config.INTAKE.maximum_columns),
    (
        "a workbook unpacked",
        r"(\d+) MB unpacked for a workbook",
        lambda: config.INTAKE.maximum_unpacked_bytes / MEGABYTE,
    ),
    ("reading time", r"(\d+) seconds of reading", lambda: config.INTAKE.maximum_seconds),
    ("health checks", r"`/_stcore/health` every (\d+) s", lambda: serve.HEALTH_EVERY),
    ("a health check's wait", r"every \d+ s \((\d+) s to\s+answer\)", lambda: serve.HEALTH_TIMEOUT),
    ("checks before a restart", r"fails (\d+) checks in a row", lambda: serve.HEALTH_FAILURES),
    (
        "debrief target",
        r"\| debrief rate target \|[^|\n]*\| (\d+)% \|",
        lambda: targets.SETTINGS["debrief_rate_target"].default * 100,
    ),
]


@pytest.mark.parametrize("what, pattern, constant", STATED, ids=[row[0] for row in STATED])
def test_each_threshold_the_readme_states_is_the_codes(what, pattern, constant):
    stated = [float(found.replace(",", "")) for found in re.findall(pattern, README)]
    assert stated, f"the README no longer states {what} as this test reads it"
    assert set(stated) == {float(constant())}, what


def test_the_snapshots_kept_are_the_defaults_the_readme_states(monkeypatch):
    found = re.search(r"the newest (\d+) snapshots are kept, and the newest of each week for (\d+) weeks", README)
    assert found is not None
    assert tuple(map(int, found.groups())) == _snapshots_kept(monkeypatch)


def test_the_readme_never_headlines_a_week_on_a_share_in_words():
    """The share of returns that makes a week complete is given as the code's percentage, never in words."""
    assert not re.search(r"at least (?:half|most|a third|three quarters) (?:of )?the returns", README)
