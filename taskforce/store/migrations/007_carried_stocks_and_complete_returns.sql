-- Version 7: two rules a statistician asked for, written once for every query.
--
-- org_week_figure: each organisation's figure for each week the series holds. A flow (arrests, charges...) is
-- what the organisation returned for that week. A stock (crime groups mapped, officers trained) is its latest
-- returned value, carried forward for up to 8 weeks when a return is missed and flagged as carried
-- (`carried`, with `reported_week`): a missing return never reads as a fall. After 8 weeks without a return
-- the stock is no longer counted.
--
-- return_status gains completeness: a return is complete when it covers every measure an organisation
-- reports each week (every reported measure); one that covers only some is partial.

create or replace view org_week_figure as
with stock as (
    select v.week_ending, v.org_code, v.measure_code, v.value,
           lead(v.week_ending) over (partition by v.org_code, v.measure_code order by v.week_ending) as next_week
    from org_week_value v join measure m on m.code = v.measure_code
    where m.aggregation = 'stock'
),
series as (
    select max(week_ending) as last_week from org_week_value
),
carried as (
    -- The weeks after a stock's return and before its next one, at most 8 of them, up to the series' end.
    select cast(c.week as date) as week_ending, s.org_code, s.measure_code, s.value, true as carried,
           s.week_ending as reported_week
    from stock s, series,
         unnest(generate_series(s.week_ending + interval 7 day,
                                least(coalesce(s.next_week - interval 7 day, series.last_week),
                                      s.week_ending + interval 56 day, series.last_week),
                                interval 7 day)) as c(week)
)
select week_ending, org_code, measure_code, value, false as carried, week_ending as reported_week
from org_week_value
union all
select week_ending, org_code, measure_code, value, carried, reported_week from carried;

create or replace view return_status as
    select r.week_ending, r.org_code, r.first_received_at, r.last_received_at, r.uploads,
           r.uploads > 1 as resubmitted,
           case when r.first_received_at < r.week_ending + interval 3 day then 'On time' else 'Late' end
               as receipt_status,
           coalesce(c.measures, 0) as measures_returned,
           coalesce(c.measures, 0) >= (select count(*) from measure where kind in ('count', 'money')) as complete
    from org_week_receipt r
    left join (
        select week_ending, org_code, count(*) as measures from org_week_value group by all
    ) c using (week_ending, org_code);
