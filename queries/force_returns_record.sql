-- One force's weekly returns record: on time, late, resubmitted or missing, for each week in a range.
-- Due by the end of the Tuesday after the week ends.
-- Grain: week. Params: $org (organisation code); $from, $to (week endings).
with weeks as (
    select distinct week_ending from org_week_value where week_ending between $from and $to
)
select w.week_ending, rr.first_received_at, coalesce(rr.uploads, 0) as uploads,
       case
           when rr.first_received_at is null then 'Missing'
           when rr.first_received_at < w.week_ending + interval 3 day then 'On time'
           else 'Late'
       end as receipt_status
from weeks w
left join org_week_receipt rr on rr.week_ending = w.week_ending and rr.org_code = $org
order by w.week_ending;
