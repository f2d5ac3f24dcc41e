-- National totals of every reported measure per week: all organisations that returned, summed.
-- Grain: week_ending x measure. Params: $from, $to (week endings, inclusive).
select r.week_ending, r.measure_code, sum(r.value) as value, count(distinct r.org_code) as organisations
from org_week_value r
where r.week_ending between $from and $to
group by all
order by r.week_ending, r.measure_code;
