// SQL of the channels domain. Every function takes the workspace, except the hook lookup: a
// provider's request names only the channel id.
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { ChannelsTable } from './tables.js';

export type ChannelRow = Selectable<ChannelsTable>;

// The ciphertext is read only to name the credentials set; it never leaves the service.
const shown = [
  'id', 'workspace_id', 'type', 'name', 'settings', 'secrets', 'enabled', 'team_id', 'rate_per_second', 'rate_burst', 'last_event_at',
  'refused_count', 'last_refused_at', 'last_refused_reason', 'send_paused_until', 'credentials_checked_at', 'credentials_problem', 'created_by', 'created_at', 'updated_at',
] as const;
export type ChannelView = Pick<ChannelRow, (typeof shown)[number]>;

export const listChannels = (db: Db, workspaceId: string, page: { limit: number; after?: { name: string; id: string } }) =>
  db
    .selectFrom('channels')
    .select(shown)
    .where('workspace_id', '=', workspaceId)
    .$if(page.after !== undefined, (q) => q.where(sql<boolean>`(lower(name), id) > (lower(${page.after!.name}), ${page.after!.id}::uuid)`))
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();

export const findChannel = (db: Db, workspaceId: string, id: string, lock = false) =>
  db
    .selectFrom('channels')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .$if(lock, (q) => q.forUpdate())
    .executeTakeFirst();

/** The channel a hook request names, wherever its workspace (the one query by id alone). */
export const findChannelForHook = (db: Db, id: string) => db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();

export interface NewChannel {
  id: string;
  type: string;
  name: string;
  settings: Record<string, unknown>;
  secrets: Buffer;
  teamId: string | null;
  ratePerSecond: number | null;
  rateBurst: number | null;
  createdBy: string;
}

/** Undefined when the name is taken. */
export const insertChannel = (db: Db, workspaceId: string, c: NewChannel) =>
  db
    .insertInto('channels')
    .values({
      workspace_id: workspaceId,
      id: c.id,
      type: c.type,
      name: c.name,
      settings: JSON.stringify(c.settings),
      secrets: c.secrets,
      team_id: c.teamId,
      rate_per_second: c.ratePerSecond,
      rate_burst: c.rateBurst,
      created_by: c.createdBy,
    })
    .onConflict((oc) => oc.expression(sql`workspace_id, lower(name)`).doNothing())
    .returning('id')
    .executeTakeFirst();

export interface ChannelPatch {
  name?: string;
  settings?: Record<string, unknown>;
  secrets?: Buffer;
  enabled?: boolean;
  teamId?: string | null;
  ratePerSecond?: number | null;
  rateBurst?: number | null;
}

/** False when the new name is taken. */
export async function updateChannel(db: Db, workspaceId: string, id: string, p: ChannelPatch): Promise<boolean> {
  const taken = p.name === undefined ? undefined : await db.selectFrom('channels').select('id').where('workspace_id', '=', workspaceId).where(sql`lower(name)`, '=', p.name.toLowerCase()).where('id', '!=', id).executeTakeFirst();
  if (taken) return false;
  await db
    .updateTable('channels')
    .set({
      ...(p.name !== undefined ? { name: p.name } : {}),
      ...(p.settings !== undefined ? { settings: JSON.stringify(p.settings) } : {}),
      // New credentials: what a provider said of the old ones no longer holds.
      ...(p.secrets !== undefined ? { secrets: p.secrets, credentials_problem: null } : {}),
      ...(p.enabled !== undefined ? { enabled: p.enabled } : {}),
      ...(p.teamId !== undefined ? { team_id: p.teamId } : {}),
      ...(p.ratePerSecond !== undefined ? { rate_per_second: p.ratePerSecond } : {}),
      ...(p.rateBurst !== undefined ? { rate_burst: p.rateBurst } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  return true;
}

export const deleteChannel = (db: Db, workspaceId: string, id: string) => db.deleteFrom('channels').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const teamExists = async (db: Db, workspaceId: string, id: string) =>
  Boolean(await db.selectFrom('teams').select('id').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst());

/** A refused hook request: the one write it causes. */
export const recordRefusal = (db: Db, workspaceId: string, id: string, reason: string) =>
  db
    .updateTable('channels')
    .set({ refused_count: sql<number>`refused_count + 1`, last_refused_at: sql<Date>`now()`, last_refused_reason: reason })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();

/** Health's "last event": written at most once a second, so a busy channel's row is not a hot spot. */
export const recordEventSeen = (db: Db, workspaceId: string, id: string) =>
  db
    .updateTable('channels')
    .set({ last_event_at: sql<Date>`now()` })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_event_at', 'is', null), eb('last_event_at', '<', sql<Date>`now() - interval '1 second'`)]))
    .execute();

/** What a provider said of the channel's credentials: null when they worked, else the reason it refused them. */
export const recordCredentialState = (db: Db, workspaceId: string, id: string, problem: string | null) =>
  db
    .updateTable('channels')
    .set({ credentials_checked_at: sql<Date>`now()`, credentials_problem: problem })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
