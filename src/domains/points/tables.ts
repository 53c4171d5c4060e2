// The points ledger's table, as Kysely sees it (db.ts adds it to the database type).
import type { Generated } from 'kysely';

export interface PointsLedgerTable {
  workspace_id: string;
  id: Generated<string>;
  contact_id: string;
  /** bigint: pg hands it back as a string. */
  delta: string | number;
  reason: string;
  ref: string | null;
  reversal_of: string | null;
  created_at: Generated<Date>;
}

// A type, not an interface: Kysely's withTables needs the implicit index signature.
export type PointsTables = { points_ledger: PointsLedgerTable };
