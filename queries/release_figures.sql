-- Every organisation's weekly figure of every reported measure over a span of weeks, as the release protects it:
-- flows as returned, stocks carried forward (up to 8 weeks) from the week they were reported.
-- Grain: week_ending x organisation x measure. Params: $from, $to (week endings, inclusive).
select f.week_ending, f.org_code, f.measure_code, f.value, f.reported_week
from org_week_figure f
where f.week_ending between $from and $to
order by f.week_ending, f.org_code, f.measure_code;
