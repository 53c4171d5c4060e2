// Operator actions for the CLI, outside any HTTP session: add an administrator to a workspace
// and act as its senior member.
import { recordAudit } from '../../platform/audit/audit.js';
import type { Actor } from '../../platform/auth/actor.js';
import { hashPassword, verifyPassword } from '../../platform/auth/passwords.js';
import { actorForMember, checkNewPassword, normaliseEmail } from '../../platform/auth/sessions.js';
import { findUserByEmail, insertUser } from '../../platform/auth/store.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import * as store from './workspaces-store.js';

export async function findWorkspaceByRef(db: Db, ref: string) {
  const workspace = await store.findWorkspaceByRef(db, ref);
  if (!workspace) throw notFound(`Workspace "${ref}"`);
  return workspace;
}

/**
 * Makes the person with this e-mail an administrator of the workspace, creating their account
 * if needed. The first administrator of a workspace without an owner becomes its owner.
 */
export async function createAdmin(db: Db, hashCost: number, input: { workspace: string; email: string; password: string; name?: string }) {
  const workspace = await findWorkspaceByRef(db, input.workspace);
  const email = normaliseEmail(input.email);
  return inTransaction(db, async (tx) => {
    let user = await findUserByEmail(tx, email);
    if (user && !(await verifyPassword(input.password, user.password_hash))) {
      throw new AppError('unauthenticated', `${email} already has an account and the password does not match it`);
    }
    if (!user) {
      checkNewPassword(input.password, 'password');
      user = await insertUser(tx, { email, name: input.name ?? email.split('@')[0]!, passwordHash: await hashPassword(input.password, hashCost) });
    }
    if (await store.findMemberByUser(tx, workspace.id, user.id)) throw new AppError('conflict', `${email} is already a member of ${workspace.name}`);
    const hasOwner = (await store.findSeniorMember(tx, workspace.id))?.key === 'owner';
    const role = (await store.findRoleByKey(tx, workspace.id, hasOwner ? 'admin' : 'owner'))!;
    const member = await store.insertMember(tx, workspace.id, { userId: user.id, roleId: role.id });
    await recordAudit(tx, { workspaceId: workspace.id, memberId: null, apiKeyId: null }, {
      action: 'member.added',
      entityType: 'member',
      entityId: member.id,
      after: { email, role: role.key },
    });
    return { workspace, user, memberId: member.id, role: role.key! };
  });
}

/** The actor the CLI uses in a workspace: its senior owner (or admin). */
export async function operatorActor(db: Db, workspaceRef: string): Promise<Actor> {
  const workspace = await findWorkspaceByRef(db, workspaceRef);
  const senior = await store.findSeniorMember(db, workspace.id);
  if (!senior) throw new AppError('conflict', `Workspace ${workspace.name} has no owner or admin yet: run create-admin first`);
  return (await actorForMember(db, workspace.id, senior.id))!;
}
