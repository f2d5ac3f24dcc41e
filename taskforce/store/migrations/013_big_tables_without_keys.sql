-- Version 13: the big tables lose their primary keys. In DuckDB a primary key is an ART index beside the
-- table: on weekly_return it took twenty times the space of the values it indexed, every publish copied it
-- and every kept snapshot held it, and it protected nothing the writer does not already check. Uniqueness
-- of (week, organisation, measure) in the returns and of the rollups' keys is now enforced in the writer's
-- transaction (taskforce/store/keys.py: a repeated key is refused before anything is written, and the whole
-- write rolls back). Each table is copied row for row into one made the same way without its key, which
-- then takes its name; the views read the tables by name and need no change.

create table weekly_return_unkeyed (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        upload_id integer not null
    );
insert into weekly_return_unkeyed
    select week_ending, org_code, measure_code, value, upload_id from weekly_return
    order by week_ending, org_code, measure_code;
drop table weekly_return;
alter table weekly_return_unkeyed rename to weekly_return;

create table org_week_value_unkeyed (
        week_ending date not null,
        org_code varchar not null,
        measure_code varchar not null,
        value double not null,
        units integer not null
    );
insert into org_week_value_unkeyed
    select week_ending, org_code, measure_code, value, units from org_week_value
    order by week_ending, org_code, measure_code;
drop table org_week_value;
alter table org_week_value_unkeyed rename to org_week_value;

create table org_week_receipt_unkeyed (
        week_ending date not null,
        org_code varchar not null,
        first_received_at timestamp not null,
        last_received_at timestamp not null,
        uploads integer not null
    );
insert into org_week_receipt_unkeyed
    select week_ending, org_code, first_received_at, last_received_at, uploads from org_week_receipt
    order by week_ending, org_code;
drop table org_week_receipt;
alter table org_week_receipt_unkeyed rename to org_week_receipt;
