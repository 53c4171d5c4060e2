import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { IdentityInput } from '../contacts/index.js';
import type { MergeSnapshot } from './queries/merge-rows.js';

export async function insertMerge(db: Db, workspaceId: string, m: { survivorId: string; mergedIds: string[]; snapshot: MergeSnapshot; mergedBy: string }) {
  const row = await db
    .insertInto('contact_merges')
    .values({ workspace_id: workspaceId, survivor_id: m.survivorId, merged_ids: m.mergedIds, snapshot: JSON.stringify(m.snapshot), merged_by: m.mergedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export const lockMerge = (db: Db, workspaceId: string, id: string) =>
  db.selectFrom('contact_merges').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).forUpdate().executeTakeFirst();

/** A merge made after this one that is still in force and shares a contact with it. */
export async function hasLaterMerge(db: Db, workspaceId: string, m: { id: string; merged_at: Date; survivor_id: string; merged_ids: string[] }) {
  const all = [m.survivor_id, ...m.merged_ids];
  const row = await db
    .selectFrom('contact_merges')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', '!=', m.id)
    .where('undone_at', 'is', null)
    .where('merged_at', '>=', m.merged_at)
    .where((eb) => eb.or([eb('survivor_id', 'in', all), sql<boolean>`merged_ids && ${all}::uuid[]`]))
    .executeTakeFirst();
  return Boolean(row);
}

export const listMergesOf = (db: Db, workspaceId: string, contactId: string) =>
  db
    .selectFrom('contact_merges as g')
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'g.workspace_id').onRef('m.id', '=', 'g.merged_by'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['g.id', 'g.survivor_id', 'g.merged_ids', 'g.merged_at', 'g.merged_by', 'u.name as merged_by_name', 'g.undone_at'])
    .where('g.workspace_id', '=', workspaceId)
    .where((eb) => eb.or([eb('g.survivor_id', '=', contactId), sql<boolean>`${contactId}::uuid = any(g.merged_ids)`]))
    .orderBy('g.merged_at', 'desc')
    .limit(100)
    .execute();

/** The row holding an identity in the workspace, whichever contact it is on. */
export const identityRow = (db: Db, workspaceId: string, identity: Pick<IdentityInput, 'channelType' | 'externalId'>) =>
  db
    .selectFrom('contact_identities')
    .select(['id', 'contact_id', 'channel_type', 'external_id', 'display_name'])
    .where('workspace_id', '=', workspaceId)
    .where('channel_type', '=', identity.channelType)
    .where('external_id', '=', identity.externalId)
    .executeTakeFirst();

export const identityCollisionRule = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('workspaces').select('identity_collision').where('id', '=', workspaceId).executeTakeFirstOrThrow()).identity_collision;
