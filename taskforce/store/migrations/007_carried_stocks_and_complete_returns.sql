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
with weeks as (
    select distinct week_ending from org_week_value
),
stock_series as (
    select distinct v.org_code, v.measure_code
    from org_week_value v join measure m on m.code = v.measure_code
    where m.aggregation = 'stock'
),
grid as (
    select w.week_ending, s.org_code, s.measure_code from weeks w cross join stock_series s
),
latest as (
    select g.week_ending, g.org_code, g.measure_code, v.value, v.week_ending as reported_week
    from grid g
    asof left join org_week_value v
        on v.org_code = g.org_code and v.measure_code = g.measure_code and v.week_ending <= g.week_ending
)
select week_ending, org_code, measure_code, value, week_ending <> reported_week as carried, reported_week
from latest
where reported_week is not null and week_ending - reported_week <= 56
union all
select v.week_ending, v.org_code, v.measure_code, v.value, false as carried, v.week_ending as reported_week
from org_week_value v join measure m on m.code = v.measure_code
where m.aggregation = 'flow';

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
