"""The systemd units that send the Monday digest (07:00 London) and the returns reminders (Tuesday 12:00):
each parses as an INI file, runs the command it names as the taskforce account, and its timer is the schedule."""

from __future__ import annotations

import configparser
import shutil
import subprocess

import pytest

from tests.conftest import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
SCHEDULES = {"digest": "Mon *-*-* 07:00:00 Europe/London", "remind": "Tue *-*-* 12:00:00 Europe/London"}


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)  # Environment= repeats
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


@pytest.mark.parametrize("command", SCHEDULES)
def test_the_service_runs_the_command_once_as_the_taskforce_account(command):
    service = _unit(f"taskforce-{command}.service")
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["User"] == "taskforce" and service["Service"]["UMask"] == "0027"
    assert service["Service"]["ExecStart"].endswith(f"-m taskforce {command}")


@pytest.mark.parametrize(("command", "schedule"), SCHEDULES.items())
def test_the_timer_is_the_schedule_and_starts_its_service(command, schedule):
    timer = _unit(f"taskforce-{command}.timer")
    assert timer["Timer"]["OnCalendar"] == schedule
    assert timer["Timer"]["Unit"] == f"taskforce-{command}.service"
    assert timer["Install"]["WantedBy"] == "timers.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("schedule", SCHEDULES.values())
def test_systemd_reads_the_schedule(schedule):
    assert subprocess.run(["systemd-analyze", "calendar", schedule], capture_output=True).returncode == 0
