"""A small disk of a test's own (a tmpfs), for what happens when the snapshot folder fills up. Skipped, with the
reason, on a machine that will not mount one."""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class SmallDisk:
    folder: Path

    @property
    def filler(self) -> Path:
        return self.folder / "filler"

    def fill(self) -> None:
        """Take every byte left: the next file written here fails with 'No space left on device'."""
        descriptor = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        with os.fdopen(descriptor, "ab", buffering=0) as writing:  # unbuffered: nothing left to fail at close
            try:
                while True:
                    writing.write(b"\0" * (1 << 16))
            except OSError as full:
                if full.errno != errno.ENOSPC:
                    raise

    def make_room(self) -> None:
        self.filler.unlink(missing_ok=True)


@contextmanager
def small_disk(folder: Path, size_bytes: int) -> Iterator[SmallDisk]:
    """`folder` as a tmpfs of `size_bytes`, unmounted afterwards."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0750", "tmpfs", str(folder)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    except FileNotFoundError:
        pytest.skip("this machine has no mount command, so a disk cannot be filled for this test")
    if mounted.returncode != 0:
        pytest.skip(f"this machine will not mount a small disk for this test: {mounted.stderr.strip()}")
    try:
        yield SmallDisk(folder)
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, timeout=60)
