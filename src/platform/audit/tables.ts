import type { Generated, JSONColumnType } from 'kysely';

export interface AuditLogTable {
  workspace_id: string;
  id: Generated<string>;
  at: Generated<Date>;
  actor_member_id: string | null;
  actor_api_key_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  before: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  after: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  request_id: string | null;
}

export interface AuditTables {
  audit_log: AuditLogTable;
}
