-- Background jobs: a lean FOR UPDATE SKIP LOCKED queue that works on PGlite and on a server.
-- A running job holds a lease (locked_until); a worker that dies lets it lapse and another
-- worker resumes the job from its last checkpoint (state, progress_done).
create table jobs (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  queue text not null default 'within-5s',
  name text not null,
  payload jsonb not null,
  dedupe_key text,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'dead', 'cancelled')),
  attempts int not null default 0,
  max_attempts int not null default 5,
  run_at timestamptz(3) not null default now(),
  locked_by text,
  locked_until timestamptz(3),
  state jsonb,
  progress_done int not null default 0,
  progress_total int,
  result jsonb,
  last_error text,
  created_at timestamptz(3) not null default now(),
  started_at timestamptz(3),
  finished_at timestamptz(3),
  primary key (workspace_id, id)
);
create unique index jobs_dedupe on jobs (workspace_id, dedupe_key) where dedupe_key is not null;
create index jobs_due on jobs (queue, run_at) where status = 'queued';
create index jobs_lapsed on jobs (locked_until) where status = 'running';
create index jobs_list on jobs (workspace_id, created_at desc, id desc);
