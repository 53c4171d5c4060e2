-- Customers: one profile per person across channels.

-- The lifecycle, in order (e.g. 潜在 → 意向 → 成交 → 复购 → 流失).
create table stages (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  color text not null default '#8c8c8c',
  position int not null,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id)
);
create unique index stages_name on stages (workspace_id, lower(name));

-- Custom fields are typed definitions; values live in contacts.custom keyed by `key`.
create table custom_fields (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null,
  type text not null check (type in ('text', 'long_text', 'number', 'money', 'date', 'boolean', 'url', 'single_select', 'multi_select')),
  options text[] not null default '{}',
  required boolean not null default false,
  position int not null,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id)
);
create unique index custom_fields_key on custom_fields (workspace_id, key);

create table contacts (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null default '',
  avatar_url text,
  gender text not null default 'unknown' check (gender in ('male', 'female', 'other', 'unknown')),
  birthday date,
  phone text check (phone ~ '^\+[1-9][0-9]{6,14}$'),
  email text check (email = lower(btrim(email))),
  company text,
  title text,
  city text,
  region text,
  stage_id uuid,
  owner_member_id uuid,
  source_channel text,
  source_code_id uuid,
  referrer_contact_id uuid,
  preferred_channel text,
  influence int check (influence >= 0),
  custom jsonb not null default '{}',
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  last_active_at timestamptz(3),
  deleted_at timestamptz(3),
  merged_into_id uuid,
  primary key (workspace_id, id),
  foreign key (workspace_id, stage_id) references stages (workspace_id, id),
  foreign key (workspace_id, owner_member_id) references members (workspace_id, id),
  foreign key (workspace_id, referrer_contact_id) references contacts (workspace_id, id)
);
-- The default list order (newest first) and the keyset over it; live contacts only.
create index contacts_newest on contacts (workspace_id, created_at desc, id desc) where deleted_at is null;
create index contacts_owner on contacts (workspace_id, owner_member_id) where deleted_at is null;
create index contacts_stage on contacts (workspace_id, stage_id) where deleted_at is null;
create index contacts_phone on contacts (workspace_id, phone) where phone is not null;
create index contacts_email on contacts (workspace_id, email) where email is not null;
create index contacts_deleted on contacts (workspace_id, deleted_at) where deleted_at is not null;

-- Any number of channel identities per contact; one contact per (channel type, external id).
create table contact_identities (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  contact_id uuid not null,
  channel_type text not null check (channel_type in ('wecom', 'wechat_openid', 'wechat_unionid', 'whatsapp', 'telegram', 'line', 'messenger', 'instagram', 'email', 'phone', 'web_visitor', 'sms')),
  external_id text not null,
  display_name text,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create unique index contact_identities_key on contact_identities (workspace_id, channel_type, external_id);
create index contact_identities_contact on contact_identities (workspace_id, contact_id);

-- Consent per channel: the latest state, when and how it was given or withdrawn.
create table contact_consents (
  workspace_id uuid not null,
  contact_id uuid not null,
  channel_type text not null,
  status text not null check (status in ('opt_in', 'opt_out')),
  at timestamptz(3) not null default now(),
  how text not null,
  primary key (workspace_id, contact_id, channel_type),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);

-- Which member is "friends" with the contact on which channel (filled by the channel adapters).
create table staff_relationships (
  workspace_id uuid not null,
  contact_id uuid not null,
  member_id uuid not null,
  channel_type text not null,
  since timestamptz(3) not null default now(),
  removed_by_contact_at timestamptz(3),
  removed_by_staff_at timestamptz(3),
  primary key (workspace_id, contact_id, member_id, channel_type),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, member_id) references members (workspace_id, id)
);
create index staff_relationships_member on staff_relationships (workspace_id, member_id);

create table tag_groups (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  single_choice boolean not null default false,
  position int not null,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id)
);
create unique index tag_groups_name on tag_groups (workspace_id, lower(name));

create table tags (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  group_id uuid not null,
  name text not null,
  color text not null default '#1677ff',
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, group_id) references tag_groups (workspace_id, id) on delete cascade
);
create unique index tags_name on tags (workspace_id, group_id, lower(name));

-- Each assignment records how it came: manual, batch, rule, code, import, merge.
create table contact_tags (
  workspace_id uuid not null,
  contact_id uuid not null,
  tag_id uuid not null,
  source text not null check (source in ('manual', 'batch', 'rule', 'code', 'import', 'merge', 'api')),
  source_ref text,
  added_by uuid,
  added_at timestamptz(3) not null default now(),
  primary key (workspace_id, contact_id, tag_id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, tag_id) references tags (workspace_id, id) on delete cascade
);
-- Tag filters go from the tag to its contacts.
create index contact_tags_by_tag on contact_tags (workspace_id, tag_id, contact_id);

create table saved_views (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  owner_member_id uuid not null,
  name text not null,
  filter jsonb not null,
  sort jsonb,
  columns text[] not null default '{}',
  shared boolean not null default false,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, owner_member_id) references members (workspace_id, id) on delete cascade
);

-- Built-in roles of existing workspaces gain the contact permissions (new ones are seeded with them).
update roles set permissions = permissions || array['contacts:read', 'contacts:write', 'contacts:delete', 'contacts:import', 'contacts:export', 'contacts:merge', 'contact-settings:write']
  where key in ('owner', 'admin');
update roles set permissions = permissions || array['contacts:read', 'contacts:write', 'contacts:delete', 'contacts:import', 'contacts:export', 'contacts:merge']
  where key = 'manager';
update roles set permissions = permissions || array['contacts:read', 'contacts:write'] where key = 'agent';
update roles set permissions = permissions || array['contacts:read'] where key = 'viewer';
