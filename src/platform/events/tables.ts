import type { Generated, JSONColumnType } from 'kysely';

export interface OutboxEventsTable {
  workspace_id: string;
  id: Generated<number>;
  type: string;
  payload: JSONColumnType<Record<string, unknown>, string, string>;
  occurred_at: Generated<Date>;
  dispatched_at: Date | null;
}

export interface EventTables {
  outbox_events: OutboxEventsTable;
}
