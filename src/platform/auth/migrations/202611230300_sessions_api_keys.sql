-- Console sessions. The cookie carries a random token; only its hash is stored.
create table sessions (
  id text primary key,
  user_id uuid not null references users (id) on delete cascade,
  active_workspace_id uuid references workspaces (id) on delete set null,
  csrf_token text not null,
  created_at timestamptz(3) not null default now(),
  expires_at timestamptz(3) not null,
  last_seen_at timestamptz(3) not null default now()
);
create index sessions_user on sessions (user_id);

-- API keys act as the member who created them, limited to their scopes.
create table api_keys (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  owner_member_id uuid not null,
  name text not null,
  prefix text not null,
  key_hash text not null,
  scopes text[] not null,
  expires_at timestamptz(3),
  last_used_at timestamptz(3),
  revoked_at timestamptz(3),
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, owner_member_id) references members (workspace_id, id)
);
create unique index api_keys_hash on api_keys (key_hash);
create index api_keys_list on api_keys (workspace_id, created_at desc, id desc);
