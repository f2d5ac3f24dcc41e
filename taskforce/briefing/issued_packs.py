"""Packs as issued, and what has been revised since.

Issuing stores the pack's file unchanged, with who issued it, when, its SHA-256 and the data it was built from
(every upload up to the newest one then), and the figures it showed. "Revised since briefing" compares those
figures with the same figures worked out now, and traces each change to the returns behind it through the
return history (a late return, or one resubmitted with a different value)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from taskforce.analysis.methods import STOCK_CARRY_WEEKS
from taskforce.analysis.overview import WeeklyOverview
from taskforce.briefing.contents import Briefing
from taskforce.core.db import bump_data_version, data_version, single, transaction
from taskforce.core.formats import format_date, join_words
from taskforce.core.kinds import Aggregation
from taskforce.core.queries import run_query
from taskforce.core.spreadsheet import safe_file_name
from taskforce.measures.registry import measure
from taskforce.store.pack_key import PackKey

COMPLETE_RETURNS = "Complete returns"
# The figure's name in packs issued before it was named for what it counts (complete returns, not received ones).
FORMER_NAMES = {"Returns received": COMPLETE_RETURNS}


@dataclass(frozen=True)
class IssuedPack:
    pack_id: int
    week_ending: dt.date
    issue_number: int
    issued_at: dt.datetime
    issued_by: str
    sha256: str
    file_name: str
    provisional: bool
    already_issued: bool = False  # issued before from the same data, and not issued again

    @property
    def label(self) -> str:
        """'Week ending 22 Nov 2026, issue 2' (a week issued twice keeps both, numbered)."""
        return f"Week ending {format_date(self.week_ending)}, issue {self.issue_number}" + (
            " (provisional week)" if self.provisional else ""
        )


@dataclass(frozen=True)
class Figure:
    """One figure as a pack shows it, with the measures and weeks whose returns make it."""

    name: str
    value: float | None
    shown: str
    measure_codes: tuple[str, ...]
    first_week: dt.date
    last_week: dt.date


def figures_of(overview: WeeklyOverview) -> list[Figure]:
    """The figures a briefing states: each headline card, and the complete returns."""
    week = overview.week_ending
    figures = []
    for card in overview.cards:
        item = card.measure
        weeks_back = card.over_weeks - 1 + (STOCK_CARRY_WEEKS if item.aggregation == Aggregation.STOCK else 0)
        name = item.label if card.over_weeks == 1 else f"{item.label}, {card.over_weeks} weeks"
        figures.append(
            Figure(name, card.value, card.formatted_value, item.base_codes, week - dt.timedelta(weeks=weeks_back), week)
        )
    summary = overview.returns_summary
    figures.append(
        Figure(COMPLETE_RETURNS, float(summary.complete), f"{summary.complete} of {summary.expected}", (), week, week)
    )
    return figures


def pack_file_name(week: dt.date, issue_number: int) -> str:
    return safe_file_name(f"oic_briefing_week_ending_{week.isoformat()}_issue_{issue_number}.pptx")


@dataclass(frozen=True)
class BuiltFrom:
    """The data a pack was built from: the snapshot, its newest upload and its data version."""

    snapshot: str
    last_upload_id: int
    data_version: int


def built_from(reader: duckdb.DuckDBPyConnection, snapshot: str) -> BuiltFrom:
    last_upload = run_query(reader, "last_upload")["last_upload_id"].iloc[0]
    return BuiltFrom(snapshot, int(last_upload), data_version(reader))


def issue(
    con: duckdb.DuckDBPyConnection,
    briefing: Briefing,
    content: bytes,
    issued_by: str,
    issued_at: dt.datetime,
    wider_circulation: bool,
    source: BuiltFrom | None = None,
    *,
    key: PackKey,
) -> IssuedPack:
    """Store the pack as issued, sealed with `key`, in one transaction with its figures, with the snapshot it
    was built from (`source`; without one, the data `con` holds now). Issuing a week again adds issue 2, 3...,
    unless the store already holds an issue of this week built from the same data (a write whose publish
    failed, so the snapshot read again has not moved on): that issue is returned, with `already_issued` set."""
    week = briefing.week_ending
    checksum = hashlib.sha256(content).hexdigest()
    provisional = briefing.overview.returns_summary.provisional
    with transaction(con) as cursor:
        source = source or BuiltFrom(
            "", single(cursor.execute("select coalesce(max(id), 0) from upload").fetchone())[0], data_version(cursor)
        )
        earlier = _issued_from(cursor, week, wider_circulation, source)
        if earlier is not None:
            return earlier
        number = single(
            cursor.execute(
                "select coalesce(max(issue_number), 0) + 1 from issued_pack where week_ending = $week", {"week": week}
            ).fetchone()
        )[0]
        name = pack_file_name(week, number)
        pack_id = _stored_and_sealed(
            cursor,
            key,
            {
                "week_ending": week,
                "issue_number": number,
                "issued_at": issued_at,
                "issued_by": issued_by,
                "wider_circulation": wider_circulation,
                "provisional": provisional,
                "last_upload_id": source.last_upload_id,
                "data_version": source.data_version,
                "snapshot": source.snapshot or None,
                "file_name": name,
                "sha256": checksum,
                "size_bytes": len(content),
                "content": content,
            },
        )
        for order, figure in enumerate(figures_of(briefing.overview)):
            cursor.execute(
                "insert into issued_figure values ($pack, $figure, $value, $shown, $codes, $first, $last, $order)",
                {
                    "pack": pack_id,
                    "figure": figure.name,
                    "value": figure.value,
                    "shown": figure.shown,
                    "codes": ",".join(figure.measure_codes),
                    "first": figure.first_week,
                    "last": figure.last_week,
                    "order": order,
                },
            )
        bump_data_version(cursor)
    return IssuedPack(pack_id, week, number, issued_at, issued_by, checksum, name, provisional)


def _stored_and_sealed(cursor: duckdb.DuckDBPyConnection, key: PackKey, pack: dict) -> int:
    """Store the pack under the next number, then seal it from its columns as stored (so the seal and its check
    read the same values); its number."""
    pack_id = int(single(cursor.execute("select nextval('issued_pack_id')").fetchone())[0])
    columns = ["pack_id", *pack]
    cursor.execute(
        f"insert into issued_pack ({', '.join(columns)}) values "  # names from the caller's keys
        f"({', '.join('$' + column for column in columns)})",
        {"pack_id": pack_id, **pack},
    )
    described = _described(cursor, pack_id)
    assert described is not None
    cursor.execute(
        "update issued_pack set hmac_sha256 = $seal where pack_id = $id", {"seal": seal(key, described), "id": pack_id}
    )
    return pack_id


def _issued_from(
    cursor: duckdb.DuckDBPyConnection, week: dt.date, wider_circulation: bool, source: BuiltFrom
) -> IssuedPack | None:
    """An issue of this week, for the same circulation, built from the same snapshot at the same data version."""
    row = cursor.execute(
        "select pack_id, issue_number, issued_at, issued_by, sha256, file_name, provisional from issued_pack "
        "where week_ending = $week and wider_circulation = $wider and data_version = $version "
        "and coalesce(snapshot, '') = $snapshot order by pack_id limit 1",
        {"week": week, "wider": wider_circulation, "version": source.data_version, "snapshot": source.snapshot},
    ).fetchone()
    if row is None:
        return None
    pack_id, number, issued_at, issued_by, checksum, name, provisional = row
    return IssuedPack(pack_id, week, number, issued_at, issued_by, checksum, name, provisional, already_issued=True)


def issued_packs(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every issued pack, newest first, without the files themselves."""
    return run_query(con, "issued_packs")


