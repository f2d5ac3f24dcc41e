-- The forces with what the maps need: short name, ONS code, ROCU region, population and centroid.
-- Grain: force. Params: none.
select o.code as org_code, o.name as org_name, o.short_name, o.ons_code, g.rocu_region, o.population,
       o.lat, o.lon
from org o
join org_group g on g.org_code = o.code
where o.type = 'force'
order by o.name;
