-- Every action agreed at the briefing as it stands now, with its owner's name and when it last changed.
-- Grain: action. Params: none (overdue is worked out in Python as at the data-up-to date).
select a.action_id, a.what, a.owner_org, coalesce(o.name, a.owner_org) as owner_name, a.owner_role, a.due_date,
       a.follows_kind, a.follows_ref, a.status, a.agreed_week, a.recorded_by, a.recorded_at,
       max(c.note_date) as last_note_date,
       max(case when c.status_after = 'Done' and c.status_before is distinct from 'Done' then c.note_date end)
           as done_on
from briefing_action a
left join org o on o.code = a.owner_org
left join briefing_action_change c on c.action_id = a.action_id
group by all
order by a.due_date, a.action_id;
