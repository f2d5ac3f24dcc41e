-- Each organisation's totals of chosen flow measures over a period, with its groups, for tables by force.
-- Grain: organisation x measure. Params: $measures (list of measure codes); $from, $to (week endings).
select g.org_code, g.org_name, g.short_name, g.type as org_type, g.agency_group, g.rocu_region,
       r.measure_code, sum(r.value) as value, count(distinct r.week_ending) as weeks
from org_week_value r
join org_group g on g.org_code = r.org_code
where r.week_ending between $from and $to and r.measure_code in (select unnest($measures))
group by all
order by g.org_name, r.measure_code;
