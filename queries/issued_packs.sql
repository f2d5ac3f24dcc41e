-- The briefing archive: every pack as issued, newest first (the files themselves stay in the table).
-- Grain: issued pack. Params: none.
select pack_id, week_ending, issue_number, issued_at, issued_by, wider_circulation, provisional, last_upload_id,
       data_version, snapshot, file_name, sha256, size_bytes
from issued_pack
order by issued_at desc, pack_id desc;
