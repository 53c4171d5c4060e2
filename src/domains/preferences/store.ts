// SQL for the preferences domain's own tables: settings and a contact's stored preferences.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';

export const findSettings = (db: Db, workspaceId: string) =>
  db.selectFrom('preference_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();

export type SettingsRow = NonNullable<Awaited<ReturnType<typeof findSettings>>>;

export const saveSettings = (db: Db, workspaceId: string, values: { interest_tag_group_ids: string[]; lookback_days: number; half_life_days: number; updated_by: string }) =>
  db
    .insertInto('preference_settings')
    .values({ workspace_id: workspaceId, ...values })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .execute();

export const markComputed = (db: Db, workspaceId: string) =>
  db
    .insertInto('preference_settings')
    .values({ workspace_id: workspaceId, computed_at: sql<Date>`now()` })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ computed_at: sql<Date>`now()` }))
    .execute();

export const interestsOf = (db: Db, workspaceId: string, contactId: string) =>
  db
    .selectFrom('contact_interests')
    .select(['category', 'score', 'rank', 'computed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('rank')
    .execute();

export const activeHoursOf = (db: Db, workspaceId: string, contactId: string) =>
  db
    .selectFrom('contact_active_hours')
    .select(['channel', 'hour', 'hour_messages', 'messages', 'histogram', 'computed_at'])
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('messages', 'desc')
    .orderBy('channel')
    .execute();
