-- Channels: a workspace's accounts on a provider (src/channels/<type>/), each with its settings,
-- its encrypted credentials, its health and the state of its outbound rate limit.
create table channels (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  type text not null,
  name text not null,
  -- Non-secret settings, validated by the adapter's schema.
  settings jsonb not null default '{}',
  -- AES-256-GCM (version byte, 12-byte nonce, 16-byte tag, ciphertext), bound to (workspace, channel).
  secrets bytea not null,
  enabled boolean not null default true,
  -- The team that serves the channel (assignment and visibility build on it).
  team_id uuid,
  -- Sends per second and burst; null: the adapter's default.
  rate_per_second real check (rate_per_second > 0),
  rate_burst int check (rate_burst >= 1),
  -- Health: the last verified inbound request, and requests refused (bad signature, unreadable body).
  last_event_at timestamptz(3),
  refused_count bigint not null default 0,
  last_refused_at timestamptz(3),
  last_refused_reason text,
  -- Outbound token bucket; a provider's 429 pauses the whole channel until paused_until.
  send_tokens double precision,
  send_refilled_at timestamptz(3),
  send_paused_until timestamptz(3),
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete set null (team_id),
  foreign key (workspace_id, created_by) references members (workspace_id, id) on delete set null (created_by)
);
create unique index channels_name on channels (workspace_id, lower(name));
-- /hooks/<channel id> knows only the id. Not unique on its own: a unique index must include the
-- distribution column on Citus; ids are random UUIDs.
create index channels_hook on channels (id);

-- Built-in roles of existing workspaces gain the inbox permissions (new ones are seeded with them).
update roles set permissions = permissions || array['inbox:read', 'inbox:write', 'channels:manage'] where key in ('owner', 'admin');
update roles set permissions = permissions || array['inbox:read', 'inbox:write'] where key in ('manager', 'agent');
update roles set permissions = permissions || array['inbox:read'] where key = 'viewer';
