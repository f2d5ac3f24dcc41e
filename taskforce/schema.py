"""The database schema, created idempotently and migrated step by step.

Each entry of `MIGRATIONS` takes the schema from version N-1 to N. An existing database is brought up to
`SCHEMA_VERSION` by running the steps it has not had, in one transaction, so a change never needs a rebuild.
"""
from __future__ import annotations

import duckdb

from taskforce.db import transaction
from taskforce.rollups import rebuild as rebuild_rollups

VERSION_1 = [
    """create table if not exists meta (key varchar primary key, value varchar not null)""",
    """create table if not exists org (
        code varchar primary key,
        name varchar not null,
        short_name varchar not null,
        type varchar not null check (type in ('force', 'rocu', 'agency')),
        region varchar,
        rocu_code varchar,
        nation varchar,
        ons_code varchar,
        lat double,
        lon double,
        latlon_estimated boolean,
        population bigint,
        population_year varchar,
        population_source varchar,
        expected_to_return boolean not null
    )""",
    """create table if not exists measure (
        code varchar primary key,
        label varchar not null,
        short_label varchar not null,
        unit varchar not null,
        kind varchar not null check (kind in ('count', 'money', 'rate', 'total')),
        aggregation varchar not null check (aggregation in ('flow', 'stock')),
        higher_is_better boolean,
        category varchar not null,
        numerator varchar,
        denominator varchar,
        definition varchar not null,
        source varchar not null,
        display_order integer not null
    )""",
    """create table if not exists upload (
        id integer primary key,
        file_name varchar not null,
        sha256 varchar not null,
        size_bytes bigint not null,
        received_at timestamp not null,
        uploaded_by varchar not null,
        status varchar not null check (status in ('committed', 'rejected')),
        rows_accepted integer not null,
        rows_rejected integer not null,
        message varchar,
        is_demo boolean not null default false
    )""",
    """create table if not exists upload_error (
        upload_id integer not null,
        row_number integer,
        column_name varchar,
        value varchar,
        message varchar not null
    )""",
    """create table if not exists weekly_return (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        upload_id integer not null,
        primary key (week_ending, org_code, measure_code)
    )""",
    """create table if not exists weekly_return_history (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        upload_id integer not null,
        superseded_by_upload_id integer not null,
        superseded_at timestamp not null
    )""",
    """create table if not exists recommendation (
        number integer primary key,
        short_title varchar not null,
        text varchar not null,
        addressed_to varchar not null,
        owner varchar not null,
        due_date date not null,
        theme varchar not null,
        scope varchar not null check (scope in ('national', 'each_force')),
        linked_measures varchar,
        illustrative boolean not null
    )""",
    """create table if not exists milestone (
        recommendation integer not null,
        seq integer not null,
        title varchar not null,
        due_date date not null,
        completed_date date,
        primary key (recommendation, seq)
    )""",
    """create sequence if not exists rec_update_id""",
    """create table if not exists rec_update (
        id bigint primary key default nextval('rec_update_id'),
        recommendation integer not null,
        org_code varchar,
        as_of_date date not null,
        status varchar not null
            check (status in ('Not started', 'On track', 'At risk', 'Off track', 'Complete')),
        percent_complete integer not null check (percent_complete between 0 and 100),
        narrative varchar not null,
        evidence_url varchar,
        updated_by varchar not null,
        recorded_at timestamp not null
    )""",
    """create table if not exists event (
        event_date date not null,
        end_date date,
        label varchar not null,
        description varchar not null,
        source varchar not null
    )""",
    """create table if not exists small_boat_arrivals (
        month date primary key,
        people integer not null,
        boats integer not null,
        status varchar not null,
        source varchar not null
    )""",
    # When each organisation's return for a week first arrived, and how many uploads supplied it:
    # the superseded rows count too, so a resubmission keeps the time of the first receipt.
    """create or replace view return_receipt as
        with supplied as (
            select week_ending, org_code, upload_id from weekly_return
            union
            select week_ending, org_code, upload_id from weekly_return_history
        )
        select s.week_ending, s.org_code,
               min(u.received_at) as first_received_at,
               max(u.received_at) as last_received_at,
               count(distinct s.upload_id) as uploads
        from supplied s join upload u on u.id = s.upload_id
        group by all""",
]

# Version 2: settings an administrator changes (targets), kept as an append-only history; and how each
# organisation is grouped on the pages (by agency, by ROCU region), defined once for every query.
VERSION_2 = [
    """create or replace view org_group as
        select o.code as org_code, o.name as org_name, o.short_name, o.type,
               case when o.type = 'force' then 'Police forces' else o.name end as agency_group,
               case
                   when o.type <> 'force' then o.name
                   when rocu.short_name is not null then rocu.short_name
                   when o.region = 'London' then 'London (no ROCU)'
                   else o.name
               end as rocu_region
        from org o
        left join org rocu on rocu.code = o.rocu_code""",
    """create table if not exists setting_history (
        key varchar not null,
        value varchar not null,
        updated_by varchar not null,
        updated_at timestamp not null
    )""",
]

# Version 3: units below an organisation (basic command units and the like) may send returns, and the pages
# read rollups to the organisation level that every write keeps up to date (taskforce/rollups.py).
VERSION_3 = [
    """create table if not exists org_unit (
        code varchar primary key,
        org_code varchar not null,
        name varchar not null
    )""",
    """create table if not exists org_week_value (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        units integer not null,
        primary key (week_ending, org_code, measure_code)
    )""",
    """create table if not exists org_week_receipt (
        week_ending date not null,
        org_code varchar not null,
        first_received_at timestamp not null,
        last_received_at timestamp not null,
        uploads integer not null,
        primary key (week_ending, org_code)
    )""",
    rebuild_rollups,
]

MIGRATIONS: list[list] = [VERSION_1, VERSION_2, VERSION_3]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = 'meta'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("select value from meta where key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def ensure_schema(con: duckdb.DuckDBPyConnection) -> int:
    """Create or migrate the schema to the current version; safe to call on every start."""
    current = schema_version(con)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"The database has schema version {current}, newer than this code ({SCHEMA_VERSION}). "
            "Update the dashboard before opening it."
        )
    if current == SCHEMA_VERSION:
        return current
    with transaction(con) as cursor:
        for statements in MIGRATIONS[current:]:
            for statement in statements:
                statement(cursor) if callable(statement) else cursor.execute(statement)
        cursor.execute("insert or replace into meta values ('schema_version', $version)",
                       {"version": str(SCHEMA_VERSION)})
        cursor.execute("insert or ignore into meta values ('data_version', '0')")
    return SCHEMA_VERSION
