-- Recommendations and milestones due in a window and not yet done, for the briefing.
-- Grain: recommendation or milestone. Params: $from (exclusive), $to (inclusive) dates.
select 'Recommendation' as kind, r.number as recommendation, r.short_title as title, r.due_date
from recommendation r
where r.due_date > $from and r.due_date <= $to
  and coalesce((select u.status from rec_update u where u.recommendation = r.number and u.org_code is null
                and u.as_of_date <= $from order by u.as_of_date desc, u.recorded_at desc, u.id desc limit 1), '')
      <> 'Complete'
union all
select 'Milestone', m.recommendation, m.title, m.due_date
from milestone m
where m.due_date > $from and m.due_date <= $to and (m.completed_date is null or m.completed_date > $from)
order by due_date, recommendation;
