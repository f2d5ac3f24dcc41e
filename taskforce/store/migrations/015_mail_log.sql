-- Every message the digest and the reminders sent or were refused: to whom, what, when, the server's answer and
-- how many attempts it took (a failed send is tried once more). Appended, never rewritten; administrators see it.
create sequence if not exists mail_log_id;

create table if not exists mail_log (
        mail_id integer primary key default nextval('mail_log_id'),
        attempted_at timestamp not null,
        kind varchar not null check (kind in ('digest', 'reminder')),
        recipient varchar not null,
        subject varchar not null,
        outcome varchar not null check (outcome in ('sent', 'refused', 'not sent')),
        answer varchar not null,
        attempts integer not null,
        attachment varchar
    );
