-- The messages the digest and the reminders sent or were refused, newest first: for administrators.
-- Grain: message and recipient. Params: none.
select attempted_at, kind, recipient, subject, outcome, answer, attempts, attachment
from mail_log
order by attempted_at desc, mail_id desc
limit 500;
