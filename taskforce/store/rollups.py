"""Rollups the pages read instead of the raw returns, kept up to date in the same transaction as every write.

Returns may come from an organisation itself or from its units (basic command units and the like, in
`org_unit`). The pages work at the level of organisations, so two tables hold the live data summed to that
level:

- `org_week_value`: week x organisation x measure, the sum of the live values of the organisation and its units;
- `org_week_receipt`: week x organisation, when its return first and last arrived and in how many uploads
  (superseded values count, so a resubmission keeps the time of the first receipt).

Their size follows the number of organisations, not of units, so a page costs the same however fine the
returns are. `rebuild` recomputes both from scratch (new databases, migrations); `refresh` recomputes only the
weeks and organisations an upload touched, inside the caller's transaction. A test holds `refresh` to the
result of `rebuild` after every kind of write.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

# The organisation a return belongs to: its own code, or the organisation of the unit that sent it.
_VALUES = """
    select r.week_ending, coalesce(u.org_code, r.org_code) as org_code, r.measure_code,
           sum(r.value) as value, count(*) as units
    from weekly_return r left join org_unit u on u.code = r.org_code
    {where}
    group by all"""

_RECEIPTS = """
    with supplied as (
        select week_ending, org_code, upload_id from weekly_return
        union
        select week_ending, org_code, upload_id from weekly_return_history
    ),
    by_org as (
        select s.week_ending, coalesce(u.org_code, s.org_code) as org_code, s.upload_id
        from supplied s left join org_unit u on u.code = s.org_code
    )
    select b.week_ending, b.org_code, min(p.received_at) as first_received_at,
           max(p.received_at) as last_received_at, count(distinct b.upload_id) as uploads
    from by_org b join upload p on p.id = b.upload_id
    {where}
    group by all"""

_TOUCHED = "(b.week_ending, b.org_code) in (select (week_ending, org_code) from rollup_keys)"


def rebuild(cursor: duckdb.DuckDBPyConnection) -> None:
    """Recompute both rollups from every live and superseded value (the caller owns the transaction)."""
    cursor.execute("delete from org_week_value")
    cursor.execute("insert into org_week_value " + _VALUES.format(where=""))
    cursor.execute("delete from org_week_receipt")
    cursor.execute("insert into org_week_receipt " + _RECEIPTS.format(where=""))


def touched_keys(cursor: duckdb.DuckDBPyConnection, weeks: Iterable, codes: Iterable[str]) -> pd.DataFrame:
    """The distinct (week, organisation) pairs that rows for these (week, sender) pairs roll up to."""
    pairs = pd.DataFrame({"week_ending": list(weeks), "sender": list(codes)}).drop_duplicates()
    cursor.register("rollup_senders", pairs)
    try:
        return cursor.execute("""
            select distinct cast(s.week_ending as date) as week_ending, coalesce(u.org_code, s.sender) as org_code
            from rollup_senders s left join org_unit u on u.code = s.sender""").df()
    finally:
        cursor.unregister("rollup_senders")


def refresh(cursor: duckdb.DuckDBPyConnection, keys: pd.DataFrame) -> None:
    """Recompute the rollups for the (week_ending, org_code) pairs in `keys` (organisation codes, as
    `touched_keys` gives them), inside the caller's transaction."""
    if keys.empty:
        return
    cursor.register("rollup_keys", keys[["week_ending", "org_code"]])
    try:
        for table_name in ("org_week_value", "org_week_receipt"):
            cursor.execute(f"""delete from {table_name} t using rollup_keys k
                               where t.week_ending = k.week_ending and t.org_code = k.org_code""")
        values_where = (
            "where (r.week_ending, coalesce(u.org_code, r.org_code)) in "
            "(select (week_ending, org_code) from rollup_keys)"
        )
        cursor.execute("insert into org_week_value " + _VALUES.format(where=values_where))
        cursor.execute("insert into org_week_receipt " + _RECEIPTS.format(where="where " + _TOUCHED))
    finally:
        cursor.unregister("rollup_keys")
