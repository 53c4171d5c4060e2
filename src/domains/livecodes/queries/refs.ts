// Whether the members a live code names are the workspace's, and an arrival's display name
// (read-only, other domains' tables).
import type { Db } from '../../../platform/db/connect.js';

/** The ids of `memberIds` that are active members of the workspace. */
export const activeMembers = async (db: Db, workspaceId: string, memberIds: readonly string[]) =>
  memberIds.length
    ? new Set((await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', memberIds).where('status', '=', 'active').execute()).map((r) => r.id))
    : new Set<string>();


export const contactName = async (db: Db, workspaceId: string, contactId: string) =>
  (await db.selectFrom('contacts').select('name').where('workspace_id', '=', workspaceId).where('id', '=', contactId).executeTakeFirst())?.name;
