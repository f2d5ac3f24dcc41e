-- The milestones of one recommendation, with whether each was met late or is overdue on a date.
-- Grain: milestone. Params: $number (recommendation number), $as_of (date).
select m.seq, m.title, m.due_date,
       case when m.completed_date <= $as_of then m.completed_date end as completed_date,
       case
           when m.completed_date <= $as_of and m.completed_date <= m.due_date then 'Met on time'
           when m.completed_date <= $as_of then 'Met late'
           when m.due_date < $as_of then 'Overdue'
           else 'Not yet due'
       end as milestone_status
from milestone m
where m.recommendation = $number
order by m.seq;
