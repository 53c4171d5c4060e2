// Whether the members a live code names are the workspace's, the staff's and an arrival's display names
// (read-only, other domains' tables).
import type { Db } from '../../../platform/db/connect.js';

/** The ids of `memberIds` that are active members of the workspace. */
export const activeMembers = async (db: Db, workspaceId: string, memberIds: readonly string[]) =>
  memberIds.length
    ? new Set((await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', memberIds).where('status', '=', 'active').execute()).map((r) => r.id))
    : new Set<string>();

/** Display names of the members among `memberIds`. */
export const memberNames = async (db: Db, workspaceId: string, memberIds: readonly string[]) =>
  new Map(
    memberIds.length
      ? (
          await db
            .selectFrom('members as m')
            .innerJoin('users as u', 'u.id', 'm.user_id')
            .select(['m.id', 'u.name'])
            .where('m.workspace_id', '=', workspaceId)
            .where('m.id', 'in', memberIds)
            .execute()
        ).map((r) => [r.id, r.name])
      : [],
  );

export const contactName = async (db: Db, workspaceId: string, contactId: string) =>
  (await db.selectFrom('contacts').select('name').where('workspace_id', '=', workspaceId).where('id', '=', contactId).executeTakeFirst())?.name;
