-- The figures an issued pack showed, as shown, with the upload it was built up to.
-- Grain: figure. Params: $pack (pack id).
select f.figure, f.value, f.shown, f.measure_codes, f.first_week, f.last_week, p.last_upload_id
from issued_figure f
join issued_pack p using (pack_id)
where f.pack_id = $pack
order by f.display_order;
