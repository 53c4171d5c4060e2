// Invitations: a one-time link that makes its holder a member with a chosen role and teams.
// The link's token is shown once; only its hash is stored.
import { recordAudit } from '../../platform/audit/audit.js';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import { normaliseEmail } from '../../platform/auth/sessions.js';
import { hashToken, randomToken } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, notFound } from '../../platform/http/errors.js';
import { toPage } from '../../platform/http/pagination.js';
import { requireHeld, requireOwnerFor } from './grants.js';
import * as store from './invitations-store.js';
import { findActiveMemberByEmail } from './members-store.js';
import { findRole } from './roles-store.js';
import { existingTeamIds } from './teams-store.js';

export const INVITATION_TTL_DAYS = 7;

type InvitationRow = NonNullable<Awaited<ReturnType<typeof store.findInvitation>>>;

const toInvitation = (r: InvitationRow) => ({
  id: r.id,
  email: r.email,
  role: { id: r.role_id, name: r.role_name },
  teamIds: r.team_ids,
  status: r.status,
  expiresAt: r.expires_at,
  createdAt: r.created_at,
  invitedBy: { id: r.invited_by, name: r.invited_by_name },
});
export type Invitation = ReturnType<typeof toInvitation>;

export async function listInvitations(db: Db, actor: Actor, page: { cursor?: string; limit: number }) {
  requireAccess(actor, 'members:read');
  const rows = await store.listInvitations(db, actor.workspaceId, page);
  return toPage(rows, page.limit, (r) => [r.created_at.toISOString(), r.id], toInvitation);
}

/** Returns the invitation and its token; the caller turns the token into the link, once. */
export async function createInvitation(db: Db, actor: Actor, input: { email: string; roleId: string; teamIds?: string[] }) {
  requireAccess(actor, 'members:write');
  const email = normaliseEmail(input.email);
  const teamIds = [...new Set(input.teamIds ?? [])];
  return inTransaction(db, async (tx) => {
    const role = await findRole(tx, actor.workspaceId, input.roleId);
    if (!role) throw notFound('Role');
    if ((await existingTeamIds(tx, actor.workspaceId, teamIds)).length !== teamIds.length) throw notFound('Team');
    requireOwnerFor(actor, role.key);
    requireHeld(actor, role.permissions, 'This role');
    if (await findActiveMemberByEmail(tx, actor.workspaceId, email)) throw conflict('This person is already a member of the workspace');
    for (const replaced of await store.revokePendingFor(tx, actor.workspaceId, email)) {
      await recordAudit(tx, actor, { action: 'invitation.revoked', entityType: 'invitation', entityId: replaced, after: { email, reason: 'replaced' } });
    }
    const token = randomToken();
    const expiresAt = new Date(Date.now() + INVITATION_TTL_DAYS * 86_400_000);
    const { id } = await store.insertInvitation(tx, actor.workspaceId, {
      email,
      roleId: role.id,
      teamIds,
      tokenHash: hashToken(token),
      invitedBy: actor.memberId,
      expiresAt,
    });
    await recordAudit(tx, actor, {
      action: 'invitation.created',
      entityType: 'invitation',
      entityId: id,
      after: { email, role: { id: role.id, key: role.key, name: role.name }, teamIds, expiresAt: expiresAt.toISOString() },
    });
    return { invitation: toInvitation((await store.findInvitation(tx, actor.workspaceId, id))!), token };
  });
}

export async function revokeInvitation(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'members:write');
  await inTransaction(db, async (tx) => {
    const invitation = await store.findInvitation(tx, actor.workspaceId, id);
    if (!invitation) throw notFound('Invitation');
    if (invitation.status === 'revoked') return;
    if (invitation.status === 'accepted') throw conflict('This invitation has already been accepted');
    requireOwnerFor(actor, invitation.role_key);
    await store.revokeInvitation(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'invitation.revoked', entityType: 'invitation', entityId: id, before: { email: invitation.email, status: invitation.status } });
  });
}
