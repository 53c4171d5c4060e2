import { sql } from 'kysely';
import type { DataScope } from '../../platform/auth/permissions.js';
import type { Db } from '../../platform/db/connect.js';

const roles = (db: Db, workspaceId: string) =>
  db
    .selectFrom('roles as r')
    .select(['r.id', 'r.key', 'r.name', 'r.permissions', 'r.data_scope', 'r.created_at'])
    .select(sql<number>`(select count(*) from members m where m.workspace_id = r.workspace_id and m.role_id = r.id)`.as('member_count'))
    .where('r.workspace_id', '=', workspaceId);

/** A role with how many members (active or not) hold it. */
export const findRole = (db: Db, workspaceId: string, id: string) => roles(db, workspaceId).where('r.id', '=', id).executeTakeFirst();

/** Every role of the workspace; there are few (creation is capped). */
export const listRoles = (db: Db, workspaceId: string) => roles(db, workspaceId).execute();

export const countRoles = async (db: Db, workspaceId: string) =>
  (await db.selectFrom('roles').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow()).n;

export const findRoleByName = (db: Db, workspaceId: string, name: string) =>
  db
    .selectFrom('roles')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(sql`lower(name)`, '=', name.toLowerCase())
    .executeTakeFirst();

export const insertRole = (db: Db, workspaceId: string, role: { name: string; permissions: string[]; scope: DataScope }) =>
  db
    .insertInto('roles')
    .values({ workspace_id: workspaceId, key: null, name: role.name, permissions: role.permissions, data_scope: role.scope })
    .returning('id')
    .executeTakeFirstOrThrow();

export const updateRole = (db: Db, workspaceId: string, id: string, patch: { name?: string; permissions?: string[]; data_scope?: DataScope }) =>
  db.updateTable('roles').set(patch).where('workspace_id', '=', workspaceId).where('id', '=', id).where('key', 'is', null).execute();

export const deleteRole = (db: Db, workspaceId: string, id: string) =>
  db.deleteFrom('roles').where('workspace_id', '=', workspaceId).where('id', '=', id).where('key', 'is', null).execute();

/** Members holding the role (any status) and invitations still waiting to be accepted with it. */
export const findRoleUsage = (db: Db, workspaceId: string, id: string) =>
  db
    .selectNoFrom([
      sql<number>`(select count(*) from members where workspace_id = ${workspaceId} and role_id = ${id})`.as('members'),
      sql<number>`(select count(*) from invitations where workspace_id = ${workspaceId} and role_id = ${id}
                     and accepted_at is null and revoked_at is null and expires_at > now())`.as('invitations'),
    ])
    .executeTakeFirstOrThrow();

/** Accepted, revoked and expired invitations that name the role; nothing will read them again. */
export const deleteSpentInvitations = (db: Db, workspaceId: string, roleId: string) =>
  db
    .deleteFrom('invitations')
    .where('workspace_id', '=', workspaceId)
    .where('role_id', '=', roleId)
    .where((eb) => eb.or([eb('accepted_at', 'is not', null), eb('revoked_at', 'is not', null), eb('expires_at', '<=', sql<Date>`now()`)]))
    .execute();
