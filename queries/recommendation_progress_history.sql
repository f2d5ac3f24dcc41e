-- Percent complete reported nationally over time for every recommendation, for the forecast.
-- Grain: status report. Params: $as_of (date).
select recommendation, as_of_date, percent_complete, status
from rec_update
where org_code is null and as_of_date <= $as_of
order by recommendation, as_of_date, recorded_at, id;
