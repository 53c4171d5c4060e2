-- Which rule acted on which layer move, and the task it made: a move is acted on once per rule
-- however often its event is delivered, and a rule's effect can be traced.
create table rfm_rule_firings (
  workspace_id uuid not null,
  change_id uuid not null,
  rule_id uuid not null,
  task_id uuid,
  fired_at timestamptz(3) not null default now(),
  primary key (workspace_id, change_id, rule_id),
  foreign key (workspace_id, change_id) references rfm_layer_changes (workspace_id, id) on delete cascade,
  foreign key (workspace_id, rule_id) references rfm_rules (workspace_id, id) on delete cascade
);
