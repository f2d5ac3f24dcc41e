-- One organisation's weekly values of chosen measures, for its sparklines.
-- Grain: week x measure. Params: $org (organisation code); $measures (list); $from, $to (week endings).
select week_ending, measure_code, value
from org_week_value
where org_code = $org and week_ending between $from and $to and measure_code in (select unnest($measures))
order by week_ending, measure_code;
