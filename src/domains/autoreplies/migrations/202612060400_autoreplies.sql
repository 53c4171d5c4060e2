-- Automatic replies: keyword rules per channel, business hours per team with an away message,
-- per-channel settings (welcome message, satisfaction survey), canned responses, the ledger of
-- automatic messages (what was answered, so nothing is answered twice), and CSAT surveys.

create table autoreply_keyword_rules (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  channel_id uuid not null,
  -- Rules of a channel are tried by position, lowest first; the first that matches answers.
  position int not null default 0,
  match_kind text not null check (match_kind in ('exact', 'contains', 'regex')),
  pattern text not null check (length(pattern) between 1 and 200),
  case_sensitive boolean not null default false,
  reply text not null check (length(reply) between 1 and 2000),
  enabled boolean not null default true,
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);
create index autoreply_keyword_rules_channel on autoreply_keyword_rules (workspace_id, channel_id, position, id);

create table autoreply_business_hours (
  workspace_id uuid not null,
  team_id uuid not null,
  timezone text not null,
  -- [{ "day": 0-6 (Sunday 0), "open": "HH:MM", "close": "HH:MM" }] in the team's time zone.
  weekly jsonb not null default '[]',
  -- Local dates (YYYY-MM-DD) closed all day: holidays.
  closed_dates text[] not null default '{}',
  away_message text not null check (length(away_message) between 1 and 2000),
  enabled boolean not null default true,
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, team_id),
  foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete cascade
);

create table autoreply_channel_settings (
  workspace_id uuid not null,
  channel_id uuid not null,
  welcome_message text check (length(welcome_message) between 1 and 2000),
  csat_enabled boolean not null default false,
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, channel_id),
  foreign key (workspace_id, channel_id) references channels (workspace_id, id) on delete cascade
);

create table canned_responses (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  scope text not null check (scope in ('workspace', 'personal')),
  -- The member a personal response belongs to; null for the workspace's.
  owner_member_id uuid check ((scope = 'personal') = (owner_member_id is not null)),
  shortcut text not null check (shortcut ~ '^[a-z0-9][a-z0-9_-]{0,39}$'),
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) between 1 and 5000),
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, owner_member_id) references members (workspace_id, id) on delete cascade
);
create unique index canned_responses_workspace_shortcut on canned_responses (workspace_id, shortcut) where scope = 'workspace';
create unique index canned_responses_personal_shortcut on canned_responses (workspace_id, owner_member_id, shortcut) where scope = 'personal';

-- Every automatic message decided, once per dedupe key: the keyword answer of one inbound message,
-- the away message of one closed period of one conversation, the welcome of one contact on one
-- channel. message_id is null when the inbox could not send it (channel disabled, window closed).
create table autoreply_log (
  workspace_id uuid not null,
  dedupe_key text not null,
  conversation_id uuid,
  kind text not null check (kind in ('keyword', 'away', 'welcome', 'csat')),
  message_id uuid,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, dedupe_key)
);
-- The loop fuse counts a conversation's automatic messages of the last hour.
create index autoreply_log_conversation on autoreply_log (workspace_id, conversation_id, created_at);

create table csat_surveys (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  conversation_id uuid not null,
  channel_id uuid not null,
  team_id uuid,
  -- The agent the answer is about: the conversation's assignee when resolved, else who resolved it.
  member_id uuid,
  -- sha256 of the secret part of the link's token (the token also names the workspace and survey).
  token_hash text not null,
  locale text not null,
  message_id uuid,
  rating smallint check (rating between 1 and 5),
  comment text check (length(comment) <= 2000),
  answered_via text check (answered_via in ('link', 'reply')),
  answered_at timestamptz(3),
  expires_at timestamptz(3) not null,
  created_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, conversation_id) references conversations (workspace_id, id) on delete cascade,
  foreign key (workspace_id, team_id) references teams (workspace_id, id) on delete set null (team_id),
  foreign key (workspace_id, member_id) references members (workspace_id, id) on delete set null (member_id),
  check ((rating is null) = (answered_at is null))
);
create index csat_surveys_conversation on csat_surveys (workspace_id, conversation_id, created_at desc);
create index csat_surveys_created on csat_surveys (workspace_id, created_at desc, id desc);
create index csat_surveys_answered on csat_surveys (workspace_id, answered_at desc, id desc) where answered_at is not null;
