-- Every organisation that owes a return against each week in a range: on time, late, resubmitted (corrected by
-- a later upload), partial (some measures only) or missing. Whether on time is the return_status view's rule.
-- Grain: organisation x week. Params: $from, $to (week endings).
with weeks as (
    select cast(range as date) as week_ending
    from range(cast($from as date), cast($to as date) + interval 1 day, interval 7 day)
)
select o.code as org_code, o.name as org_name, o.type as org_type, w.week_ending,
       s.first_received_at,
       case
           when s.org_code is null then 'Missing'
           when not s.complete then 'Partial'
           when s.resubmitted then 'Resubmitted'
           else s.receipt_status
       end as receipt_status
from org o
cross join weeks w
left join return_status s on s.org_code = o.code and s.week_ending = w.week_ending
where o.expected_to_return
order by o.type desc, o.name, w.week_ending;