class PackAltered(Exception):
    """A stored pack no longer matches the checksum or the seal recorded when it was issued."""


class PackKeyMissing(Exception):
    """A sealed pack cannot be checked: the key that sealed it is not where the store's key belongs."""


@dataclass(frozen=True)
class IssuedFile:
    name: str
    content: bytes
    sealed: bool  # False: issued before packs were sealed, so checked against its SHA-256 only


# What a seal covers: every column that says what the pack is (version 2). Version 1 seals, made before
# this, covered the file and its place in the archive only, and still verify as they were made.
SEALED_COLUMNS = (
    "pack_id",
    "week_ending",
    "issue_number",
    "issued_at",
    "issued_by",
    "file_name",
    "sha256",
    "wider_circulation",
    "provisional",
    "last_upload_id",
    "data_version",
    "snapshot",
)
SEAL_VERSION = 2
_VERSION_1 = ("week_ending", "issue_number", "issued_at", "issued_by", "file_name", "sha256")


def _plain(value):
    return value.isoformat() if isinstance(value, dt.date) else int(value) if isinstance(value, int) else value


def seal(key: PackKey, described: dict, version: int = SEAL_VERSION) -> str:
    """The pack's HMAC-SHA256 under the dashboard's key, of the file (through its SHA-256) and of every column
    that says what the pack is, recorded as 'v2:<hex>' (a version 1 seal is the bare hex of fewer columns)."""
    if version == 1:
        message = json.dumps([_plain(described[column]) for column in _VERSION_1])
    else:
        message = json.dumps(
            {"seal_version": version, **{column: _plain(described[column]) for column in SEALED_COLUMNS}},
            sort_keys=True,
        )
    digest = hmac.new(key.secret, message.encode("utf-8"), hashlib.sha256).hexdigest()
    return digest if version == 1 else f"v{version}:{digest}"


