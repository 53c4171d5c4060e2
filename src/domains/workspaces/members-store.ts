import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import { afterNewestFirst } from '../../platform/http/pagination.js';
import { OWNER_ROLE } from './grants.js';

const members = (db: Db, workspaceId: string) =>
  db
    .selectFrom('members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
    .select(['m.id', 'm.user_id', 'u.email', 'u.name', 'm.status', 'r.id as role_id', 'r.key as role_key', 'r.name as role_name', 'r.permissions as role_permissions', 'm.created_at'])
    .select(
      sql<string[]>`array(select tm.team_id::text from team_members tm
                           where tm.workspace_id = m.workspace_id and tm.member_id = m.id order by tm.team_id)`.as('team_ids'),
    )
    .where('m.workspace_id', '=', workspaceId);

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const listMembers = (db: Db, workspaceId: string, filter: { q?: string; cursor?: string; limit: number }) => {
  const after = afterNewestFirst('m.created_at', 'm.id', filter.cursor);
  return members(db, workspaceId)
    .$if(Boolean(filter.q), (q) => q.where((eb) => eb.or([eb('u.name', 'ilike', likePattern(filter.q!)), eb('u.email', 'ilike', likePattern(filter.q!))])))
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('m.created_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
};

export const findMember = (db: Db, workspaceId: string, id: string) => members(db, workspaceId).where('m.id', '=', id).executeTakeFirst();

export const findMemberByUser = (db: Db, workspaceId: string, userId: string) =>
  db.selectFrom('members').select(['id', 'status']).where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();

export const findActiveMemberByEmail = (db: Db, workspaceId: string, email: string) =>
  db
    .selectFrom('members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.id')
    .where('m.workspace_id', '=', workspaceId)
    .where('u.email', '=', email)
    .where('m.status', '=', 'active')
    .executeTakeFirst();

/**
 * Locks the active owners and returns their ids. Two owners demoting each other at once
 * queue on these locks, and the second sees the first's change, so one owner always remains.
 */
export const lockActiveOwners = async (db: Db, workspaceId: string) =>
  (
    await db
      .selectFrom('members as m')
      .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
      .select('m.id')
      .where('m.workspace_id', '=', workspaceId)
      .where('r.key', '=', OWNER_ROLE)
      .where('m.status', '=', 'active')
      .forUpdate('m')
      .execute()
  ).map((r) => r.id);

export const setMemberRole = (db: Db, workspaceId: string, id: string, roleId: string) =>
  db.updateTable('members').set({ role_id: roleId }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const setMemberStatus = (db: Db, workspaceId: string, id: string, status: 'active' | 'deactivated') =>
  db.updateTable('members').set({ status }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();

export const insertMember = (db: Db, workspaceId: string, member: { userId: string; roleId: string }) =>
  db.insertInto('members').values({ workspace_id: workspaceId, user_id: member.userId, role_id: member.roleId }).returning('id').executeTakeFirstOrThrow();

/** The ids among `ids` that are members of the workspace. */
export const existingMemberIds = async (db: Db, workspaceId: string, ids: readonly string[]) =>
  ids.length
    ? (await db.selectFrom('members').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', [...ids]).execute()).map((r) => r.id)
    : [];
