-- The actions agreed at the weekly briefing, and every change to one (who, when, before, after, a dated note),
-- appended and never rewritten, like the recommendation reports. An action's current state is its row; the
-- first change row records its creation (nothing before).
create sequence if not exists briefing_action_id;

create table if not exists briefing_action (
        action_id integer primary key default nextval('briefing_action_id'),
        what varchar not null,
        owner_org varchar not null,
        owner_role varchar not null,
        due_date date not null,
        follows_kind varchar not null check (follows_kind in ('nothing', 'recommendation', 'measure', 'force')),
        follows_ref varchar,
        status varchar not null check (status in ('Open', 'Done', 'Dropped')),
        agreed_week date not null,
        recorded_by varchar not null,
        recorded_at timestamp not null
    );

create sequence if not exists briefing_action_change_id;

create table if not exists briefing_action_change (
        change_id integer primary key default nextval('briefing_action_change_id'),
        action_id integer not null,
        changed_by varchar not null,
        changed_at timestamp not null,
        note_date date not null,
        note varchar not null,
        status_before varchar,
        status_after varchar not null,
        due_before date,
        due_after date not null
    );
