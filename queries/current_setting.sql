-- The value a setting was last given (as text; the caller reads it as its kind), or no row when it was never
-- set and its default applies.
-- Grain: setting. Params: $key (the setting's name, e.g. debrief_rate_target).
select value
from setting_history
where key = $key
order by updated_at desc
limit 1;
