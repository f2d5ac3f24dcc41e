-- Key measures over a period for one force, its ROCU region and the nation (forces only), with population,
-- for the force profile: flows summed over the weeks, stocks at their latest reported week.
-- With each area's smallest non-zero force figure, so that for wider circulation a region's total is hidden
-- where it, less the forces shown elsewhere, would give away a force's small count.
-- Grain: area (force, region, national) x measure. Params: $org (force code); $measures (list); $from, $to.
with force_info as (
    select g.rocu_region from org_group g where g.org_code = $org
),
chosen as (
    select r.org_code, g.rocu_region, r.measure_code, m.aggregation, r.week_ending, r.value
    from org_week_value r
    join org_group g on g.org_code = r.org_code
    join measure m on m.code = r.measure_code
    where g.type = 'force' and r.week_ending between $from and $to and r.measure_code in (select unnest($measures))
),
per_force as (
    select org_code, rocu_region, measure_code,
           case when any_value(aggregation) = 'stock' then arg_max(value, week_ending) else sum(value) end as value
    from chosen group by all
),
populations as (
    select 'force' as area, sum(o.population) as population from org o where o.code = $org
    union all
    select 'region', sum(o.population) from org o join org_group g on g.org_code = o.code
    where g.type = 'force' and g.rocu_region = (select rocu_region from force_info)
    union all
    select 'national', sum(o.population) from org o where o.type = 'force'
)
select v.area, v.measure_code, v.value, v.smallest_force_value, p.population
from (
    select 'force' as area, measure_code, sum(value) as value, min(value) filter (value > 0) as smallest_force_value
    from per_force where org_code = $org group by all
    union all
    select 'region', measure_code, sum(value), min(value) filter (value > 0) from per_force
    where rocu_region = (select rocu_region from force_info) group by all
    union all
    select 'national', measure_code, sum(value), min(value) filter (value > 0) from per_force group by all
) v
join populations p on p.area = v.area
order by v.area, v.measure_code;
