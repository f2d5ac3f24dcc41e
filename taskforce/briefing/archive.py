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
from taskforce.briefing.slides import Briefing
from taskforce.core.db import bump_data_version, data_version, single, transaction
from taskforce.core.formats import format_date, join_words
from taskforce.core.queries import run_query
from taskforce.core.spreadsheet import safe_file_name
from taskforce.measures.registry import measure
from taskforce.store.pack_key import PackKey

RETURNS_RECEIVED = "Returns received"


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
        return (f"Week ending {format_date(self.week_ending)}, issue {self.issue_number}"
                + (" (provisional week)" if self.provisional else ""))


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
    """The figures a briefing states: each headline card, and the returns received."""
    week = overview.week_ending
    figures = []
    for card in overview.cards:
        item = card.measure
        weeks_back = card.over_weeks - 1 + (STOCK_CARRY_WEEKS if item.aggregation == "stock" else 0)
        name = item.label if card.over_weeks == 1 else f"{item.label}, {card.over_weeks} weeks"
        figures.append(Figure(name, card.value, card.formatted_value, item.base_codes,
                              week - dt.timedelta(weeks=weeks_back), week))
    summary = overview.returns_summary
    figures.append(Figure(RETURNS_RECEIVED, float(summary.received), f"{summary.received} of {summary.expected}",
                          (), week, week))
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
    cursor = reader.cursor()
    try:
        last_upload = single(cursor.execute("select coalesce(max(id), 0) from upload").fetchone())[0]
    finally:
        cursor.close()
    return BuiltFrom(snapshot, int(last_upload), data_version(reader))


def issue(con: duckdb.DuckDBPyConnection, briefing: Briefing, content: bytes, issued_by: str,
          issued_at: dt.datetime, wider_circulation: bool, source: BuiltFrom | None = None, *,
          key: PackKey) -> IssuedPack:
    """Store the pack as issued, sealed with `key`, in one transaction with its figures, with the snapshot it
    was built from (`source`; without one, the data `con` holds now). Issuing a week again adds issue 2, 3...,
    unless the store already holds an issue of this week built from the same data (a write whose publish
    failed, so the snapshot read again has not moved on): that issue is returned, with `already_issued` set."""
    week = briefing.week_ending
    checksum = hashlib.sha256(content).hexdigest()
    provisional = briefing.overview.returns_summary.provisional
    with transaction(con) as cursor:
        source = source or BuiltFrom("", single(cursor.execute("select coalesce(max(id), 0) from upload")
                                                       .fetchone())[0], data_version(cursor))
        earlier = _issued_from(cursor, week, wider_circulation, source)
        if earlier is not None:
            return earlier
        number = single(cursor.execute("select coalesce(max(issue_number), 0) + 1 from issued_pack "
                                       "where week_ending = $week", {"week": week}).fetchone())[0]
        name = pack_file_name(week, number)
        pack_id = single(cursor.execute(
            "insert into issued_pack (week_ending, issue_number, issued_at, issued_by, wider_circulation, "
            "provisional, last_upload_id, data_version, snapshot, file_name, sha256, size_bytes, content, "
            "hmac_sha256) values "
            "($week, $number, $at, $by, $wider, $provisional, $upload, $version, $snapshot, $name, $sha, $size, "
            "$content, $seal) "
            "returning pack_id",
            {"week": week, "number": number, "at": issued_at, "by": issued_by, "wider": wider_circulation,
             "provisional": provisional, "upload": source.last_upload_id, "version": source.data_version,
             "snapshot": source.snapshot or None, "name": name,
             "sha": checksum, "size": len(content), "content": content,
             "seal": seal(key, week, number, issued_at, issued_by, name, checksum)}).fetchone())[0]
        for order, figure in enumerate(figures_of(briefing.overview)):
            cursor.execute(
                "insert into issued_figure values ($pack, $figure, $value, $shown, $codes, $first, $last, $order)",
                {"pack": pack_id, "figure": figure.name, "value": figure.value, "shown": figure.shown,
                 "codes": ",".join(figure.measure_codes), "first": figure.first_week, "last": figure.last_week,
                 "order": order})
        bump_data_version(cursor)
    return IssuedPack(pack_id, week, number, issued_at, issued_by, checksum, name, provisional)


def _issued_from(cursor: duckdb.DuckDBPyConnection, week: dt.date, wider_circulation: bool,
                 source: BuiltFrom) -> IssuedPack | None:
    """An issue of this week, for the same circulation, built from the same snapshot at the same data version."""
    row = cursor.execute(
        "select pack_id, issue_number, issued_at, issued_by, sha256, file_name, provisional from issued_pack "
        "where week_ending = $week and wider_circulation = $wider and data_version = $version "
        "and coalesce(snapshot, '') = $snapshot order by pack_id limit 1",
        {"week": week, "wider": wider_circulation, "version": source.data_version,
         "snapshot": source.snapshot}).fetchone()
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


