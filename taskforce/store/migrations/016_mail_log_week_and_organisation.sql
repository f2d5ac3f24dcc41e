-- Version 16: a reminder is logged with the week it chases and the organisation it chases, so `remind` never
-- sends the same reminder for the same week to the same organisation twice (a digest leaves both empty).
alter table mail_log add column if not exists week_ending date;
alter table mail_log add column if not exists org_code varchar;
