-- How much late returns added to each week: every measure's national sum over the returns as they stood at the
-- week's due time (the end of the Tuesday after the Sunday it ends: week ending + $due_days days), against the
-- sum now. A value stood at the due time when its upload was received by then and it was not yet superseded
-- (weekly_return_history keeps every superseded value with the time it was superseded).
-- Grain: week_ending x measure. Params: $measures (list), $from, $to (week endings), $due_days (integer).
with stood_at_due as (
    select r.week_ending, r.measure_code, r.value
    from weekly_return r join upload u on u.id = r.upload_id
    where u.received_at < r.week_ending + to_days(cast($due_days as integer))
    union all
    select h.week_ending, h.measure_code, h.value
    from weekly_return_history h join upload u on u.id = h.upload_id
    where u.received_at < h.week_ending + to_days(cast($due_days as integer))
      and h.superseded_at >= h.week_ending + to_days(cast($due_days as integer))
),
at_due as (
    select week_ending, measure_code, sum(value) as value_at_due
    from stood_at_due
    where measure_code in (select unnest($measures)) and week_ending between $from and $to
    group by all
),
now as (
    select week_ending, measure_code, sum(value) as value_now
    from weekly_return
    where measure_code in (select unnest($measures)) and week_ending between $from and $to
    group by all
)
select coalesce(n.week_ending, d.week_ending) as week_ending,
       coalesce(n.measure_code, d.measure_code) as measure_code,
       coalesce(d.value_at_due, 0) as value_at_due,
       coalesce(n.value_now, 0) as value_now
from now n
full join at_due d using (week_ending, measure_code)
order by week_ending, measure_code;
