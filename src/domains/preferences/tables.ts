import type { Generated, JSONColumnType } from 'kysely';

export interface PreferenceSettingsTable {
  workspace_id: string;
  interest_tag_group_ids: Generated<string[]>;
  lookback_days: Generated<number>;
  half_life_days: Generated<number>;
  computed_at: Date | null;
  updated_by: string | null;
  updated_at: Generated<Date>;
}

export interface ContactInterestsTable {
  workspace_id: string;
  contact_id: string;
  category: string;
  score: number;
  rank: number;
  computed_at: Date;
}

export interface ContactActiveHoursTable {
  workspace_id: string;
  contact_id: string;
  channel: string;
  hour: number;
  hour_messages: number;
  messages: number;
  histogram: JSONColumnType<Record<string, number>, string, string>;
  computed_at: Date;
}

export interface PreferenceTables {
  preference_settings: PreferenceSettingsTable;
  contact_interests: ContactInterestsTable;
  contact_active_hours: ContactActiveHoursTable;
}
