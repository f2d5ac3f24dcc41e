-- Briefing packs as issued: the file exactly as sent, who issued it and when, its checksum and the data it was
-- built from (every upload up to last_upload_id, at data_version). A week can be issued more than once; each
-- issue is kept, numbered within its week.
create sequence if not exists issued_pack_id;

create table if not exists issued_pack (
        pack_id integer primary key default nextval('issued_pack_id'),
        week_ending date not null,
        issue_number integer not null,
        issued_at timestamp not null,
        issued_by varchar not null,
        wider_circulation boolean not null,
        provisional boolean not null,
        last_upload_id integer not null,
        data_version bigint not null,
        file_name varchar not null,
        sha256 varchar not null,
        size_bytes bigint not null,
        content blob not null,
        unique (week_ending, issue_number)
    );

-- The figures the pack showed, as shown, for "revised since briefing": each with the measures and weeks whose
-- returns it is made from, so a later change can be traced to the returns behind it.
create table if not exists issued_figure (
        pack_id integer not null,
        figure varchar not null,
        value double,
        shown varchar not null,
        measure_codes varchar not null,
        first_week date not null,
        last_week date not null,
        display_order integer not null,
        primary key (pack_id, figure)
    );