def _seal_version(recorded: str) -> int:
    """The version a seal was made under: 'v2:<hex>', or bare hex for version 1 (0 for neither)."""
    prefix, _, rest = recorded.partition(":")
    if not rest:
        return 1
    return int(prefix[1:]) if prefix[:1] == "v" and prefix[1:].isdigit() else 0


def _described(cursor: duckdb.DuckDBPyConnection, pack_id: int, *extra: str) -> dict | None:
    """The sealed columns of a stored pack (and `extra` ones), as the store gives them back."""
    columns = (*SEALED_COLUMNS, *extra)
    row = cursor.execute(
        f"select {', '.join(columns)} from issued_pack where pack_id = $id",  # fixed names
        {"id": pack_id},
    ).fetchone()
    return None if row is None else dict(zip(columns, row, strict=True))


def issued_file(con: duckdb.DuckDBPyConnection, pack_id: int, key: PackKey | None) -> IssuedFile:
    """The file exactly as issued, checked against its recorded SHA-256 and its seal before it is handed out.
    `key` is the store's pack key (None when there is none: then no pack has been sealed). Without a seal, a
    pack is offered only if the key records it as issued before packs were sealed (with that SHA-256)."""
    cursor = con.cursor()
    try:
        pack = _described(cursor, pack_id, "content", "hmac_sha256")
    finally:
        cursor.close()
    if pack is None:
        raise KeyError(f"No issued pack {pack_id}.")
    name, content = pack["file_name"], bytes(pack["content"])
    if hashlib.sha256(content).hexdigest() != pack["sha256"]:
        raise PackAltered(f"The stored pack {name} does not match the checksum recorded when it was issued.")
    if pack["hmac_sha256"] is None and _issued_before_sealing(key, pack_id, pack["sha256"]):
        return IssuedFile(name, content, sealed=False)
    _check_seal(pack["hmac_sha256"], key, pack)
    return IssuedFile(name, content, sealed=True)


def _issued_before_sealing(key: PackKey | None, pack_id: int, checksum: str) -> bool:
    """No key yet (no pack sealed), or the key records this pack, with this SHA-256, as issued before it."""
    if key is None:
        return True
    recorded = key.unsealed.get(int(pack_id))
    return recorded is not None and recorded in ("", checksum)


