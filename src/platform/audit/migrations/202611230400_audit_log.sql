-- Who changed what, when, with the state before and after. Append-only.
create table audit_log (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  at timestamptz(3) not null default now(),
  actor_member_id uuid,
  actor_api_key_id uuid,
  action text not null,
  entity_type text not null,
  entity_id text,
  before jsonb,
  after jsonb,
  request_id text,
  primary key (workspace_id, id)
);
create index audit_log_newest on audit_log (workspace_id, at desc, id desc);
create index audit_log_actor on audit_log (workspace_id, actor_member_id, at desc);
