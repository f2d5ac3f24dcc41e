-- Version 1: the tables of the data model (organisations, measures, uploads, weekly returns and their
-- history, recommendations, milestones, status reports, events, the crossings series) and meta.

create table if not exists meta (key varchar primary key, value varchar not null);

create table if not exists org (
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
    );

create table if not exists measure (
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
    );

create table if not exists upload (
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
    );

create table if not exists upload_error (
        upload_id integer not null,
        row_number integer,
        column_name varchar,
        value varchar,
        message varchar not null
    );

create table if not exists weekly_return (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        upload_id integer not null,
        primary key (week_ending, org_code, measure_code)
    );

create table if not exists weekly_return_history (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        upload_id integer not null,
        superseded_by_upload_id integer not null,
        superseded_at timestamp not null
    );

create table if not exists recommendation (
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
    );

create table if not exists milestone (
        recommendation integer not null,
        seq integer not null,
        title varchar not null,
        due_date date not null,
        completed_date date,
        primary key (recommendation, seq)
    );

create sequence if not exists rec_update_id;

create table if not exists rec_update (
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
    );

create table if not exists event (
        event_date date not null,
        end_date date,
        label varchar not null,
        description varchar not null,
        source varchar not null
    );

create table if not exists small_boat_arrivals (
        month date primary key,
        people integer not null,
        boats integer not null,
        status varchar not null,
        source varchar not null
    );

create or replace view return_receipt as
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
        group by all;
