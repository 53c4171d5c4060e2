-- Auto-tag rules: when an interaction is recorded (an event trigger) or a condition on the
-- contact becomes true or false (a condition trigger), add or remove tags, set the stage, and
-- optionally give the owner a task that reminds at once (src/domains/autotag/fire.ts, jobs.ts).
create table tag_rules (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  description text,
  -- schema.ts triggerSchema: {kind: 'event', type, where, keywords, times} | {kind: 'condition', when, definition}
  trigger jsonb not null,
  trigger_kind text not null check (trigger_kind in ('event', 'condition')),
  -- The timeline type an event rule listens to: the incremental path's first question.
  event_type text,
  -- What a condition rule's definition reads (segments' dependenciesOf): a change re-evaluates
  -- only the condition rules whose keys it touches, for the contacts it concerns.
  deps text[] not null default '{}',
  -- schema.ts actionsSchema: {addTagIds, removeTagIds, stageId, notifyOwner}
  actions jsonb not null,
  enabled boolean not null default true,
  -- building: a condition rule's membership (who meets the condition now) is being computed and
  -- transitions are not acted on yet; invalid: the definition no longer compiles, see `error`.
  status text not null default 'ready' check (status in ('building', 'ready', 'invalid')),
  error text,
  build_job_id uuid,
  -- Set (and the rule disabled) when the loop guard stopped it; cleared when it is enabled again.
  stopped_at timestamptz(3),
  stopped_reason text,
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, created_by) references members (workspace_id, id) on delete set null (created_by)
);
create unique index tag_rules_name on tag_rules (workspace_id, lower(name));
create index tag_rules_event on tag_rules (workspace_id, event_type) where trigger_kind = 'event';
create index tag_rules_deps on tag_rules using gin (deps) where trigger_kind = 'condition';

-- For a condition rule: the contacts that met its condition when last evaluated. A change diffs
-- against it; entering is "became true", leaving is "became false".
create table tag_rule_members (
  workspace_id uuid not null,
  rule_id uuid not null,
  contact_id uuid not null,
  since timestamptz(3) not null default now(),
  primary key (workspace_id, rule_id, contact_id),
  foreign key (workspace_id, rule_id) references tag_rules (workspace_id, id) on delete cascade,
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index tag_rule_members_contact on tag_rule_members (workspace_id, contact_id);

-- The run log: one row each time a rule acts (on one event, on one change's transitions, or a
-- backfill), or is stopped by the loop guard. Its id is the source_ref of the tag changes it made
-- (a backfill's chunks add `:<n>`), so a reaction to those changes finds the chain of rules that
-- led to it: `chain` lists the rule ids from the cascade's root to this run.
create table tag_rule_runs (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  rule_id uuid not null,
  kind text not null check (kind in ('event', 'condition', 'backfill')),
  status text not null check (status in ('applied', 'stopped', 'running', 'done', 'failed')),
  chain uuid[] not null default '{}',
  parent_run_id uuid,
  cause_event_id bigint,
  job_id uuid,
  matched int not null default 0,
  changed int not null default 0,
  notified int not null default 0,
  detail jsonb,
  created_at timestamptz(3) not null default now(),
  finished_at timestamptz(3),
  primary key (workspace_id, id),
  foreign key (workspace_id, rule_id) references tag_rules (workspace_id, id) on delete cascade
);
create index tag_rule_runs_rule on tag_rule_runs (workspace_id, rule_id, created_at desc, id desc);

-- A backfill's target contacts, recorded once when it starts and walked in id order.
create table tag_rule_targets (
  workspace_id uuid not null,
  job_id uuid not null,
  contact_id uuid not null,
  primary key (workspace_id, job_id, contact_id)
);

-- Built-in roles of existing workspaces gain the rule permissions (new ones are seeded with them).
update roles set permissions = permissions || array['tag-rules:read', 'tag-rules:write'] where key in ('owner', 'admin', 'manager');
update roles set permissions = permissions || array['tag-rules:read'] where key in ('agent', 'viewer');
