-- The audit log of uploads, newest first: who loaded what, when, and what happened. Demo uploads left out.
-- Grain: upload. Params: $limit (number of uploads).
select id, received_at, uploaded_by, file_name, sha256, size_bytes, status, rows_accepted, rows_rejected, message
from upload
where not is_demo
order by received_at desc, id desc
limit $limit;
