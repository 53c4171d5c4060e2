-- Live codes' rules beyond rotation: when each staff member is on duty, special periods (holidays,
-- events) with their own staff, exclusive mode (a returning visitor goes back to their staff
-- member), names that get no welcome; and, for the stats, when an arrival left again.

-- Shifts in the workspace's time zone, as business hours are written: [{ "day": 0-6 (Sunday 0), "open": "HH:MM", "close": "HH:MM" }];
-- null: on duty at all hours.
alter table live_code_staff add column hours jsonb;

-- [{ "name", "from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "staff": [{ "memberId", "dailyCap" }] }]: on
-- those local days the period's staff replace the pool (the backups stay).
alter table live_codes add column periods jsonb not null default '[]';
alter table live_codes add column exclusive boolean not null default false;
-- An arrival whose name contains one of these (case-insensitive) gets no welcome message.
alter table live_codes add column welcome_blocked_names text[] not null default '{}';

-- `returning`: exclusive mode sent the visitor back to the staff member they had.
alter table live_code_scans drop constraint live_code_scans_outcome_check;
alter table live_code_scans add constraint live_code_scans_outcome_check check (outcome in ('staff', 'backup', 'no_staff_available', 'returning'));

-- The contact unfollowed or removed the staff member after arriving (churn, net adds per day).
alter table live_code_adds add column left_on date;
create index live_code_adds_left on live_code_adds (workspace_id, code_id, left_on) where left_on is not null;
