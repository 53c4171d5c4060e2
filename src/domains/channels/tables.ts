import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export interface ChannelsTable {
  workspace_id: string;
  id: Generated<string>;
  type: string;
  name: string;
  settings: JSONColumnType<Record<string, unknown>, string, string>;
  secrets: Buffer;
  enabled: Generated<boolean>;
  team_id: string | null;
  rate_per_second: number | null;
  rate_burst: number | null;
  last_event_at: Date | null;
  refused_count: ColumnType<number, never, number>;
  last_refused_at: Date | null;
  last_refused_reason: string | null;
  send_tokens: number | null;
  send_refilled_at: Date | null;
  send_paused_until: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ChannelTables {
  channels: ChannelsTable;
}
