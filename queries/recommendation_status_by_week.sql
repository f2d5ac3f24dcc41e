-- How many recommendations stood in each status at the end of each week (latest national report on or
-- before the week ending; none yet counts as Not started).
-- Grain: week_ending x status. Params: $from, $to (week endings).
with weeks as (
    select cast(week_ending as date) as week_ending
    from range(cast($from as date), cast($to as date) + interval 1 day, interval 7 day) as t(week_ending)
),
national as (
    select recommendation, as_of_date, status, recorded_at, id from rec_update where org_code is null
),
latest as (
    select w.week_ending, r.number as recommendation,
           arg_max(n.status, (n.as_of_date, n.recorded_at, n.id)) as status
    from weeks w
    cross join recommendation r
    left join national n on n.recommendation = r.number and n.as_of_date <= w.week_ending
    group by all
)
select week_ending, coalesce(status, 'Not started') as status, count(*) as recommendations
from latest
group by all
order by week_ending, status;
