// The live codes domain's tables, as Kysely sees them (db.ts adds them to the database type).
import type { ColumnType, Generated } from 'kysely';
import type { WeeklyInterval } from '../../platform/time/weekly.js';

export type Strategy = 'round_robin' | 'weighted' | 'least_loaded';
export type ScanOutcome = 'staff' | 'backup' | 'no_staff_available' | 'returning';

/** Local days on which the period's staff replace the pool. */
export interface SpecialPeriod {
  name: string;
  from: string;
  to: string;
  staff: { memberId: string; dailyCap: number | null }[];
}

export interface LiveCodesTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  slug: string;
  channel_id: string | null;
  landing_url: string | null;
  strategy: Strategy;
  rr_cursor: Generated<number>;
  tag_ids: string[];
  welcome_message: string | null;
  enabled: boolean;
  periods: ColumnType<SpecialPeriod[], string | undefined, string>;
  exclusive: Generated<boolean>;
  welcome_blocked_names: Generated<string[]>;
  provider_ref: string | null;
  provider_qr_content: string | null;
  provider_qr_image_url: string | null;
  registered_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface LiveCodeStaffTable {
  workspace_id: string;
  code_id: string;
  member_id: string;
  position: number;
  backup: boolean;
  weight: number;
  daily_cap: number | null;
  /** On duty in these weekly intervals (the workspace's time zone); null: at all hours. */
  hours: ColumnType<WeeklyInterval[] | null, string | null | undefined, string | null>;
}

export interface LiveCodePicksTable {
  workspace_id: string;
  code_id: string;
  day: string;
  member_id: string;
  picks: number;
}

export interface LiveCodeScansTable {
  workspace_id: string;
  id: Generated<string>;
  code_id: string;
  day: string;
  scanned_at: Generated<Date>;
  member_id: string | null;
  outcome: ScanOutcome;
  user_agent_hash: string | null;
}

export interface LiveCodeAddsTable {
  workspace_id: string;
  code_id: string;
  contact_id: string;
  day: string;
  channel_id: string | null;
  attributed: boolean;
  created_at: Generated<Date>;
  left_on: string | null;
}

// A type, not an interface: Kysely's withTables needs the implicit index signature.
export type LiveCodeTables = {
  live_codes: LiveCodesTable;
  live_code_staff: LiveCodeStaffTable;
  live_code_picks: LiveCodePicksTable;
  live_code_scans: LiveCodeScansTable;
  live_code_adds: LiveCodeAddsTable;
};
