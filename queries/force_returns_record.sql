-- One organisation's weekly returns record: on time, late or missing, and how many uploads, for each week in
-- a range that has any returns (the rule is the return_status view's).
-- Grain: week. Params: $org (organisation code); $from, $to (week endings).
with weeks as (
    select distinct week_ending from org_week_value where week_ending between $from and $to
)
select w.week_ending, s.first_received_at, coalesce(s.uploads, 0) as uploads,
       coalesce(s.receipt_status, 'Missing') as receipt_status
from weeks w
left join return_status s on s.week_ending = w.week_ending and s.org_code = $org
order by w.week_ending;
