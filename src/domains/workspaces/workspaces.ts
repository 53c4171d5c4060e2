// Workspaces: the tenant. Creating one seeds the built-in roles and makes its creator the owner.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { builtinRoles } from '../../platform/auth/permissions.js';
import { emit } from '../../platform/events/index.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { seedContactDefaults } from '../contacts/index.js';
import * as store from './workspaces-store.js';

type WorkspaceRow = { id: string; name: string; timezone: string; locale: string; default_region: string; identity_collision: 'refuse' | 'merge'; created_at: Date };

export const toWorkspace = (w: WorkspaceRow) => ({
  id: w.id,
  name: w.name,
  timezone: w.timezone,
  locale: w.locale,
  defaultRegion: w.default_region,
  identityCollision: w.identity_collision,
  createdAt: w.created_at,
});

/**
 * Creates a workspace with the built-in roles, owned by `ownerUserId` when given (the CLI may
 * create one first and add its owner after). Returns it with the owner's member id.
 */
export async function createWorkspace(db: Db, ownerUserId: string | null, name: string) {
  return inTransaction(db, async (tx) => {
    const workspace = await store.insertWorkspace(tx, name);
    const roles = await store.insertRoles(tx, workspace.id, builtinRoles);
    const ownerRole = roles.find((r) => r.key === 'owner')!;
    const owner = ownerUserId ? await store.insertMember(tx, workspace.id, { userId: ownerUserId, roleId: ownerRole.id }) : null;
    await seedContactDefaults(tx, workspace.id);
    await recordAudit(tx, { workspaceId: workspace.id, memberId: owner?.id ?? null, apiKeyId: null }, {
      action: 'workspace.created',
      entityType: 'workspace',
      entityId: workspace.id,
      after: { name },
    });
    await emit(tx, workspace.id, 'workspaces.workspace.created', { workspaceId: workspace.id, ownerMemberId: owner?.id ?? null });
    return { workspace: toWorkspace(workspace), ownerMemberId: owner?.id ?? null };
  });
}

export async function updateWorkspace(
  db: Db,
  actor: Actor,
  patch: { name?: string; timezone?: string; locale?: string; defaultRegion?: string; identityCollision?: 'refuse' | 'merge' },
) {
  requireAccess(actor, 'workspace:manage');
  return inTransaction(db, async (tx) => {
    const before = await store.findWorkspace(tx, actor.workspaceId);
    const { defaultRegion, identityCollision, ...rest } = patch;
    const after = await store.updateWorkspace(tx, actor.workspaceId, {
      ...rest,
      ...(defaultRegion ? { default_region: defaultRegion } : {}),
      ...(identityCollision ? { identity_collision: identityCollision } : {}),
    });
    await recordAudit(tx, actor, {
      action: 'workspace.updated',
      entityType: 'workspace',
      entityId: actor.workspaceId,
      before: before ? toWorkspace(before) : null,
      after: toWorkspace(after),
    });
    return toWorkspace(after);
  });
}

export const countWorkspaces = store.countWorkspaces;
