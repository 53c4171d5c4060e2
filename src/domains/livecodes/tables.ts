// The live codes domain's tables, as Kysely sees them (db.ts adds them to the database type).
import type { Generated } from 'kysely';

export type Strategy = 'round_robin' | 'weighted' | 'least_loaded';
export type ScanOutcome = 'staff' | 'backup' | 'no_staff_available';

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
}

// A type, not an interface: Kysely's withTables needs the implicit index signature.
export type LiveCodeTables = {
  live_codes: LiveCodesTable;
  live_code_staff: LiveCodeStaffTable;
  live_code_picks: LiveCodePicksTable;
  live_code_scans: LiveCodeScansTable;
  live_code_adds: LiveCodeAddsTable;
};
