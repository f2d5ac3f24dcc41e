-- What is loaded: whether this is a demo database (synthetic returns: a sandbox, whatever is uploaded to it)
-- or a live one, whether any real return has been committed, and the span of the data. A database made before
-- its kind was recorded is a demo when any live value came from the demo generator.
-- Grain: one row. Params: none.
select coalesce(
           (select value = 'demo' from meta where key = 'database_kind'),
           exists (select 1 from weekly_return r join upload u on u.id = r.upload_id where u.is_demo)
       ) as demo_loaded,
       (select value from meta where key = 'demo_as_of') as demo_as_of,
       (select min(week_ending) from weekly_return) as first_week,
       (select max(week_ending) from weekly_return) as last_week,
       (select max(received_at) from upload where status = 'committed') as last_received_at,
       (select count(*) from weekly_return) as live_values,
       exists (select 1 from recommendation where illustrative) as illustrative_recommendations,
       exists (select 1 from upload where not is_demo and status = 'committed') as real_data_loaded;
