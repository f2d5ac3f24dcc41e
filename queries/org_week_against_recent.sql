-- Each organisation's values for one week beside its own previous weeks, for "what changed".
-- Grain: organisation x reported measure. Params: $week (week ending), $window_start (first earlier week).
with recent as (
    select org_code, measure_code,
           avg(value) as recent_mean, stddev_samp(value) as recent_sd,
           min(value) as recent_min, max(value) as recent_max, count(*) as recent_weeks
    from org_week_value
    where week_ending >= $window_start and week_ending < $week
    group by all
)
select w.org_code, o.name as org_name, o.short_name, o.type as org_type, w.measure_code, w.value,
       r.recent_mean, r.recent_sd, r.recent_min, r.recent_max, coalesce(r.recent_weeks, 0) as recent_weeks
from org_week_value w
join org o on o.code = w.org_code
left join recent r on r.org_code = w.org_code and r.measure_code = w.measure_code
where w.week_ending = $week
order by w.org_code, w.measure_code;
