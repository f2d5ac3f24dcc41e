-- National status reports in a period whose status differs from the report before them.
-- Grain: status report. Params: $from (exclusive), $to (inclusive) dates.
with ordered as (
    select recommendation, as_of_date, status,
           lag(status) over (partition by recommendation order by as_of_date, recorded_at, id) as previous_status
    from rec_update
    where org_code is null
)
select o.recommendation, r.short_title, o.as_of_date, o.previous_status, o.status
from ordered o
join recommendation r on r.number = o.recommendation
where o.as_of_date > $from and o.as_of_date <= $to
  and o.previous_status is not null and o.previous_status <> o.status
order by o.recommendation, o.as_of_date;
