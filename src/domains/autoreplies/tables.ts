// The autoreplies domain's tables, as Kysely sees them (store.ts adds them to the database type).
import type { Generated, JSONColumnType } from 'kysely';
import type { WeeklyInterval } from '../../platform/time/weekly.js';

export type MatchKind = 'exact' | 'contains' | 'regex';
export type AutoreplyKind = 'keyword' | 'away' | 'welcome' | 'csat';


export interface KeywordRulesTable {
  workspace_id: string;
  id: Generated<string>;
  channel_id: string;
  position: Generated<number>;
  match_kind: MatchKind;
  pattern: string;
  case_sensitive: Generated<boolean>;
  reply: string;
  enabled: Generated<boolean>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BusinessHoursTable {
  workspace_id: string;
  team_id: string;
  timezone: string;
  weekly: JSONColumnType<WeeklyInterval[], string, string>;
  closed_dates: Generated<string[]>;
  away_message: string;
  enabled: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface ChannelSettingsTable {
  workspace_id: string;
  channel_id: string;
  welcome_message: string | null;
  csat_enabled: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface CannedResponsesTable {
  workspace_id: string;
  id: Generated<string>;
  scope: 'workspace' | 'personal';
  owner_member_id: string | null;
  shortcut: string;
  title: string;
  body: string;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface AutoreplyLogTable {
  workspace_id: string;
  dedupe_key: string;
  conversation_id: string | null;
  kind: AutoreplyKind;
  message_id: string | null;
  created_at: Generated<Date>;
}

export interface CsatSurveysTable {
  workspace_id: string;
  id: Generated<string>;
  conversation_id: string;
  channel_id: string;
  team_id: string | null;
  member_id: string | null;
  token_hash: string;
  locale: string;
  message_id: string | null;
  rating: number | null;
  comment: string | null;
  answered_via: 'link' | 'reply' | null;
  answered_at: Date | null;
  expires_at: Date;
  created_at: Generated<Date>;
}

// A type, not an interface: Kysely's withTables needs the implicit index signature.
export type AutoreplyTables = {
  autoreply_keyword_rules: KeywordRulesTable;
  autoreply_business_hours: BusinessHoursTable;
  autoreply_channel_settings: ChannelSettingsTable;
  canned_responses: CannedResponsesTable;
  autoreply_log: AutoreplyLogTable;
  csat_surveys: CsatSurveysTable;
};
