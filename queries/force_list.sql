-- The forces, for pickers, with their ROCU region.
-- Grain: force. Params: none.
select org_code, org_name, short_name, rocu_region from org_group where type = 'force' order by org_name;
