-- Every organisation in the reference data with its region, ROCU, population and its source.
-- Grain: organisation. Params: none.
select o.code, o.name, o.short_name, o.type, o.region, r.short_name as rocu, o.nation, o.ons_code,
       o.population, o.population_year, o.population_source, o.latlon_estimated, o.expected_to_return
from org o
left join org r on r.code = o.rocu_code
order by case o.type when 'force' then 1 when 'rocu' then 2 else 3 end, o.name;
