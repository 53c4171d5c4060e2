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
  /** When a provider last checked the credentials (Test connection or a refused call). */
  credentials_checked_at: Date | null;
  /** A ChannelErrorReason when the provider refused them (token_invalid, token_expired); null when fine or unknown. */
  credentials_problem: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** Shared provider access tokens (migration 202612070301); global, keyed by credential. */
export interface ChannelAccessTokensTable {
  key: string;
  token: Buffer;
  token_hash: string;
  refresh_at: Date;
  updated_at: Generated<Date>;
}

export interface ChannelTables {
  channels: ChannelsTable;
  channel_access_tokens: ChannelAccessTokensTable;
}
