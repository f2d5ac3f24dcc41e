-- The problems recorded for one upload, in file order.
-- Grain: problem. Params: $upload_id.
select row_number, column_name, value, message
from upload_error
where upload_id = $upload_id
order by row_number nulls first, column_name;
