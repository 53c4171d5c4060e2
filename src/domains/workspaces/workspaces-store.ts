import type { Db } from '../../platform/db/connect.js';
import type { DataScope } from '../../platform/auth/permissions.js';

export const insertWorkspace = (db: Db, name: string) =>
  db.insertInto('workspaces').values({ name }).returningAll().executeTakeFirstOrThrow();

export const findWorkspace = (db: Db, workspaceId: string) =>
  db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();

export const updateWorkspace = (db: Db, workspaceId: string, patch: { name?: string; timezone?: string; locale?: string; default_region?: string }) =>
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
