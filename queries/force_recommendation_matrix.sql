-- Every force's latest status on each recommendation addressed to every chief constable, on a date;
-- 'No return' where a force has not reported on it.
-- Grain: force x recommendation. Params: $as_of (date).
with latest as (
    select recommendation, org_code, status, percent_complete, as_of_date,
           row_number() over (
               partition by recommendation, org_code order by as_of_date desc, recorded_at desc, id desc
           ) as recency
    from rec_update
    where org_code is not null and as_of_date <= $as_of
)
select f.code as force_code, f.name as force_name, f.short_name,
       g.rocu_region,
       r.number as recommendation, r.short_title, r.due_date,
       coalesce(l.status, 'No return') as status, l.percent_complete, l.as_of_date as last_update
from org f
cross join recommendation r
join org_group g on g.org_code = f.code
left join latest l on l.recommendation = r.number and l.org_code = f.code and l.recency = 1
where f.type = 'force' and r.scope = 'each_force'
order by rocu_region, f.name, r.number;
