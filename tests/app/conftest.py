"""Fixtures for the tests of pages."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def partner_folders_looked_at(shared_data):
    """Pages read the dashboard's last look in the partner folders and never wait for one; a process looks
    in the background from its first page on. The tests of pages wait once for that first look, so a page
    shows the partner data as it does a moment after a server starts."""
    from taskforce.ui import data

    assert data.wait_for_partner_folders(timeout=120), "the first look in the partner folders did not finish"
