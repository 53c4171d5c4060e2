-- Channel live codes (渠道活码): a short link /c/<slug> in front of a channel (or a web landing
-- page) that picks a staff member at scan time; the scans, the per-member daily pick counters
-- that keep caps exact, and the contacts each code brought (attribution, once per contact).

create table live_codes (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- Generated, url-safe, and the source parameter the channel hands back (Telegram /start
  -- payload ≤ 64, WeCom State ≤ 30, official-account scene_str ≤ 64 characters).
  slug text not null check (slug ~ '^[a-z0-9]{12}$'),
  -- Exactly one target: a channel of the workspace, or a web landing page.
  channel_id uuid,
  landing_url text check (length(landing_url) between 1 and 2000),
  strategy text not null check (strategy in ('round_robin', 'weighted', 'least_loaded')),
  -- The round robin's cursor: the pool position after the last member it chose.
  rr_cursor int not null default 0,
  tag_ids uuid[] not null default '{}',
  welcome_message text check (length(welcome_message) between 1 and 2000),
  enabled boolean not null default true,
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  check ((channel_id is null) <> (landing_url is null)),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);
create unique index live_codes_slug_per_workspace on live_codes (workspace_id, slug);
-- The public link names no workspace: /c/<slug> finds its code by the slug alone (12 random
-- characters of [a-z0-9], about 62 bits, so slugs of different workspaces do not meet).
create index live_codes_slug on live_codes (slug);
create index live_codes_list on live_codes (workspace_id, created_at desc, id desc);

-- The staff pool: members in rotation (by position), and backups used when all of them are capped.
create table live_code_staff (
  workspace_id uuid not null,
  code_id uuid not null,
  member_id uuid not null,
  position int not null,
  backup boolean not null default false,
  weight int not null default 1 check (weight between 1 and 1000),
  -- Picks a day (in the workspace's time zone); null is no cap.
  daily_cap int check (daily_cap between 1 and 1000000),
  primary key (workspace_id, code_id, member_id),
  foreign key (workspace_id, code_id) references live_codes (workspace_id, id) on delete cascade,
  foreign key (workspace_id, member_id) references members (workspace_id, id) on delete cascade
);

-- Picks per code, member and local day: read and bumped under the code's row lock, so two
-- scans never both take a capped member's last slot.
create table live_code_picks (
  workspace_id uuid not null,
  code_id uuid not null,
  day date not null,
  member_id uuid not null,
  picks int not null default 0,
  primary key (workspace_id, code_id, day, member_id),
  foreign key (workspace_id, code_id) references live_codes (workspace_id, id) on delete cascade
);

-- Every scan of /c/<slug>: who was chosen (null: nobody was available). No IP address is kept;
-- only a hash of the user agent, to tell devices apart in reports.
create table live_code_scans (
  workspace_id uuid not null,
  id bigint generated always as identity,
  code_id uuid not null,
  day date not null,
  scanned_at timestamptz(3) not null default now(),
  member_id uuid,
  outcome text not null check (outcome in ('staff', 'backup', 'no_staff_available')),
  user_agent_hash text,
  primary key (workspace_id, id),
  foreign key (workspace_id, code_id) references live_codes (workspace_id, id) on delete cascade
);
create index live_code_scans_day on live_code_scans (workspace_id, code_id, day);

-- The contacts a code brought, once per contact (a redelivered follow counts nothing more).
-- `attributed`: the code became the contact's source (it had none).
create table live_code_adds (
  workspace_id uuid not null,
  code_id uuid not null,
  contact_id uuid not null,
  day date not null,
  channel_id uuid,
  attributed boolean not null,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, code_id, contact_id),
  foreign key (workspace_id, code_id) references live_codes (workspace_id, id) on delete cascade
);
create index live_code_adds_day on live_code_adds (workspace_id, code_id, day);

-- Built-in roles of existing workspaces gain the live-code permissions (new ones are seeded with them).
update roles set permissions = permissions || array['live-codes:read', 'live-codes:write'] where key in ('owner', 'admin', 'manager');
update roles set permissions = permissions || array['live-codes:read'] where key in ('agent', 'viewer');
