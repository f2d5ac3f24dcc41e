-- National totals of every reported measure per week: flows as returned, stocks with each organisation's
-- latest value carried forward (up to 8 weeks, the org_week_figure view), so a missed return is not a fall.
-- Grain: week_ending x measure. Params: $from, $to (week endings, inclusive).
select f.week_ending, f.measure_code, sum(f.value) as value,
       count(distinct f.org_code) filter (where not f.carried) as organisations,
       count(distinct f.org_code) filter (where f.carried) as carried_organisations
from org_week_figure f
where f.week_ending between $from and $to
group by all
order by f.week_ending, f.measure_code;
