-- Merging duplicate contacts (数据工厂).
-- A merge keeps enough of the prior state to be undone exactly.
create table contact_merges (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  survivor_id uuid not null,
  merged_ids uuid[] not null,
  snapshot jsonb not null,
  merged_by uuid,
  merged_at timestamptz(3) not null default now(),
  undone_at timestamptz(3),
  primary key (workspace_id, id),
  foreign key (workspace_id, survivor_id) references contacts (workspace_id, id)
);
create index contact_merges_survivor on contact_merges (workspace_id, survivor_id, merged_at desc);

