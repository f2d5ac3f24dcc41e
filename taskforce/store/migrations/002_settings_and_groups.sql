-- Version 2: settings an administrator changes (targets), kept as an append-only history; and how each
-- organisation is grouped on the pages (by agency, by ROCU region), defined once for every query.

create or replace view org_group as
        select o.code as org_code, o.name as org_name, o.short_name, o.type,
               case when o.type = 'force' then 'Police forces' else o.name end as agency_group,
               case
                   when o.type <> 'force' then o.name
                   when rocu.short_name is not null then rocu.short_name
                   when o.region = 'London' then 'London (no ROCU)'
                   else o.name
               end as rocu_region
        from org o
        left join org rocu on rocu.code = o.rocu_code;

create table if not exists setting_history (
        key varchar not null,
        value varchar not null,
        updated_by varchar not null,
        updated_at timestamp not null
    );
