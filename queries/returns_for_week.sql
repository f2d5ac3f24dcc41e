-- Every organisation expected to return, with whether its return for the week came on time, late or not
-- at all. Due by the end of the Tuesday after the week ends (week ending + 2 days).
-- Grain: organisation. Params: $week (week ending).
select o.code as org_code, o.name as org_name, o.short_name, o.type as org_type, o.region,
       rr.first_received_at, rr.last_received_at, coalesce(rr.uploads, 0) as uploads,
       case
           when rr.first_received_at is null then 'Missing'
           when rr.first_received_at < cast($week as date) + interval 3 day then 'On time'
           else 'Late'
       end as receipt_status
from org o
left join org_week_receipt rr on rr.org_code = o.code and rr.week_ending = $week
where o.expected_to_return
order by o.type desc, o.name;
