// A workspace's preference settings as the computations and the API read them.
import type { Db } from '../../platform/db/connect.js';
import { workspaceTimezone, type Window } from './queries/compute.js';
import * as store from './store.js';

export interface PreferenceSettings {
  interestTagGroupIds: string[];
  lookbackDays: number;
  halfLifeDays: number;
  computedAt: Date | null;
  updatedAt: Date | null;
}

const DEFAULTS: PreferenceSettings = { interestTagGroupIds: [], lookbackDays: 365, halfLifeDays: 90, computedAt: null, updatedAt: null };

export const fromRow = (row: store.SettingsRow | undefined): PreferenceSettings =>
  row
    ? { interestTagGroupIds: row.interest_tag_group_ids, lookbackDays: row.lookback_days, halfLifeDays: row.half_life_days, computedAt: row.computed_at, updatedAt: row.updated_at }
    : DEFAULTS;

/** What the computations work with (no access check: the worker's and the handlers' view). */
export async function loadWindow(db: Db, workspaceId: string): Promise<Window> {
  const s = fromRow(await store.findSettings(db, workspaceId));
  return { timezone: await workspaceTimezone(db, workspaceId), lookbackDays: s.lookbackDays, halfLifeDays: s.halfLifeDays, interestGroupIds: s.interestTagGroupIds };
}

