// Roles: the built-in ones every workspace starts with, and custom ones made from the permission
// catalog. Built-in roles are fixed; a custom role can never carry more than its maker holds.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { builtinRoles, dataScopes, permissionGroups, type DataScope, type Permission } from '../../platform/auth/permissions.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, notFound } from '../../platform/http/errors.js';
import { isUniqueViolation, requireHeld } from './grants.js';
import * as store from './roles-store.js';

export const MAX_ROLES = 200;

type RoleRow = NonNullable<Awaited<ReturnType<typeof store.findRole>>>;

const toRole = (r: RoleRow) => ({
  id: r.id,
  key: r.key,
  name: r.name,
  permissions: r.permissions,
  scope: r.data_scope,
  memberCount: Number(r.member_count),
  builtin: r.key !== null,
});
export type Role = ReturnType<typeof toRole>;

const snapshot = (r: { name: string; permissions: string[]; data_scope: DataScope }) => ({ name: r.name, permissions: r.permissions, scope: r.data_scope });

/** The catalog a role is made from; the same for everyone, so any member may read it. */
export const permissionCatalog = () => ({
  groups: Object.entries(permissionGroups).map(([group, permissions]) => ({ group, permissions: [...permissions] as string[] })),
  scopes: [...dataScopes],
});

const builtinOrder = (key: string | null) => (key === null ? builtinRoles.length : builtinRoles.findIndex((b) => b.key === key));

/** Built-in roles in their catalog order, then custom roles by name. */
export async function listRoles(db: Db, actor: Actor) {
  requireAccess(actor, 'roles:read');
  const rows = await store.listRoles(db, actor.workspaceId);
  rows.sort((a, b) => builtinOrder(a.key) - builtinOrder(b.key) || a.name.localeCompare(b.name));
  return { items: rows.map(toRole), nextCursor: null };
}

export async function createRole(db: Db, actor: Actor, input: { name: string; permissions: Permission[]; scope: DataScope }) {
  requireAccess(actor, 'roles:write');
  const permissions = [...new Set(input.permissions)];
  requireHeld(actor, permissions, 'This role');
  return withNameCheck(() =>
    inTransaction(db, async (tx) => {
      if ((await store.countRoles(tx, actor.workspaceId)) >= MAX_ROLES) throw conflict(`A workspace can have at most ${MAX_ROLES} roles`);
      await refuseTakenName(tx, actor.workspaceId, input.name);
      const { id } = await store.insertRole(tx, actor.workspaceId, { name: input.name, permissions, scope: input.scope });
      await recordAudit(tx, actor, { action: 'role.created', entityType: 'role', entityId: id, after: { name: input.name, permissions, scope: input.scope } });
      return toRole((await store.findRole(tx, actor.workspaceId, id))!);
    }),
  );
}

export async function updateRole(db: Db, actor: Actor, id: string, patch: { name?: string; permissions?: Permission[]; scope?: DataScope }) {
  requireAccess(actor, 'roles:write');
  return withNameCheck(() =>
    inTransaction(db, async (tx) => {
      const before = await editableRole(tx, actor, id);
      const permissions = patch.permissions ? [...new Set(patch.permissions)] : undefined;
      if (permissions) requireHeld(actor, permissions, 'This role');
      if (patch.name !== undefined && patch.name.toLowerCase() !== before.name.toLowerCase()) await refuseTakenName(tx, actor.workspaceId, patch.name);
      if (patch.name === undefined && !permissions && !patch.scope) return toRole(before);
      await store.updateRole(tx, actor.workspaceId, id, { name: patch.name, permissions, data_scope: patch.scope });
      const after = (await store.findRole(tx, actor.workspaceId, id))!;
      await recordAudit(tx, actor, { action: 'role.updated', entityType: 'role', entityId: id, before: snapshot(before), after: snapshot(after) });
      return toRole(after);
    }),
  );
}

export async function deleteRole(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'roles:write');
  await inTransaction(db, async (tx) => {
    const role = await editableRole(tx, actor, id);
    const usage = await store.findRoleUsage(tx, actor.workspaceId, id);
    if (Number(usage.members) > 0) throw conflict('Members still hold this role; give them another role first', { members: Number(usage.members) });
    if (Number(usage.invitations) > 0) throw conflict('Pending invitations use this role; revoke them first', { invitations: Number(usage.invitations) });
    // Spent invitations (accepted, revoked, expired) only point at the role; the audit log keeps their history.
    await store.deleteSpentInvitations(tx, actor.workspaceId, id);
    await store.deleteRole(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'role.deleted', entityType: 'role', entityId: id, before: snapshot(role) });
  });
}

/** A custom role of this workspace whose permissions the actor holds all of. */
async function editableRole(tx: Db, actor: Actor, id: string) {
  const role = await store.findRole(tx, actor.workspaceId, id);
  if (!role) throw notFound('Role');
  if (role.key !== null) throw conflict('Built-in roles cannot be changed or deleted');
  requireHeld(actor, role.permissions, 'This role');
  return role;
}

async function refuseTakenName(tx: Db, workspaceId: string, name: string) {
  if (await store.findRoleByName(tx, workspaceId, name)) throw conflict('A role with this name already exists');
}

// Two requests racing for one name both pass the check; the unique index decides.
async function withNameCheck<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw conflict('A role with this name already exists');
    throw error;
  }
}
