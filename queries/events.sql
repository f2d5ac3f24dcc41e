-- Dated events marked on time charts.
-- Grain: event. Params: none.
select event_date, end_date, label, description, source from event order by event_date;
