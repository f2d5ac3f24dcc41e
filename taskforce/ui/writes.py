"""What a page writes: the store in the writer's turn (a notice says so while another writer finishes), then a
new snapshot that this session's next rerun reads (ARCHITECTURE.md, Snapshots). The reads a write needs come
from `ui/data.py`, which names these writes too, for the pages that call them there."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from taskforce.briefing import contents, issued_packs
from taskforce.core.calendar import london_now
from taskforce.core.config import database_path
from taskforce.store import targets
from taskforce.store import writing as writing_store
from taskforce.store.pack_key import pack_key_for_issuing


@contextmanager
def store_change(doing: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store open for one change, in the writer's turn (a notice says so while another writer finishes);
    a new snapshot is published when the block ends, and this session's next rerun reads it. When the publish
    fails the change stands committed, the page says so, and every page goes on reading the current snapshot."""
    notice = st.empty()
    try:
        waiting = lambda message: notice.info(message, icon=":material/hourglass:")  # noqa: E731
        with writing_store.writing(database_path(), waiting, doing) as con:
            notice.empty()
            yield con
    except writing_store.NotPublished as failure:
        st.warning(failure.sentence(f"Committed ({doing})"), icon=":material/cloud_off:")
    finally:
        notice.empty()


def change_debrief_target(rate: float, changed_by: str) -> None:
    """Record a new debrief rate target (0 to 1), audited like every setting, and publish it."""
    with store_change("changing the debrief rate target") as store:
        targets.change_setting(store, "debrief_rate_target", rate, changed_by, london_now())


def issue_built_pack(
    briefing: contents.Briefing,
    content: bytes,
    built_from: issued_packs.BuiltFrom,
    wider_circulation: bool,
    issued_by: str,
) -> issued_packs.IssuedPack:
    """Store a pack exactly as built (the file the download button gives), as issued now, with the snapshot it
    was built from, sealed under the store's pack key."""
    with store_change("issuing a briefing pack") as con:
        return issued_packs.issue(
            con,
            briefing,
            content,
            issued_by,
            london_now(),
            wider_circulation,
            built_from,
            key=pack_key_for_issuing(con, database_path()),
        )
