-- Each recommendation with its latest national status report on or before a date, its milestones and
-- whether it is overdue (past its due date and not complete). No report yet counts as Not started.
-- Grain: recommendation. Params: $as_of (date).
with latest as (
    select recommendation, status, percent_complete, as_of_date,
           row_number() over (
               partition by recommendation order by as_of_date desc, recorded_at desc, id desc
           ) as recency
    from rec_update
    where org_code is null and as_of_date <= $as_of
),
milestones as (
    select recommendation,
           count(*) as milestones,
           count(*) filter (where completed_date <= $as_of) as milestones_met,
           min(due_date) filter (where completed_date is null or completed_date > $as_of) as next_milestone_due
    from milestone
    group by recommendation
)
select r.number, r.short_title, r.text, r.owner, r.addressed_to, r.due_date, r.theme, r.scope,
       r.linked_measures, r.illustrative,
       coalesce(l.status, 'Not started') as status,
       coalesce(l.percent_complete, 0) as percent_complete,
       l.as_of_date as last_update,
       (r.due_date < $as_of and coalesce(l.status, '') <> 'Complete') as overdue,
       coalesce(m.milestones, 0) as milestones,
       coalesce(m.milestones_met, 0) as milestones_met,
       m.next_milestone_due
from recommendation r
left join latest l on l.recommendation = r.number and l.recency = 1
left join milestones m on m.recommendation = r.number
order by r.number;
