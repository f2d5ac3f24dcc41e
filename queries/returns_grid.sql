-- Every organisation that owes a return against each week in a range: on time, late, resubmitted (more
-- than one upload) or missing. Due by the end of the Tuesday after the week ends.
-- Grain: organisation x week. Params: $from, $to (week endings).
with weeks as (
    select cast(range as date) as week_ending
    from range(cast($from as date), cast($to as date) + interval 1 day, interval 7 day)
)
select o.code as org_code, o.name as org_name, o.type as org_type, w.week_ending,
       rr.first_received_at,
       case
           when rr.first_received_at is null then 'Missing'
           when rr.uploads > 1 then 'Resubmitted'
           when rr.first_received_at < w.week_ending + interval 3 day then 'On time'
           else 'Late'
       end as receipt_status
from org o
cross join weeks w
left join org_week_receipt rr on rr.org_code = o.code and rr.week_ending = w.week_ending
where o.expected_to_return
order by o.type desc, o.name, w.week_ending;
