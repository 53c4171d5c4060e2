-- First response to a POST carrying an Idempotency-Key, replayed for repeats (kept 24 h).
create table idempotency_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  principal text not null,
  key text not null,
  request_hash text not null,
  status_code int,
  response jsonb,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, principal, key)
);
create index idempotency_keys_age on idempotency_keys (created_at);