def _check_seal(recorded: str | None, key: PackKey | None, pack: dict) -> None:
    """Raise unless the recorded seal is the one `key` makes of the pack, in the version recorded with it; a
    pack without a seal that the key does not record as older than sealing has been altered too."""
    if key is None:
        raise PackKeyMissing(
            "This pack was sealed when it was issued, and the key that proves it unaltered is "
            "missing, so it is not offered for download. Restore the pack key file from the "
            "store's backup (README, Running it for real)."
        )
    if recorded is None or not hmac.compare_digest(str(recorded), seal(key, pack, _seal_version(str(recorded)))):
        raise PackAltered("A stored pack does not match the seal made when it was issued.")


def revisions(
    con: duckdb.DuckDBPyConnection, pack_id: int, now: WeeklyOverview, wider_circulation: bool = False
) -> pd.DataFrame:
    """Each figure whose value as shown has changed since the pack was issued: figure, as briefed, now, and why
    (the returns that arrived late or were resubmitted since, by organisation). For wider circulation the why
    names no organisation (`_wider_words`), and the figure now comes from the release, whose protection holds
    every wider pack's figures as known (release/revisions.py)."""
    briefed = run_query(con, "issued_figures", {"pack": pack_id})
    last_upload = int(briefed["last_upload_id"].iloc[0]) if len(briefed) else 0
    current = {figure.name: figure for figure in figures_of(now)}
    rows = []
    for row in briefed.itertuples():
        figure = current.get(FORMER_NAMES.get(str(row.figure), str(row.figure)))
        shown_now = figure.shown if figure else "no longer shown"
        if shown_now == row.shown:
            continue
        rows.append(
            {
                "Figure": row.figure,
                "As briefed": row.shown,
                "Now": shown_now,
                "Why": _why(con, row, last_upload, wider_circulation),
            }
        )
    return pd.DataFrame(rows, columns=["Figure", "As briefed", "Now", "Why"])


def _why(con: duckdb.DuckDBPyConnection, figure, last_upload: int, wider_circulation: bool) -> str:
    """The returns behind a revised figure, from the return history."""
    if FORMER_NAMES.get(str(figure.figure), str(figure.figure)) == COMPLETE_RETURNS:
        return "Returns received or completed after the pack was issued."
    codes = [code for code in str(figure.measure_codes).split(",") if code]
    changed = run_query(
        con,
        "returns_changed_since",
        {"upload": last_upload, "measures": codes, "from": figure.first_week, "to": figure.last_week},
    )
    if changed.empty:
        return "A change in how the figure is worked out, or in the reference data; no return changed."
    parts = []
    for kind, words in (
        ("late", "Late returns from"),
        ("resubmitted", "Resubmitted by"),
        ("withdrawn", "Withdrawn by"),
    ):
        rows = changed[changed["change"] == kind]
        if len(rows):
            parts.append(
                _wider_words(words, rows)
                if wider_circulation
                else f"{words} {join_words([_one_return(group) for _, group in rows.groupby('org_name')])}"
            )
    return "; ".join(parts) + "."


def _wider_words(words: str, rows: pd.DataFrame) -> str:
    """For wider circulation no organisation is named: beside the figure's change, one name gives that
    organisation's count. 'Late returns from 3 organisations' only when there are two or more, whose changes
    cannot be told apart from their total; else the kind of change alone ('Late returns')."""
    kind = words.removesuffix(" from").removesuffix(" by")
    count = rows["org_name"].nunique()
    return f"{kind} from {count} organisations" if count >= 2 else kind


def _one_return(changes: pd.DataFrame) -> str:
    """'Kent Police (Arrests 12 to 14, week ending 22 Nov 2026)'; the name and a count when it changed many."""
    name = str(changes["org_name"].iloc[0])
    if len(changes) > 2:
        return f"{name} ({len(changes)} values)"
    details = [
        f"{measure(str(change.measure_code)).short_label} {_shown(change.value_then)} to "
        f"{_shown(change.value_now)}, week ending {format_date(change.week_ending)}"
        for change in changes.itertuples()
    ]
    return f"{name} ({'; '.join(details)})"


def _shown(value) -> str:
    return "none" if pd.isna(value) else f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
