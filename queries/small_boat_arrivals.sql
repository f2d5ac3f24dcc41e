-- The real Home Office series of people detected crossing the Channel in small boats, by month, with
-- whether each month is official, provisional or partial: the shared dataset, read in place.
-- Grain: month. Params: $from, $to (dates).
select month, people, boats, status, source
from shared.small_boat_arrivals
where month between cast(date_trunc('month', cast($from as date)) as date) and $to
order by month;
