-- Who to chase for an organisation's weekly return (a name, a team mailbox or a telephone number), from the
-- reference data. Empty until the reference data holds one; the returns chase list shows it when it does.
alter table org add column if not exists returns_contact varchar;
