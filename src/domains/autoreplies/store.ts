// SQL of keyword rules, business hours, per-channel settings and the ledger of automatic
// messages. Every query is scoped to its workspace.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { withOurs } from './db.js';
import type { WeeklyInterval } from '../../platform/time/weekly.js';
import type { AutoreplyKind, MatchKind } from './tables.js';

export interface RuleValues {
  channelId: string;
  position: number;
  matchKind: MatchKind;
  pattern: string;
  caseSensitive: boolean;
  reply: string;
  enabled: boolean;
}

const ruleColumns = ['id', 'channel_id', 'position', 'match_kind', 'pattern', 'case_sensitive', 'reply', 'enabled', 'created_at', 'updated_at'] as const;

export const listRules = (db: Db, workspaceId: string, f: { channelId?: string; after?: { channelId: string; position: number; id: string }; limit: number }) =>
  withOurs(db)
    .selectFrom('autoreply_keyword_rules')
    .select(ruleColumns)
    .where('workspace_id', '=', workspaceId)
    .$if(f.channelId !== undefined, (q) => q.where('channel_id', '=', f.channelId!))
    .$if(f.after !== undefined, (q) => q.where(sql<boolean>`(channel_id, position, id) > (${f.after!.channelId}, ${f.after!.position}, ${f.after!.id})`))
    .orderBy('channel_id')
    .orderBy('position')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();

/** A channel's enabled rules in the order they are tried. */
export const rulesOfChannel = (db: Db, workspaceId: string, channelId: string) =>
  withOurs(db)
    .selectFrom('autoreply_keyword_rules')
    .select(ruleColumns)
    .where('workspace_id', '=', workspaceId)
    .where('channel_id', '=', channelId)
    .where('enabled', '=', true)
    .orderBy('position')
    .orderBy('id')
    .execute();

export const findRule = (db: Db, workspaceId: string, id: string) =>
  withOurs(db).selectFrom('autoreply_keyword_rules').select(ruleColumns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();

export const insertRule = (db: Db, workspaceId: string, v: RuleValues, createdBy: string) =>
  withOurs(db)
    .insertInto('autoreply_keyword_rules')
    .values({
      workspace_id: workspaceId,
      channel_id: v.channelId,
      position: v.position,
      match_kind: v.matchKind,
      pattern: v.pattern,
      case_sensitive: v.caseSensitive,
      reply: v.reply,
      enabled: v.enabled,
      created_by: createdBy,
    })
    .returning(ruleColumns)
    .executeTakeFirstOrThrow();

export const updateRule = (db: Db, workspaceId: string, id: string, v: RuleValues) =>
  withOurs(db)
    .updateTable('autoreply_keyword_rules')
    .set({ position: v.position, match_kind: v.matchKind, pattern: v.pattern, case_sensitive: v.caseSensitive, reply: v.reply, enabled: v.enabled, updated_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .returning(ruleColumns)
    .executeTakeFirst();

export const deleteRule = async (db: Db, workspaceId: string, id: string) =>
  (await withOurs(db).deleteFrom('autoreply_keyword_rules').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst()).numDeletedRows > 0n;

const hoursColumns = ['team_id', 'timezone', 'weekly', 'closed_dates', 'away_message', 'enabled', 'updated_at'] as const;

export const listHours = (db: Db, workspaceId: string) =>
  withOurs(db).selectFrom('autoreply_business_hours').select(hoursColumns).where('workspace_id', '=', workspaceId).orderBy('team_id').execute();

export const findHours = (db: Db, workspaceId: string, teamId: string) =>
  withOurs(db).selectFrom('autoreply_business_hours').select(hoursColumns).where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).executeTakeFirst();

export interface HoursValues {
  timezone: string;
  weekly: WeeklyInterval[];
  closedDates: string[];
  awayMessage: string;
  enabled: boolean;
}

export const upsertHours = (db: Db, workspaceId: string, teamId: string, v: HoursValues) => {
  const values = { timezone: v.timezone, weekly: JSON.stringify(v.weekly), closed_dates: v.closedDates, away_message: v.awayMessage, enabled: v.enabled };
  return withOurs(db)
    .insertInto('autoreply_business_hours')
    .values({ workspace_id: workspaceId, team_id: teamId, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'team_id']).doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .returning(hoursColumns)
    .executeTakeFirstOrThrow();
};

export const deleteHours = async (db: Db, workspaceId: string, teamId: string) =>
  (await withOurs(db).deleteFrom('autoreply_business_hours').where('workspace_id', '=', workspaceId).where('team_id', '=', teamId).executeTakeFirst()).numDeletedRows > 0n;

const settingsColumns = ['channel_id', 'welcome_message', 'csat_enabled', 'updated_at'] as const;

export const listChannelSettings = (db: Db, workspaceId: string) =>
  withOurs(db).selectFrom('autoreply_channel_settings').select(settingsColumns).where('workspace_id', '=', workspaceId).orderBy('channel_id').execute();

export const findChannelSettings = (db: Db, workspaceId: string, channelId: string) =>
  withOurs(db).selectFrom('autoreply_channel_settings').select(settingsColumns).where('workspace_id', '=', workspaceId).where('channel_id', '=', channelId).executeTakeFirst();

export const upsertChannelSettings = (db: Db, workspaceId: string, channelId: string, v: { welcomeMessage: string | null; csatEnabled: boolean }) => {
  const values = { welcome_message: v.welcomeMessage, csat_enabled: v.csatEnabled };
  return withOurs(db)
    .insertInto('autoreply_channel_settings')
    .values({ workspace_id: workspaceId, channel_id: channelId, ...values })
    .onConflict((oc) => oc.columns(['workspace_id', 'channel_id']).doUpdateSet({ ...values, updated_at: sql<Date>`now()` }))
    .returning(settingsColumns)
    .executeTakeFirstOrThrow();
};

/** Claims a dedupe key; false when an automatic message was already decided under it. */
export const claim = async (db: Db, workspaceId: string, key: string, kind: AutoreplyKind, conversationId: string | null) =>
  Boolean(
    await withOurs(db)
      .insertInto('autoreply_log')
      .values({ workspace_id: workspaceId, dedupe_key: key, kind, conversation_id: conversationId })
      .onConflict((oc) => oc.columns(['workspace_id', 'dedupe_key']).doNothing())
      .returning('dedupe_key')
      .executeTakeFirst(),
  );

export const recordSent = (db: Db, workspaceId: string, key: string, conversationId: string, messageId: string) =>
  withOurs(db).updateTable('autoreply_log').set({ conversation_id: conversationId, message_id: messageId }).where('workspace_id', '=', workspaceId).where('dedupe_key', '=', key).execute();

/** Automatic messages sent in a conversation since a time (the loop fuse). */
export const sentSince = async (db: Db, workspaceId: string, conversationId: string, since: Date) =>
  Number(
    (
      await withOurs(db)
        .selectFrom('autoreply_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('workspace_id', '=', workspaceId)
        .where('conversation_id', '=', conversationId)
        .where('message_id', 'is not', null)
        .where('created_at', '>=', since)
        .executeTakeFirstOrThrow()
    ).n,
  );
