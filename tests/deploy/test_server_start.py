"""The dashboard server (taskforce/ui/server.py) refuses to start on a setting of the wrong kind in
.streamlit/secrets.toml, with a sentence naming it."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.browser.conftest import SERVER, free_port


def _start(folder) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(SERVER),
            "--server.port",
            str(free_port()),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=folder,
        env={**os.environ, "TASKFORCE_DB": str(folder / "none.duckdb")},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_server_refuses_to_start_on_a_boolean_written_as_a_text(tmp_path):
    """Given `allow_anonymous = "false"` in the secrets file of the server's working folder, when the server is
    started, then it exits before serving anything, saying which setting is wrong and what it must be.
    (Before: it started, and took the text for true.)"""
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text('[taskforce_access]\nallow_anonymous = "false"\n')
    started = _start(tmp_path)
    assert started.returncode != 0
    assert (
        "The dashboard does not start: [taskforce_access] allow_anonymous in .streamlit/secrets.toml must be "
        "true or false, without quotes (a TOML boolean); it is a text in quotes."
    ) in started.stderr


def test_the_server_refuses_to_start_on_a_secrets_file_that_is_not_toml(tmp_path):
    """Given a secrets file with an unclosed section header, when the server is started, then it exits naming
    the file and the TOML error. (Before: Streamlit read it as no secrets, and the server started with sign-in
    not configured, open on a demo store.)"""
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text("[taskforce_access\nallow_anonymous = false\n")
    started = _start(tmp_path)
    assert started.returncode != 0
    assert (
        f"The dashboard does not start: the settings file {tmp_path / '.streamlit' / 'secrets.toml'} is not "
        "valid TOML ("
    ) in started.stderr
