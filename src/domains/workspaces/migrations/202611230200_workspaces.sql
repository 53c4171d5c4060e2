-- The tenant. Every tenant-owned table starts its primary key with workspace_id.
create table workspaces (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  timezone text not null default 'Asia/Shanghai',
  locale text not null default 'zh-CN',
  default_region text not null default 'CN',
  created_at timestamptz(3) not null default now()
);

-- Built-in roles have a key (owner, admin, …) and cannot be deleted; custom roles have none.
create table roles (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  key text,
  name text not null,
  permissions text[] not null,
  data_scope text not null check (data_scope in ('own', 'team', 'team_tree', 'all')),
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id)
);
create unique index roles_key on roles (workspace_id, key) where key is not null;
create unique index roles_name on roles (workspace_id, lower(name));

create table members (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null references users (id),
  role_id uuid not null,
  status text not null default 'active' check (status in ('active', 'deactivated')),
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, role_id) references roles (workspace_id, id)
);
create unique index members_user on members (workspace_id, user_id);
create index members_by_user on members (user_id);

-- Teams nest (departments); parent_id null is a top-level team.
create table teams (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  parent_id uuid,
  name text not null,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, parent_id) references teams (workspace_id, id)
);
create index teams_parent on teams (workspace_id, parent_id);

create table team_members (
  workspace_id uuid not null,
  team_id uuid not null,
  member_id uuid not null,
  primary key (workspace_id, team_id, member_id),
  foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete cascade,
  foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
);
create index team_members_member on team_members (workspace_id, member_id);

-- One-time invitation links; only the token's hash is stored.
create table invitations (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  email text not null check (email = lower(btrim(email))),
  role_id uuid not null,
  team_ids uuid[] not null default '{}',
  token_hash text not null,
  invited_by uuid not null,
  expires_at timestamptz(3) not null,
  accepted_at timestamptz(3),
  revoked_at timestamptz(3),
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, role_id) references roles (workspace_id, id),
  foreign key (workspace_id, invited_by) references members (workspace_id, id)
);
create unique index invitations_token on invitations (token_hash);
