-- Automatic assignment and presence: how each team hands out its conversations, and whether each
-- agent is there to take them.

-- Per team. Off until an admin turns it on; no row reads as the defaults.
create table inbox_team_settings (
  workspace_id uuid not null,
  team_id uuid not null,
  auto_assign boolean not null default false,
  mode text not null default 'round_robin' check (mode in ('round_robin', 'least_busy')),
  -- Open conversations an agent may hold before automatic assignment passes them over; null: no cap.
  agent_cap int check (agent_cap >= 1),
  -- Round-robin's place: the next agent is the first (by id) after this one.
  last_assigned_member_id uuid,
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, team_id),
  foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete cascade,
  foreign key (workspace_id, last_assigned_member_id) references members (workspace_id, id) on delete set null (last_assigned_member_id)
);

-- Per member. `status` is what they chose; they are online or away only while `connected` (a
-- console socket within PRESENCE_TIMEOUT_SECONDS; the worker's sweep clears it).
create table agent_presence (
  workspace_id uuid not null,
  member_id uuid not null,
  status text not null default 'online' check (status in ('online', 'away', 'offline')),
  connected boolean not null default false,
  last_seen_at timestamptz(3),
  -- Least-busy's tie-break: among equally loaded agents, the one who waited longest since an assignment.
  last_assigned_at timestamptz(3),
  changed_at timestamptz(3) not null default now(),
  primary key (workspace_id, member_id),
  foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
);
-- The sweep looks across workspaces for sockets that went quiet.
create index agent_presence_connected on agent_presence (last_seen_at) where connected;

-- The queue: a team's unassigned open conversations whose customer waits, first come first served.
create index conversations_queue on conversations (workspace_id, team_id, waiting_since, id)
  where assignee_member_id is null and status = 'open' and waiting_since is not null;
-- An agent's load: their open conversations.
create index conversations_open_load on conversations (workspace_id, assignee_member_id) where status = 'open';

-- Managing assignment (team settings) is a new permission: built-in roles of existing workspaces
-- that manage get it (new workspaces are seeded with it).
update roles set permissions = permissions || array['inbox:manage'] where key in ('owner', 'admin', 'manager') and not permissions @> array['inbox:manage'];
