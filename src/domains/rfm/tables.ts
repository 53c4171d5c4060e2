import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Layer } from './layers.js';

type Numeric = ColumnType<string, string | number, string | number>;
type NumericArray = ColumnType<Array<string | null> | null, Array<string | number | null> | null, Array<string | number | null> | null>;

export interface ContactRfmTable {
  workspace_id: string;
  contact_id: string;
  recency_days: number | null;
  frequency: number;
  monetary: Numeric;
  r_score: number;
  f_score: number;
  m_score: number;
  layer: Layer;
  computed_at: Date;
}

export interface RfmSettingsTable {
  workspace_id: string;
  window_days: Generated<number>;
  order_types: Generated<string[]>;
  order_statuses: string[] | null;
  scoring: Generated<'quantile' | 'thresholds'>;
  r_thresholds: number[] | null;
  f_thresholds: NumericArray;
  m_thresholds: NumericArray;
  r_cuts: Array<number | null> | null;
  f_cuts: NumericArray;
  m_cuts: NumericArray;
  r_high: Generated<number>;
  f_high: Generated<number>;
  m_high: Generated<number>;
  layer_names: JSONColumnType<Partial<Record<Layer, string>>, string, string>;
  computed_at: Date | null;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface RfmRulesTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  from_layers: Generated<Layer[]>;
  to_layers: Generated<Layer[]>;
  task_title: string | null;
  task_due_days: number | null;
  notify: Generated<boolean>;
  fallback_member_id: string | null;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ChangeReason = 'order' | 'merge' | 'restore' | 'schedule' | 'manual' | 'settings';

export interface RfmLayerChangesTable {
  workspace_id: string;
  id: Generated<string>;
  contact_id: string;
  from_layer: Layer;
  to_layer: Layer;
  reason: ChangeReason;
  source_ref: string;
  changed_at: Generated<Date>;
}

export interface RfmRuleFiringsTable {
  workspace_id: string;
  change_id: string;
  rule_id: string;
  task_id: string | null;
  fired_at: Generated<Date>;
}

export interface RfmTables {
  contact_rfm: ContactRfmTable;
  rfm_settings: RfmSettingsTable;
  rfm_rules: RfmRulesTable;
  rfm_layer_changes: RfmLayerChangesTable;
  rfm_rule_firings: RfmRuleFiringsTable;
}
