-- The data version: every committed write increases it, and cached results are keyed on it.
-- Grain: one row. Params: none.
select cast(value as bigint) as data_version from meta where key = 'data_version';
