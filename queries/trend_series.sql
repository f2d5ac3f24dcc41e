-- Chosen measures per period and group, for the trend charts. Organisations are summed within a week (a stock
-- with each organisation's latest value carried forward up to 8 weeks: the org_week_figure view); then a flow
-- is summed over the weeks of the period and a stock takes its value in the period's last week.
-- A month or quarter holds the weeks that end in it.
-- Grain: period x group x measure. Params: $period ('week', 'month' or 'quarter'); $split ('national',
-- 'agency', 'region' or 'force'; 'region' counts forces only); $forces (list of force codes, for 'force');
-- $measures (list of measure codes); $from, $to (week endings, inclusive).
with weekly as (
    select r.week_ending, r.measure_code, m.aggregation,
           case $split
               when 'national' then 'All organisations'
               when 'agency' then g.agency_group
               when 'region' then g.rocu_region
               else g.org_name
           end as group_name,
           sum(r.value) as value, count(*) filter (where not r.carried) as returns
    from org_week_figure r
    join org_group g on g.org_code = r.org_code
    join measure m on m.code = r.measure_code
    where r.week_ending between $from and $to
      and r.measure_code in (select unnest($measures))
      and ($split <> 'force' or r.org_code in (select unnest($forces)))
      and ($split <> 'region' or g.type = 'force')
    group by all
),
periods as (
    select *, case when $period = 'week' then week_ending else cast(date_trunc($period, week_ending) as date) end
           as period_start
    from weekly
)
select period_start, group_name, measure_code,
       case when any_value(aggregation) = 'stock' then arg_max(value, week_ending) else sum(value) end as value,
       count(*) as weeks, sum(returns) as returns, max(week_ending) as last_week
from periods
group by period_start, group_name, measure_code
order by period_start, group_name, measure_code;
