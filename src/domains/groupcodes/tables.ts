// The group codes domain's tables, as Kysely sees them (db.ts adds them to the database type).
import type { Generated } from 'kysely';

export interface GroupCodesTable {
  workspace_id: string;
  id: Generated<string>;
  name: string;
  slug: string;
  tag_ids: string[];
  enabled: boolean;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type QrImageType = 'image/png' | 'image/jpeg';

export interface GroupCodeGroupsTable {
  workspace_id: string;
  id: Generated<string>;
  code_id: string;
  position: number;
  name: string;
  join_url: string | null;
  qr_image: Buffer | null;
  qr_image_type: QrImageType | null;
  expires_on: string | null;
  capacity: number;
  daily_cap: number | null;
  members: number;
  conversation_id: string | null;
  enabled: boolean;
  created_at: Generated<Date>;
}

export interface GroupCodePicksTable {
  workspace_id: string;
  code_id: string;
  day: string;
  group_id: string;
  picks: number;
}

export interface GroupCodeJoinsTable {
  workspace_id: string;
  group_id: string;
  contact_id: string;
  code_id: string;
  joined_on: string;
  left_on: string | null;
}

// A type, not an interface: Kysely's withTables needs the implicit index signature.
export type GroupCodeTables = {
  group_codes: GroupCodesTable;
  group_code_groups: GroupCodeGroupsTable;
  group_code_picks: GroupCodePicksTable;
  group_code_joins: GroupCodeJoinsTable;
};
