-- Intelligence packages shared over a period, from each sender (a force's ROCU region, or an agency) to each
-- destination, for the flow diagram.
-- Grain: sender group x destination. Params: $from, $to (week endings).
select g.rocu_region as sender, g.type as sender_type,
       case r.measure_code
           when 'intel_shared_to_nca' then 'National Crime Agency'
           when 'intel_shared_to_ie' then 'Immigration Enforcement'
           when 'intel_shared_to_bf' then 'Border Force'
           else 'Other forces and ROCUs'
       end as destination,
       sum(r.value) as packages
from org_week_value r
join org_group g on g.org_code = r.org_code
where r.week_ending between $from and $to
  and r.measure_code in ('intel_shared_to_nca', 'intel_shared_to_ie', 'intel_shared_to_bf', 'intel_shared_to_forces')
group by all
having sum(r.value) > 0
order by sender, destination;
