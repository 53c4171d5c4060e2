-- Segments: named sets of contacts. A dynamic segment is a definition (definition.ts) whose
-- members are kept current incrementally; a static one is a frozen list (a snapshot).
create table segments (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  kind text not null check (kind in ('dynamic', 'static')),
  name text not null,
  description text,
  -- The definition; for a static segment, the one it was frozen from (if any), for reference.
  definition jsonb,
  -- What the definition reads (definition.ts dependenciesOf): a change re-evaluates only the
  -- dynamic segments whose keys it touches, for the contacts it concerns.
  deps text[] not null default '{}',
  -- building: the first (or a redefined) full evaluation has not finished; invalid: the
  -- definition no longer compiles (a custom field it reads was deleted), see `error`.
  status text not null default 'building' check (status in ('building', 'ready', 'invalid')),
  error text,
  build_job_id uuid,
  member_count int not null default 0,
  built_at timestamptz(3),
  -- For a snapshot: the segment it was copied from and when.
  source_segment_id uuid,
  snapshot_at timestamptz(3),
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, created_by) references members (workspace_id, id) on delete set null (created_by)
);
create unique index segments_name on segments (workspace_id, lower(name));
-- "Which dynamic segments read X": the incremental path's first question for every change.
create index segments_deps on segments using gin (deps) where kind = 'dynamic';

create table segment_members (
  workspace_id uuid not null,
  segment_id uuid not null,
  contact_id uuid not null,
  entered_at timestamptz(3) not null default now(),
  primary key (workspace_id, segment_id, contact_id),
  foreign key (workspace_id, segment_id) references segments (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- A contact's segments (the profile) and the cascade from a purged contact.
create index segment_members_contact on segment_members (workspace_id, contact_id);
-- The member list, newest members first, by keyset.
create index segment_members_newest on segment_members (workspace_id, segment_id, entered_at desc, contact_id desc);

-- The size of each segment at the end of each day (of the workspace's time zone); today's row
-- is rewritten with every change.
create table segment_size_history (
  workspace_id uuid not null,
  segment_id uuid not null,
  day date not null,
  size int not null,
  primary key (workspace_id, segment_id, day),
  foreign key (workspace_id, segment_id) references segments (workspace_id, id) on delete cascade
);

-- Behaviour conditions ("did order ≥ 2 times in the last 90 days") count one type of event in a
-- time window per contact. This index answers that with an index-only scan of the window, where
-- the per-contact and per-day indexes of timeline_events would read every event in the window or
-- every event of every contact (queries/compile.ts, bench/benchmarks/segments.ts).
create index timeline_events_type_time on timeline_events (workspace_id, type, occurred_at) include (contact_id);

-- Built-in roles of existing workspaces gain the segment permissions (new ones are seeded with them).
update roles set permissions = permissions || array['segments:read', 'segments:write'] where key in ('owner', 'admin', 'manager');
update roles set permissions = permissions || array['segments:read'] where key in ('agent', 'viewer');
