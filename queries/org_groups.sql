-- Every organisation with the groups the release adds it up in: its type, its ROCU region (London for the Met and
-- the City; its own name for a force or agency outside the ROCUs).
-- Grain: organisation. Params: none.
select org_code, org_name, type, rocu_region
from org_group
order by org_code;
