-- Every organisation expected to return, with whether its return for the week came on time, late or not at
-- all (the rule is the return_status view's: due by the end of the Tuesday after the week ends), and whether
-- it covers every measure (complete) or only some (partial), and whom to chase for it (empty until the
-- reference data names a contact).
-- Grain: organisation. Params: $week (week ending).
select o.code as org_code, o.name as org_name, o.short_name, o.type as org_type, o.region, o.returns_contact,
       s.first_received_at, s.last_received_at, coalesce(s.uploads, 0) as uploads,
       coalesce(s.receipt_status, 'Missing') as receipt_status,
       coalesce(s.complete, false) as complete, coalesce(s.measures_returned, 0) as measures_returned
from org o
left join return_status s on s.org_code = o.code and s.week_ending = $week
where o.expected_to_return
order by o.type desc, o.name;
