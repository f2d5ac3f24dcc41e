-- Every change to the briefing's actions, newest first: the audit trail (who, when, before, after, dated note).
-- Grain: change. Params: none.
select c.change_id, c.action_id, a.what, c.note_date, c.note, c.status_before, c.status_after, c.due_before,
       c.due_after, c.changed_by, c.changed_at
from briefing_action_change c
join briefing_action a on a.action_id = c.action_id
order by c.changed_at desc, c.change_id desc;
