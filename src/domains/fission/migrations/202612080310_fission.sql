-- Task fission (任务宝): campaigns with reward tiers, their participants (each with a personal
-- link and poster), the invites those links bring, and the rewards granted after a hold period.

create table fission_campaigns (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  -- The campaign's own source (arrivals carrying fc_<slug> join it): 12 random [a-z0-9].
  slug text not null check (slug ~ '^[a-z0-9]{12}$'),
  status text not null check (status in ('draft', 'active', 'ended')),
  starts_at timestamptz(3) not null,
  ends_at timestamptz(3) not null,
  -- The channel new friends arrive through (its adapter's entry link carries the source).
  channel_id uuid not null,
  -- Days an invite must survive before a reward is granted, and days in which a removal voids it.
  hold_days int not null check (hold_days between 0 and 90),
  void_days int not null check (void_days between 0 and 365),
  rules_text text not null default '' check (length(rules_text) <= 5000),
  -- Suspicious bursts: this many invites to one inviter from one IP hash within this many minutes go to review.
  burst_count int not null check (burst_count between 2 and 1000),
  burst_minutes int not null check (burst_minutes between 1 and 1440),
  progress_messages boolean not null,
  -- The poster: background (an attachment, stored like the inbox's files) and where things go on it.
  background_attachment_id uuid,
  poster_layout jsonb not null,
  -- Bumped whenever the poster's look changes: part of the cached posters' key.
  poster_version int not null default 1,
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  check (ends_at > starts_at),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade,
  foreign key (workspace_id, background_attachment_id) references attachments (workspace_id, id) on delete set null (background_attachment_id)
);
create unique index fission_campaigns_slug_per_workspace on fission_campaigns (workspace_id, slug);
create index fission_campaigns_list on fission_campaigns (workspace_id, created_at desc, id desc);

-- Goal tiers: invite `goal` people → the tier's reward.
create table fission_tiers (
  workspace_id uuid not null,
  campaign_id uuid not null,
  tier int not null check (tier between 1 and 10),
  goal int not null check (goal between 1 and 100000),
  reward_kind text not null check (reward_kind in ('coupon', 'points', 'custom')),
  reward_name text not null check (length(reward_name) between 1 and 200),
  points int check (points between 1 and 100000000),
  primary key (workspace_id, campaign_id, tier),
  check ((reward_kind = 'points') = (points is not null)),
  foreign key (workspace_id, campaign_id) references fission_campaigns (workspace_id, id) on delete cascade
);

create table fission_participants (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  campaign_id uuid not null,
  contact_id uuid not null,
  -- The personal link's token: 16 random [a-z0-9] (about 82 bits); the arrival source is f_<token>.
  token text not null check (token ~ '^[a-z0-9]{16}$'),
  joined_via text not null check (joined_via in ('api', 'link')),
  joined_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, campaign_id) references fission_campaigns (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create unique index fission_participants_one_per_contact on fission_participants (workspace_id, campaign_id, contact_id);
-- The public link finds its participant by token alone.
create unique index fission_participants_token on fission_participants (token);

-- Each visit of a personal link: hashes only (no IP address, no user agent kept).
create table fission_visits (
  workspace_id uuid not null,
  id bigint generated always as identity,
  participant_id uuid not null,
  visited_at timestamptz(3) not null default now(),
  ip_hash text,
  user_agent_hash text,
  -- The invite this visit was matched to (the burst check reads the visit's IP hash).
  invite_id uuid,
  primary key (workspace_id, id),
  foreign key (workspace_id, participant_id) references fission_participants (workspace_id, id) on delete cascade
);
create index fission_visits_open on fission_visits (workspace_id, participant_id, visited_at desc) where invite_id is null;

-- Invites: a new contact who arrived with a participant's source. One inviter per invitee in the
-- whole workspace (the unique index): a second inviter racing for the same person gets nothing.
create table fission_invites (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  campaign_id uuid not null,
  participant_id uuid not null,
  invitee_contact_id uuid not null,
  channel_id uuid,
  ip_hash text,
  -- counted: in the progress; review: a suspicious burst, not counted until approved;
  -- voided: the invitee left within the void window; rejected: refused on review.
  status text not null check (status in ('counted', 'review', 'voided', 'rejected')),
  created_at timestamptz(3) not null default now(),
  voided_at timestamptz(3),
  reviewed_by uuid,
  reviewed_at timestamptz(3),
  primary key (workspace_id, id),
  foreign key (workspace_id, campaign_id) references fission_campaigns (workspace_id, id) on delete cascade,
  foreign key (workspace_id, participant_id) references fission_participants (workspace_id, id) on delete cascade,
  foreign key (workspace_id, invitee_contact_id) references contacts (workspace_id, id) on delete cascade
);
create unique index fission_invites_one_inviter on fission_invites (workspace_id, invitee_contact_id);
create index fission_invites_of_participant on fission_invites (workspace_id, participant_id, status);
create index fission_invites_review on fission_invites (workspace_id, campaign_id, created_at) where status = 'review';

-- A tier reached: held until due_at (the hold period), then granted, waiting for an admin
-- (custom rewards, or coupons when the pool ran dry), fulfilled, or revoked when the progress
-- fell below the tier (a granted points reward is then reversed in the points ledger).
create table fission_rewards (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  campaign_id uuid not null,
  participant_id uuid not null,
  tier int not null,
  status text not null check (status in ('held', 'granted', 'awaiting_fulfilment', 'fulfilled', 'revoked')),
  due_at timestamptz(3) not null,
  coupon_code text,
  points_entry_id uuid,
  granted_at timestamptz(3),
  revoked_at timestamptz(3),
  fulfilled_at timestamptz(3),
  fulfilled_by uuid,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, participant_id) references fission_participants (workspace_id, id) on delete cascade,
  foreign key (workspace_id, campaign_id, tier) references fission_tiers (workspace_id, campaign_id, tier) on delete cascade
);
create unique index fission_rewards_one_per_tier on fission_rewards (workspace_id, participant_id, tier);
create index fission_rewards_queue on fission_rewards (workspace_id, campaign_id, status);

-- A tier's coupon pool: each code handed out once (reward_id set under SKIP LOCKED).
create table fission_coupon_codes (
  workspace_id uuid not null,
  campaign_id uuid not null,
  tier int not null,
  code text not null check (length(code) between 1 and 200),
  reward_id uuid,
  primary key (workspace_id, campaign_id, tier, code),
  foreign key (workspace_id, campaign_id, tier) references fission_tiers (workspace_id, campaign_id, tier) on delete cascade
);
create unique index fission_coupon_codes_one_per_reward on fission_coupon_codes (workspace_id, reward_id) where reward_id is not null;
create index fission_coupon_codes_free on fission_coupon_codes (workspace_id, campaign_id, tier) where reward_id is null;

-- Built-in roles of existing workspaces gain the fission permissions (new ones are seeded with them).
update roles set permissions = permissions || array['fission:read', 'fission:write'] where key in ('owner', 'admin', 'manager');
update roles set permissions = permissions || array['fission:read'] where key in ('agent', 'viewer');
