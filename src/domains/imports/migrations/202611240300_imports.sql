-- Contact imports: the uploaded file, its column → field mapping, the de-duplication policy,
-- and a per-row error report. The import job streams the file and checkpoints by line.
create table imports (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  created_by uuid,
  file_name text not null,
  file_path text not null,
  file_size bigint not null,
  headers text[] not null,
  mapping jsonb,
  policy text not null default 'skip' check (policy in ('skip', 'fill_empty', 'overwrite', 'merge')),
  tag_ids uuid[] not null default '{}',
  status text not null default 'uploaded' check (status in ('uploaded', 'queued', 'running', 'done', 'failed', 'cancelled')),
  job_id uuid,
  rows_total int,
  rows_created int not null default 0,
  rows_updated int not null default 0,
  rows_skipped int not null default 0,
  rows_failed int not null default 0,
  created_at timestamptz(3) not null default now(),
  finished_at timestamptz(3),
  primary key (workspace_id, id)
);
create index imports_newest on imports (workspace_id, created_at desc, id desc);

create table import_errors (
  workspace_id uuid not null,
  import_id uuid not null,
  line int not null,
  column_name text not null,
  reason text not null,
  primary key (workspace_id, import_id, line, column_name),
  foreign key (workspace_id, import_id) references imports (workspace_id, id) on delete cascade
);

-- The last mapping used for a set of headers, offered again next time.
create table import_mappings (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  headers_key text not null,
  mapping jsonb not null,
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, headers_key)
);
