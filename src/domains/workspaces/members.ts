// Members: people in this workspace, their role, and whether they may still act here. A
// deactivated member keeps their history but gets no actor from a session or an API key.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { emit } from '../../platform/events/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { OWNER_ROLE, requireHeld, requireOwnerFor } from './grants.js';
import * as store from './members-store.js';
import { findRole } from './roles-store.js';

type MemberRow = NonNullable<Awaited<ReturnType<typeof store.findMember>>>;

const toMember = (r: MemberRow) => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  name: r.name,
  status: r.status,
  role: { id: r.role_id, key: r.role_key, name: r.role_name },
  teamIds: r.team_ids,
  createdAt: r.created_at,
});
export type Member = ReturnType<typeof toMember>;

export async function listMembers(db: Db, actor: Actor, filter: { q?: string; cursor?: string; limit: number }) {
  requireAccess(actor, 'members:read');
  const rows = await store.listMembers(db, actor.workspaceId, filter);
  return toPage(rows, filter.limit, (r) => [r.created_at.toISOString(), r.id], toMember);
}

export async function changeMemberRole(db: Db, actor: Actor, id: string, roleId: string) {
  requireAccess(actor, 'members:write');
  return inTransaction(db, async (tx) => {
    const member = await manageableMember(tx, actor, id);
    const role = await findRole(tx, actor.workspaceId, roleId);
    if (!role) throw notFound('Role');
    if (role.id === member.role_id) return toMember(member);
    requireOwnerFor(actor, role.key);
    requireHeld(actor, role.permissions, 'This role');
    if (member.role_key === OWNER_ROLE && member.status === 'active') await keepAnotherOwner(tx, actor.workspaceId, id, 'demoted');
    await store.setMemberRole(tx, actor.workspaceId, id, role.id);
    await recordAudit(tx, actor, {
      action: 'member.role_changed',
      entityType: 'member',
      entityId: id,
      before: { role: { id: member.role_id, key: member.role_key, name: member.role_name } },
      after: { role: { id: role.id, key: role.key, name: role.name } },
    });
    await emit(tx, actor.workspaceId, 'workspaces.member.role_changed', { memberId: id, roleId: role.id, previousRoleId: member.role_id });
    return toMember((await store.findMember(tx, actor.workspaceId, id))!);
  });
}

export async function deactivateMember(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'members:write');
  return setStatus(db, actor, id, 'deactivated');
}

export async function reactivateMember(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'members:write');
  return setStatus(db, actor, id, 'active');
}

function setStatus(db: Db, actor: Actor, id: string, status: 'active' | 'deactivated') {
  return inTransaction(db, async (tx) => {
    const member = await manageableMember(tx, actor, id);
    if (member.status === status) return toMember(member);
    if (status === 'deactivated' && member.role_key === OWNER_ROLE) await keepAnotherOwner(tx, actor.workspaceId, id, 'deactivated');
    await store.setMemberStatus(tx, actor.workspaceId, id, status);
    await recordAudit(tx, actor, {
      action: status === 'active' ? 'member.reactivated' : 'member.deactivated',
      entityType: 'member',
      entityId: id,
      before: { status: member.status },
      after: { status },
    });
    await emit(tx, actor.workspaceId, status === 'active' ? 'workspaces.member.reactivated' : 'workspaces.member.deactivated', { memberId: id });
    return toMember((await store.findMember(tx, actor.workspaceId, id))!);
  });
}

/** A member of this workspace the actor may manage: owners only by owners, nobody above oneself. */
async function manageableMember(tx: Db, actor: Actor, id: string) {
  const member = await store.findMember(tx, actor.workspaceId, id);
  if (!member) throw notFound('Member');
  requireOwnerFor(actor, member.role_key);
  requireHeld(actor, member.role_permissions, "This member's role");
  return member;
}

async function keepAnotherOwner(tx: Db, workspaceId: string, memberId: string, change: string) {
  const owners = await store.lockActiveOwners(tx, workspaceId);
  if (!owners.some((o) => o !== memberId)) throw conflict(`The last active owner cannot be ${change}; make someone else an owner first`);
}
