-- Version 3: units below an organisation (basic command units and the like) may send returns, and the pages
-- read rollups to the organisation level that every write keeps up to date (taskforce/store/rollups.py).
-- After this file, the rollups are filled from the returns already held.

create table if not exists org_unit (
        code varchar primary key,
        org_code varchar not null,
        name varchar not null
    );

create table if not exists org_week_value (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        units integer not null,
        primary key (week_ending, org_code, measure_code)
    );

create table if not exists org_week_receipt (
        week_ending date not null,
        org_code varchar not null,
        first_received_at timestamp not null,
        last_received_at timestamp not null,
        uploads integer not null,
        primary key (week_ending, org_code)
    );
