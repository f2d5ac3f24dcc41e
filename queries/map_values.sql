-- Each force's value of chosen reported measures over a period: a flow summed over the weeks, a stock its
-- latest reported value; with the number of weeks the force returned in the period. A stock last reported more
-- than 8 weeks before the period's end is no longer counted (no row), the same cap as the carry-forward in the
-- org_week_figure view (migration 007).
-- Grain: force x measure. Params: $measures (list of measure codes); $from, $to (week endings, inclusive).
with chosen as (
    select r.org_code, r.measure_code, m.aggregation, r.week_ending, r.value
    from org_week_value r
    join measure m on m.code = r.measure_code
    join org o on o.code = r.org_code
    where o.type = 'force' and r.week_ending between $from and $to
      and r.measure_code in (select unnest($measures))
)
select org_code, measure_code,
       case when any_value(aggregation) = 'stock' then arg_max(value, week_ending) else sum(value) end as value,
       count(distinct week_ending) as weeks_reported
from chosen
group by all
having any_value(aggregation) <> 'stock' or max(week_ending) + interval 56 day >= $to
order by org_code, measure_code;
