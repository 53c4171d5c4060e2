import { sql } from 'kysely';
import type { Db } from '../../platform/db/connect.js';
import type { DataScope } from '../../platform/auth/permissions.js';

export const insertWorkspace = (db: Db, name: string) =>
  db.insertInto('workspaces').values({ name }).returningAll().executeTakeFirstOrThrow();

export const findWorkspace = (db: Db, workspaceId: string) =>
  db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();

export const updateWorkspace = (
  db: Db,
  workspaceId: string,
  patch: { name?: string; timezone?: string; locale?: string; default_region?: string; identity_collision?: 'refuse' | 'merge' },
) =>
  db.updateTable('workspaces').set(patch).where('id', '=', workspaceId).returningAll().executeTakeFirstOrThrow();

export const insertRoles = (db: Db, workspaceId: string, roles: ReadonlyArray<{ key: string | null; name: string; permissions: readonly string[]; scope: DataScope }>) =>
  db
    .insertInto('roles')
    .values(roles.map((r) => ({ workspace_id: workspaceId, key: r.key, name: r.name, permissions: [...r.permissions], data_scope: r.scope })))
    .returning(['id', 'key'])
    .execute();

export const insertMember = (db: Db, workspaceId: string, member: { userId: string; roleId: string }) =>
  db
    .insertInto('members')
    .values({ workspace_id: workspaceId, user_id: member.userId, role_id: member.roleId })
    .returningAll()
    .executeTakeFirstOrThrow();

export const countWorkspaces = async (db: Db) =>
  (await db.selectFrom('workspaces').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

/** A workspace by id, or by exact name when the reference is not a uuid (for the CLI). */
export const findWorkspaceByRef = (db: Db, ref: string) =>
  db
    .selectFrom('workspaces')
    .selectAll()
    .where(/^[0-9a-f-]{36}$/i.test(ref) ? 'id' : 'name', '=', ref)
    .orderBy('created_at')
    .executeTakeFirst();

export const findRoleByKey = (db: Db, workspaceId: string, key: string) =>
  db.selectFrom('roles').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();

/** The longest-standing active owner, or else admin: who the CLI acts as. */
export const findSeniorMember = (db: Db, workspaceId: string) =>
  db
    .selectFrom('members as m')
    .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
    .select(['m.id', 'm.user_id', 'r.key'])
    .where('m.workspace_id', '=', workspaceId)
    .where('m.status', '=', 'active')
    .where('r.key', 'in', ['owner', 'admin'])
    .orderBy(sql`r.key = 'owner'`, 'desc')
    .orderBy('m.created_at')
    .executeTakeFirst();

export const findMemberByUser = (db: Db, workspaceId: string, userId: string) =>
  db.selectFrom('members').selectAll().where('workspace_id', '=', workspaceId).where('user_id', '=', userId).executeTakeFirst();
