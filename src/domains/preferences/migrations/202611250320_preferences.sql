-- What each contact cares about and when they are around: their top interest categories and,
-- per channel, the hour of day they are most active. Derived data, recomputed set-based by a job
-- per workspace and per contact when their interactions or tags change.

-- Where interests come from (one row per workspace, defaults until first saved): tags of the
-- groups marked as interest groups, and categories carried by interactions (queries/compute.ts).
create table preference_settings (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  interest_tag_group_ids uuid[] not null default '{}',
  -- Interactions older than this do not count; within it, a signal halves in weight every half_life_days.
  lookback_days int not null default 365 check (lookback_days between 1 and 3650),
  half_life_days int not null default 90 check (half_life_days between 1 and 3650),
  -- The last full recompute (the daily schedule queues one per local day).
  computed_at timestamptz(3),
  updated_by uuid,
  updated_at timestamptz(3) not null default now()
);

-- A contact's top interest categories (at most five), best first.
create table contact_interests (
  workspace_id uuid not null,
  contact_id uuid not null,
  category text not null,
  score real not null,
  rank smallint not null,
  computed_at timestamptz(3) not null,
  primary key (workspace_id, contact_id, category),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
-- Segments and campaigns go from a category to the contacts interested in it.
create index contact_interests_category on contact_interests (workspace_id, category, contact_id);

-- Per contact and channel: inbound messages by hour of day (workspace time zone) and the busiest
-- hour, for choosing when to send.
create table contact_active_hours (
  workspace_id uuid not null,
  contact_id uuid not null,
  channel text not null,
  hour smallint not null check (hour between 0 and 23),
  hour_messages int not null,
  messages int not null,
  -- {"9": 4, "20": 11}: inbound messages per hour, hours without any left out.
  histogram jsonb not null,
  computed_at timestamptz(3) not null,
  primary key (workspace_id, contact_id, channel),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
