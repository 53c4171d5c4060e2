-- Referral codes (一客一码 / 专属拓客码) and the invite tree: who brought whom, to any depth, over
-- both task-fission invites and referral codes.

-- A programme groups personal codes ("全员营销", "老带新") and names the channel they lead to.
create table referral_programs (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  channel_id uuid not null,
  enabled boolean not null default true,
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);
create index referral_programs_list on referral_programs (workspace_id, created_at desc, id desc);

-- One code per owner and programme: a contact (a customer's 一客一码) or a member (全员营销).
create table referral_codes (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  program_id uuid not null,
  -- 12 random [a-z0-9]; the arrival source is r_<slug> (14 characters, within WeCom State ≤ 30).
  slug text not null check (slug ~ '^[a-z0-9]{12}$'),
  owner_contact_id uuid,
  owner_member_id uuid,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  check ((owner_contact_id is null) <> (owner_member_id is null)),
  foreign key (workspace_id, program_id) references referral_programs (workspace_id, id) on delete cascade,
  foreign key (workspace_id, owner_contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, owner_member_id) references members (workspace_id, id) on delete cascade
);
create unique index referral_codes_slug_per_workspace on referral_codes (workspace_id, slug);
-- The public link finds its code by slug alone (a clash across workspaces resolves to none).
create index referral_codes_slug on referral_codes (slug);
create unique index referral_codes_one_per_contact on referral_codes (workspace_id, program_id, owner_contact_id) where owner_contact_id is not null;
create unique index referral_codes_one_per_member on referral_codes (workspace_id, program_id, owner_member_id) where owner_member_id is not null;
create index referral_codes_list on referral_codes (workspace_id, program_id, created_at desc, id desc);

-- Each open of the public link (no IP address or user agent kept).
create table referral_visits (
  workspace_id uuid not null,
  id bigint generated always as identity,
  code_id uuid not null,
  visited_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, code_id) references referral_codes (workspace_id, id) on delete cascade
);
create index referral_visits_of_code on referral_visits (workspace_id, code_id);

-- Each contact that arrived with the code's source, once per code: new or already known.
create table referral_arrivals (
  workspace_id uuid not null,
  code_id uuid not null,
  contact_id uuid not null,
  arrived_at timestamptz(3) not null default now(),
  primary key (workspace_id, code_id, contact_id),
  foreign key (workspace_id, code_id) references referral_codes (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);

-- The invite tree: one row per invitee, naming who brought them (a contact, or a member for a
-- member's code). One parent per invitee (the key), so the tree is a forest. A parent's row
-- exists before its child's, so each row stores, when inserted, its generation in the whole
-- forest (`depth`: 1 for someone a root brought), its root, and its generation within its own
-- campaign or programme (`scope_depth`) — the reports group by them with no recursion.
create table invite_edges (
  workspace_id uuid not null,
  invitee_contact_id uuid not null,
  inviter_contact_id uuid,
  inviter_member_id uuid,
  root_contact_id uuid,
  root_member_id uuid,
  depth int not null check (depth >= 1),
  -- fission: a task-fission invite (scope = its campaign); referral: a referral code (scope = its programme).
  source text not null check (source in ('fission', 'referral')),
  scope_id uuid not null,
  scope_depth int not null check (scope_depth >= 1),
  fission_invite_id uuid,
  referral_code_id uuid,
  -- The invite's state (a fission invite's, mirrored: counted, review, voided, rejected); only
  -- counted invites are valid in the reports.
  status text not null check (status in ('counted', 'review', 'voided', 'rejected')),
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, invitee_contact_id),
  check ((inviter_contact_id is null) <> (inviter_member_id is null)),
  check ((root_contact_id is null) <> (root_member_id is null)),
  check ((source = 'fission') = (fission_invite_id is not null) and (source = 'referral') = (referral_code_id is not null)),
  foreign key (workspace_id, invitee_contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, inviter_contact_id) references contacts (workspace_id, id) on delete cascade,
  foreign key (workspace_id, inviter_member_id) references members (workspace_id, id) on delete cascade,
  foreign key (workspace_id, fission_invite_id) references fission_invites (workspace_id, id) on delete cascade,
  foreign key (workspace_id, referral_code_id) references referral_codes (workspace_id, id) on delete cascade
);
-- Downline walks and the spreaders' reach: children by parent.
create index invite_edges_children on invite_edges (workspace_id, inviter_contact_id) where inviter_contact_id is not null;
create index invite_edges_member_children on invite_edges (workspace_id, inviter_member_id) where inviter_member_id is not null;
-- Re-rooting a subtree whose root got a parent late (events handled out of order).
create index invite_edges_root on invite_edges (workspace_id, root_contact_id) where root_contact_id is not null;
-- A campaign's or programme's report.
create index invite_edges_scope on invite_edges (workspace_id, scope_id, scope_depth);
create index invite_edges_code on invite_edges (workspace_id, referral_code_id) where referral_code_id is not null;
create unique index invite_edges_fission_invite on invite_edges (workspace_id, fission_invite_id) where fission_invite_id is not null;

-- Fission invites made before this migration join the tree (set-based; generations by recursion).
insert into invite_edges (workspace_id, invitee_contact_id, inviter_contact_id, root_contact_id, depth, source, scope_id, scope_depth, fission_invite_id, status, created_at)
with recursive e as (
  select i.workspace_id, i.invitee_contact_id, p.contact_id as inviter, i.campaign_id, i.id, i.status, i.created_at
  from fission_invites i join fission_participants p on p.workspace_id = i.workspace_id and p.id = i.participant_id
  where p.contact_id <> i.invitee_contact_id
), walk as (
  select e.*, e.inviter as root, 1 as depth, 1 as scope_depth
  from e where not exists (select 1 from e parent where parent.workspace_id = e.workspace_id and parent.invitee_contact_id = e.inviter)
  union all
  select c.*, w.root, w.depth + 1, case when c.campaign_id = w.campaign_id then w.scope_depth + 1 else 1 end
  from e c join walk w on c.workspace_id = w.workspace_id and c.inviter = w.invitee_contact_id
)
select workspace_id, invitee_contact_id, inviter, root, depth, 'fission', campaign_id, scope_depth, id, status, created_at from walk;