def seal(key: PackKey, week: dt.date, issue_number: int, issued_at: dt.datetime, issued_by: str, file_name: str,
         sha256: str) -> str:
    """The pack's HMAC-SHA256 under the dashboard's key: of the file (through its SHA-256) and of what says which
    issue it is, so neither the file nor its place in the archive can be changed without the key."""
    message = json.dumps([week.isoformat(), int(issue_number), issued_at.isoformat(), issued_by, file_name, sha256])
    return hmac.new(key.secret, message.encode("utf-8"), hashlib.sha256).hexdigest()


def issued_file(con: duckdb.DuckDBPyConnection, pack_id: int, key: PackKey | None) -> IssuedFile:
    """The file exactly as issued, checked against its recorded SHA-256 and its seal before it is handed out.
    `key` is the store's pack key (None when there is none: then no pack has been sealed)."""
    cursor = con.cursor()
    try:
        row = cursor.execute("select file_name, sha256, content, hmac_sha256, week_ending, issue_number, issued_at, "
                             "issued_by from issued_pack where pack_id = $id", {"id": pack_id}).fetchone()
    finally:
        cursor.close()
    if row is None:
        raise KeyError(f"No issued pack {pack_id}.")
    name, checksum, content, recorded_seal, week, number, issued_at, issued_by = row
    digest = hashlib.sha256(content).hexdigest()
    if digest != checksum:
        raise PackAltered(f"The stored pack {name} does not match the checksum recorded when it was issued.")
    if recorded_seal is None and (key is None or pack_id < key.sealed_from_pack):
        return IssuedFile(name, bytes(content), sealed=False)  # issued before packs were sealed
    _check_seal(recorded_seal, key, lambda known: seal(known, week, number, issued_at, issued_by, name, digest))
    return IssuedFile(name, bytes(content), sealed=True)


def _check_seal(recorded: str | None, key: PackKey | None, sealed_with) -> None:
    """Raise unless the recorded seal is the one `key` makes (`sealed_with(key)`); a seal taken away from a pack
    issued since packs were sealed is an alteration too."""
    if key is None:
        raise PackKeyMissing("This pack was sealed when it was issued, and the key that proves it unaltered is "
                             "missing, so it is not offered for download. Restore the pack key file from the "
                             "store's backup (README, Running it for real).")
    if recorded is None or not hmac.compare_digest(str(recorded), sealed_with(key)):
        raise PackAltered("A stored pack does not match the seal made when it was issued.")


def revisions(con: duckdb.DuckDBPyConnection, pack_id: int, now: WeeklyOverview,
              wider_circulation: bool = False) -> pd.DataFrame:
    """Each figure whose value as shown has changed since the pack was issued: figure, as briefed, now, and why
    (the returns that arrived late or were resubmitted since, by organisation). For wider circulation the why
    names the organisations without their values: one force's weekly count is often small enough to identify
    people."""
    briefed = run_query(con, "issued_figures", {"pack": pack_id})
    last_upload = int(briefed["last_upload_id"].iloc[0]) if len(briefed) else 0
    current = {figure.name: figure for figure in figures_of(now)}
    rows = []
    for row in briefed.itertuples():
        figure = current.get(str(row.figure))
        shown_now = figure.shown if figure else "no longer shown"
        if shown_now == row.shown:
            continue
        rows.append({"Figure": row.figure, "As briefed": row.shown, "Now": shown_now,
                     "Why": _why(con, row, last_upload, wider_circulation)})
    return pd.DataFrame(rows, columns=["Figure", "As briefed", "Now", "Why"])


def _why(con: duckdb.DuckDBPyConnection, figure, last_upload: int, wider_circulation: bool) -> str:
    """The returns behind a revised figure, from the return history."""
    if figure.figure == RETURNS_RECEIVED:
        return "Returns received after the pack was issued."
    codes = [code for code in str(figure.measure_codes).split(",") if code]
    changed = run_query(con, "returns_changed_since", {"upload": last_upload, "measures": codes,
                                                       "from": figure.first_week, "to": figure.last_week})
    if changed.empty:
        return "A change in how the figure is worked out, or in the reference data; no return changed."
    parts = []
    for kind, words in (("late", "Late returns from"), ("resubmitted", "Resubmitted by"),
                        ("withdrawn", "Withdrawn by")):
        rows = changed[changed["change"] == kind]
        if len(rows):
            named = [str(name) if wider_circulation else _one_return(group) for name, group in rows.groupby("org_name")]
            parts.append(f"{words} {join_words(named)}")
    return "; ".join(parts) + "."


def _one_return(changes: pd.DataFrame) -> str:
    """'Kent Police (Arrests 12 to 14, week ending 22 Nov 2026)'; the name and a count when it changed many."""
    name = str(changes["org_name"].iloc[0])
    if len(changes) > 2:
        return f"{name} ({len(changes)} values)"
    details = [f"{measure(str(change.measure_code)).short_label} {_shown(change.value_then)} to "
               f"{_shown(change.value_now)}, week ending {format_date(change.week_ending)}"
               for change in changes.itertuples()]
    return f"{name} ({'; '.join(details)})"


def _shown(value) -> str:
    return "none" if pd.isna(value) else f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"

