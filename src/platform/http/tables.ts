import type { Generated, JSONColumnType } from 'kysely';

export interface IdempotencyKeysTable {
  workspace_id: string;
  principal: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: JSONColumnType<object | null, string | null, string | null>;
  created_at: Generated<Date>;
}

export interface HttpTables {
  idempotency_keys: IdempotencyKeysTable;
}
