-- The newest upload the snapshot holds (0 before any): with the data version, what a pack was built from.
-- Grain: one row. Params: none.
select coalesce(max(id), 0) as last_upload_id
from upload;
