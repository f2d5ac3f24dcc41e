-- Version 6: sign-ins that have been signed out. Streamlit's sign-in cookie stays valid until it expires, so a
-- copied cookie would outlive a sign-out; every page refuses a sign-in listed here (by the ID token's subject
-- and issue time), so signing out ends the session on the server too.

create table if not exists signed_out (
    subject varchar not null,
    issued_at bigint not null,
    signed_out_at timestamp not null,
    primary key (subject, issued_at)
);
