import type { Generated, JSONColumnType } from 'kysely';

export interface ContactMergesTable {
  workspace_id: string;
  id: Generated<string>;
  survivor_id: string;
  merged_ids: string[];
  snapshot: JSONColumnType<Record<string, unknown>, string, string>;
  merged_by: string | null;
  merged_at: Generated<Date>;
  undone_at: Date | null;
}

export interface MergeTables {
  contact_merges: ContactMergesTable;
}
