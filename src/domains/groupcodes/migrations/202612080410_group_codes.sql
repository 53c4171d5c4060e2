-- Group codes (群活码): one short link /g/<slug> in front of several groups; each scan is given the
-- first group (by position) that is neither full nor at its daily cap, so the link keeps working
-- as groups fill up and new groups are added while it is live.

create table group_codes (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- Generated, url-safe (as live codes' slugs).
  slug text not null check (slug ~ '^[a-z0-9]{12}$'),
  -- Added to whoever joins one of the code's groups.
  tag_ids uuid[] not null default '{}',
  enabled boolean not null default true,
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id)
);
create unique index group_codes_slug_per_workspace on group_codes (workspace_id, slug);
-- The public link finds its code by the slug alone.
create index group_codes_slug on group_codes (slug);
create index group_codes_list on group_codes (workspace_id, created_at desc, id desc);

create table group_code_groups (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  code_id uuid not null,
  position int not null,
  name text not null check (length(name) between 1 and 200),
  -- How a visitor joins: an invite link (Telegram t.me/+…, LINE, WhatsApp chat.whatsapp.com/…),
  -- or the group's own QR image (a WeChat group's, uploaded; it is valid until expires_on).
  join_url text check (length(join_url) between 1 and 2000),
  qr_image bytea check (octet_length(qr_image) <= 524288),
  qr_image_type text check (qr_image_type in ('image/png', 'image/jpeg')),
  expires_on date,
  capacity int not null check (capacity between 1 and 100000),
  daily_cap int check (daily_cap between 1 and 100000),
  -- Members the group had when it was added (or as last set by hand).
  members int not null default 0 check (members >= 0),
  -- The group's inbox conversation, when the channel reports its joins and leaves: it is then
  -- filled by its members; otherwise each scan is presumed to join.
  conversation_id uuid,
  enabled boolean not null default true,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  check ((join_url is null) <> (qr_image is null)),
  check ((qr_image is null) = (qr_image_type is null)),
  foreign key (workspace_id, code_id) references group_codes (workspace_id, id) on delete cascade,
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete set null (conversation_id)
);
create index group_code_groups_code on group_code_groups (workspace_id, code_id, position);
create index group_code_groups_conversation on group_code_groups (workspace_id, conversation_id) where conversation_id is not null;

-- Scans per group and local day (group_id null: every group was full), bumped under the code's
-- row lock so daily caps stay exact.
create table group_code_picks (
  workspace_id uuid not null,
  code_id uuid not null,
  day date not null,
  -- The nil uuid for "no group": part of the key, so not null.
  group_id uuid not null,
  picks int not null,
  primary key (workspace_id, code_id, day, group_id),
  foreign key (workspace_id, code_id) references group_codes (workspace_id, id) on delete cascade
);
create index group_code_picks_group on group_code_picks (workspace_id, group_id);

-- Who joined a linked group (once per contact; a re-join after leaving clears left_on).
create table group_code_joins (
  workspace_id uuid not null,
  group_id uuid not null,
  contact_id uuid not null,
  code_id uuid not null,
  joined_on date not null,
  left_on date,
  primary key (workspace_id, group_id, contact_id),
  foreign key (workspace_id, group_id) references group_code_groups (workspace_id, id) on delete cascade
);
create index group_code_joins_code on group_code_joins (workspace_id, code_id, joined_on);
