-- The organisations already sent a reminder for a week (sent, not refused or left unsent), with when it went:
-- `remind` leaves them out, so no organisation is reminded twice of the same week.
-- Grain: organisation. Params: $week (week ending).
select org_code, min(attempted_at) as first_sent_at
from mail_log
where kind = 'reminder' and outcome = 'sent' and week_ending = $week and org_code is not null
group by org_code
order by org_code;
