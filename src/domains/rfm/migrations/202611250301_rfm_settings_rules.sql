-- How a workspace scores RFM. One row per workspace, created on first save; until then the
-- defaults below apply (the service reads a missing row as these defaults).
create table rfm_settings (
  workspace_id uuid primary key references workspaces (id) on delete cascade,
  -- Frequency and monetary count the orders of the last window_days days (today included);
  -- recency is the age in days of the last counted order, however old.
  window_days int not null default 365 check (window_days between 1 and 3650),
  -- Which timeline event types are orders, and (when set) which props.status values count.
  order_types text[] not null default '{order}',
  order_statuses text[],
  -- 'quantile': scores by quintile of the workspace's customers (percent_rank), recomputed in
  -- full; 'thresholds': the bounds below, set by people.
  scoring text not null default 'quantile' check (scoring in ('quantile', 'thresholds')),
  -- Thresholds people set, each the bound to reach score 2, 3, 4, 5: days (at most) for R,
  -- orders and amount (at least) for F and M. Null in quantile mode.
  r_thresholds int[],
  f_thresholds numeric[],
  m_thresholds numeric[],
  -- The bounds in effect (same shape): the thresholds, or the quintile bounds the last full
  -- recompute found. The update after an order scores one contact against these.
  r_cuts int[],
  f_cuts numeric[],
  m_cuts numeric[],
  -- A score at or above this is "high" (↑) for the layer; below is "low" (↓).
  r_high smallint not null default 3 check (r_high between 2 and 5),
  f_high smallint not null default 3 check (f_high between 2 and 5),
  m_high smallint not null default 3 check (m_high between 2 and 5),
  -- Names people gave layers ({"important_value": "VIP"}); a missing key reads as the default name.
  layer_names jsonb not null default '{}',
  computed_at timestamptz(3),
  updated_by uuid,
  updated_at timestamptz(3) not null default now()
);

-- What happens when a contact moves between layers: a task for the contact's owner (or the
-- fallback member when there is none), reminding at once so it lands as a notification.
-- Empty from/to lists match any layer.
create table rfm_rules (
  workspace_id uuid not null references workspaces (id) on delete cascade,
  id uuid not null default gen_random_uuid(),
  name text not null,
  from_layers text[] not null default '{}',
  to_layers text[] not null default '{}',
  task_title text,
  task_due_days int check (task_due_days between 0 and 365),
  notify boolean not null default true,
  fallback_member_id uuid,
  enabled boolean not null default true,
  created_by uuid,
  created_at timestamptz(3) not null default now(),
  updated_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, fallback_member_id) references members (workspace_id, id) on delete set null (fallback_member_id)
);

-- Every move of a contact from one layer to another (a contact's first layer is not a move).
-- source_ref names what moved it: 'event:<outbox id>' for an order or a merge, 'job:<job id>'
-- for a full recompute; the trigger rules read the moves of one source at a time.
create table rfm_layer_changes (
  workspace_id uuid not null,
  id uuid not null default gen_random_uuid(),
  contact_id uuid not null,
  from_layer text not null,
  to_layer text not null,
  reason text not null check (reason in ('order', 'merge', 'restore', 'schedule', 'manual', 'settings')),
  source_ref text not null,
  changed_at timestamptz(3) not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, contact_id) references contacts (workspace_id, id) on delete cascade
);
create index rfm_layer_changes_contact on rfm_layer_changes (workspace_id, contact_id, changed_at desc);
create index rfm_layer_changes_source on rfm_layer_changes (workspace_id, source_ref);
