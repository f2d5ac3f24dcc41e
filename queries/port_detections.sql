-- People Border Force found concealed at each port, in the chosen weeks and in the same number of weeks just
-- before, from the shared dataset (read in place; see the Data catalogue). Grain: port.
-- Params: $from, $to (the chosen weeks), $before_from, $before_to (the weeks before).
select d.port,
       o.name as force_name,
       coalesce(sum(d.people_detected) filter (where d.week_ending between $from and $to), 0) as people,
       coalesce(sum(d.vehicles) filter (where d.week_ending between $from and $to), 0) as vehicles,
       coalesce(sum(d.people_detected) filter (where d.week_ending between $before_from and $before_to), 0)
           as people_before,
       count(distinct d.week_ending) filter (where d.week_ending between $from and $to) as weeks_reported,
       count(distinct d.week_ending) filter (where d.week_ending between $before_from and $before_to)
           as weeks_before_reported
from shared.border_force_port_detections d
left join org o on o.code = d.force_code
group by d.port, o.name
order by people desc, d.port;
