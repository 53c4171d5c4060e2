import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type TriggerKind = 'event' | 'condition';
export type RuleStatus = 'building' | 'ready' | 'invalid';
export type RunKind = 'event' | 'condition' | 'backfill';
export type RunStatus = 'applied' | 'stopped' | 'running' | 'done' | 'failed';

type Json = JSONColumnType<Record<string, unknown>, string, string>;
type Bigint = ColumnType<number | null, number | null | undefined, number | null>;

export interface TagRulesTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  description: string | null;
  trigger: Json;
  trigger_kind: TriggerKind;
  event_type: string | null;
  deps: Generated<string[]>;
  actions: Json;
  enabled: Generated<boolean>;
  status: Generated<RuleStatus>;
  error: string | null;
  build_job_id: string | null;
  stopped_at: Date | null;
  stopped_reason: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface TagRuleMembersTable {
  workspace_id: string;
  rule_id: string;
  contact_id: string;
  since: Generated<Date>;
}

export interface TagRuleRunsTable {
  workspace_id: string;
  id: Generated<string>;
  rule_id: string;
  kind: RunKind;
  status: RunStatus;
  chain: Generated<string[]>;
  parent_run_id: string | null;
  cause_event_id: Bigint;
  job_id: string | null;
  matched: Generated<number>;
  changed: Generated<number>;
  notified: Generated<number>;
  detail: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  created_at: Generated<Date>;
  finished_at: Date | null;
}

export interface TagRuleTargetsTable {
  workspace_id: string;
  job_id: string;
  contact_id: string;
}

export interface TagRuleContactChainsTable {
  workspace_id: string;
  contact_id: string;
  run_id: string;
  chain: string[];
  at: Date;
}

export interface AutotagTables {
  tag_rules: TagRulesTable;
  tag_rule_members: TagRuleMembersTable;
  tag_rule_runs: TagRuleRunsTable;
  tag_rule_targets: TagRuleTargetsTable;
  tag_rule_contact_chains: TagRuleContactChainsTable;
}
