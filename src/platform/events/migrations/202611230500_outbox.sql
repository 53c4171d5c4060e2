-- Domain events, written in the same transaction as the change that caused them.
-- The dispatcher turns each undispatched event into one job per subscribed handler.
create table outbox_events (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id bigint generated always as identity,
  type text not null,
  payload jsonb not null,
  occurred_at timestamptz(3) not null default now(),
  dispatched_at timestamptz(3),
  primary key (workspace_id, id)
);
create index outbox_events_pending on outbox_events (id) where dispatched_at is null;
create index outbox_events_by_type on outbox_events (workspace_id, type, occurred_at desc);
