-- What is loaded: whether this is a demo database (synthetic returns: a sandbox, whatever is uploaded to it)
-- or a live one, whether any real return has been committed, and the span of the data. A database made before
-- its kind was recorded is a demo when any committed upload came from the demo generator. Read from the
-- rollups (org_week_value: `units` counts the live values summed into each row), never the raw returns, so a
-- page load costs the same at any scale.
-- Grain: one row. Params: none.
select coalesce(
           (select value = 'demo' from meta where key = 'database_kind'),
           exists (select 1 from upload where is_demo and status = 'committed')
       ) as demo_loaded,
       (select value from meta where key = 'demo_as_of') as demo_as_of,
       (select min(week_ending) from org_week_value) as first_week,
       (select max(week_ending) from org_week_value) as last_week,
       (select max(received_at) from upload where status = 'committed') as last_received_at,
       (select coalesce(sum(units), 0) from org_week_value) as live_values,
       exists (select 1 from recommendation where illustrative) as illustrative_recommendations,
       exists (select 1 from upload where not is_demo and status = 'committed') as real_data_loaded;
