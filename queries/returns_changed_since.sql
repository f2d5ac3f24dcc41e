-- Every return value for the given measures and weeks that differs now from how it stood when upload $upload
-- was the newest: late (no value then), resubmitted (a different value then) or withdrawn (no value now).
-- Built from the return history: a value stood at upload $upload when it was loaded by then and not yet
-- superseded by a later upload.
-- Grain: week, organisation, measure. Params: $upload, $measures (list), $from, $to (week endings).
with as_then as (
    select week_ending, org_code, measure_code, value
    from weekly_return
    where upload_id <= $upload
    union all
    select week_ending, org_code, measure_code, value
    from weekly_return_history
    where upload_id <= $upload and superseded_by_upload_id > $upload
),
then_in_range as (
    select * from as_then
    where measure_code in (select unnest($measures)) and week_ending between $from and $to
),
now_in_range as (
    select week_ending, org_code, measure_code, value, upload_id
    from weekly_return
    where measure_code in (select unnest($measures)) and week_ending between $from and $to
)
select
    coalesce(n.week_ending, t.week_ending) as week_ending,
    coalesce(n.org_code, t.org_code) as org_code,
    o.name as org_name,
    coalesce(n.measure_code, t.measure_code) as measure_code,
    t.value as value_then,
    n.value as value_now,
    case when t.value is null then 'late' when n.value is null then 'withdrawn' else 'resubmitted' end as change,
    n.upload_id
from now_in_range n
full join then_in_range t using (week_ending, org_code, measure_code)
join org o on o.code = coalesce(n.org_code, t.org_code)
where t.value is distinct from n.value
order by org_name, week_ending, measure_code;
