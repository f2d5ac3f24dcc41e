-- The national status reports on one recommendation, newest first: the audit trail, never rewritten.
-- Grain: status report. Params: $number (recommendation number).
select u.id, u.as_of_date, u.status, u.percent_complete, u.narrative, u.evidence_url, u.updated_by,
       u.recorded_at
from rec_update u
where u.recommendation = $number and u.org_code is null
order by u.as_of_date desc, u.recorded_at desc, u.id desc;
