import type { Generated, JSONColumnType } from 'kysely';

// Type aliases, not interfaces: Kysely's withTables wants an index signature (store.ts).
export type WidgetVisitorsTable = {
  workspace_id: string;
  channel_id: string;
  visitor_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  custom: JSONColumnType<Record<string, string>, string, string>;
  prechat_at: Date | null;
  profile_pending: Generated<boolean>;
  read_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
};

export type WidgetTables = {
  widget_visitors: WidgetVisitorsTable;
};
