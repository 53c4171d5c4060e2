-- Every interaction with a contact, append-only: notes, calls, visits, meetings, e-mails,
-- messages, stage/tag/owner changes, code scans, form submissions, orders, merges.
create table timeline_events (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  contact_id uuid not null,
  type text not null,
  occurred_at timestamptz(3) not null default now(),
  actor_member_id uuid,
  props jsonb not null default '{}',
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- "Per contact, newest first" (the profile's timeline) and "per workspace per day" (reports).
create index timeline_events_contact on timeline_events (workspace_id, contact_id, occurred_at desc, id desc);
create index timeline_events_day on timeline_events (workspace_id, occurred_at);

-- Follow-up tasks with a due time and a reminder the worker delivers as a notification.
create table tasks (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  contact_id uuid not null,
  title text not null,
  notes text,
  due_at timestamptz(3),
  remind_at timestamptz(3),
  reminded_at timestamptz(3),
  assignee_member_id uuid not null,
  status text not null default 'open' check (status in ('open', 'done', 'cancelled')),
  done_at timestamptz(3),
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, assignee_member_id) references members (workspace_id, id)
);
create index tasks_contact on tasks (workspace_id, contact_id, created_at desc);
create index tasks_assignee on tasks (workspace_id, assignee_member_id, status, due_at);
-- The reminder sweep: due reminders not yet sent, across workspaces.
create index tasks_reminders_due on tasks (remind_at) where reminded_at is null and status = 'open' and remind_at is not null;

-- In-app notifications for a member (task reminders now; mentions, assignments later).
create table notifications (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  member_id uuid not null,
  kind text not null,
  title text not null,
  body text,
  link text,
  read_at timestamptz(3),
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
);
create index notifications_member on notifications (workspace_id, member_id, created_at desc, id desc);
create index notifications_unread on notifications (workspace_id, member_id) where read_at is null;
