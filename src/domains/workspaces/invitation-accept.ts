// The invitee's side of an invitation: look the link up, then accept it as a new or an existing
// user. Acceptance is one transaction and one-time; the invitation row is locked while it runs.
import { recordAudit } from '../../platform/audit/audit.js';
import { toUser } from '../../platform/auth/me.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { checkNewPassword, startSession, verifyCredentials, type AuthConfig } from '../../platform/auth/sessions.js';
import * as users from '../../platform/auth/store.js';
import { hashToken } from '../../platform/crypto/tokens.js';
import type { Db } from '../../platform/db/connect.js';
import { emit } from '../../platform/events/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { conflict, invalid, notFound } from '../../platform/http/errors.js';
import { isUniqueViolation } from './grants.js';
import { findPendingByToken, lockPending, markAccepted } from './invitations-store.js';
import { findMemberByUser, insertMember, setMemberRole, setMemberStatus } from './members-store.js';
import { addToTeams, existingTeamIds } from './teams-store.js';

/** What the invitation page shows before the invitee signs up or in. */
export async function lookupInvitation(db: Db, token: string) {
  const invitation = await findPendingByToken(db, hashToken(token));
  if (!invitation) throw notFound('Invitation');
  const user = await users.findUserByEmail(db, invitation.email);
  return { workspaceName: invitation.workspace_name, email: invitation.email, userExists: Boolean(user) };
}

export interface Acceptance {
  token: string;
  name?: string;
  password: string;
  clientIp: string;
}

export async function acceptInvitation(db: Db, config: AuthConfig, input: Acceptance) {
  const found = await findPendingByToken(db, hashToken(input.token));
  if (!found) throw notFound('Invitation');
  const existing = await users.findUserByEmail(db, found.email);
  let passwordHash: string | null = null;
  if (existing) {
    // The same throttling and lock-out as signing in, so a link cannot be used to guess a password.
    await verifyCredentials(db, config, { email: existing.email, password: input.password, clientIp: input.clientIp });
  } else {
    if (!input.name) throw invalid([{ path: 'name', message: 'Your name is needed to create the account' }]);
    checkNewPassword(input.password, 'password');
    passwordHash = await hashPassword(input.password, config.PASSWORD_SCRYPT_LOG_N);
  }
  const workspaceId = found.workspace_id;
  try {
    return await inTransaction(db, async (tx) => {
      const invitation = await lockPending(tx, workspaceId, found.id);
      if (!invitation) throw notFound('Invitation');
      const user = existing ?? (await users.insertUser(tx, { email: invitation.email, name: input.name!, passwordHash: passwordHash! }));
      const memberId = await joinWorkspace(tx, workspaceId, user.id, invitation.role_id);
      const teamIds = await existingTeamIds(tx, workspaceId, invitation.team_ids);
      await addToTeams(tx, workspaceId, memberId, teamIds);
      await markAccepted(tx, workspaceId, invitation.id);
      await recordAudit(tx, { workspaceId, memberId, apiKeyId: null }, {
        action: 'invitation.accepted',
        entityType: 'invitation',
        entityId: invitation.id,
        after: { email: invitation.email, memberId, userId: user.id, roleId: invitation.role_id, teamIds, newUser: !existing },
      });
      await emit(tx, workspaceId, 'workspaces.member.joined', { memberId, userId: user.id, roleId: invitation.role_id, teamIds, invitationId: invitation.id });
      const session = await startSession(tx, config, user.id, workspaceId);
      return { user: toUser(user), session };
    });
  } catch (error) {
    // Someone signed up with this address between the check above and the insert.
    if (isUniqueViolation(error)) throw conflict('An account with this e-mail now exists; open the link again to sign in');
    throw error;
  }
}

/** A returning member (deactivated earlier) comes back with the invitation's role. */
async function joinWorkspace(tx: Db, workspaceId: string, userId: string, roleId: string) {
  const membership = await findMemberByUser(tx, workspaceId, userId);
  if (!membership) return (await insertMember(tx, workspaceId, { userId, roleId })).id;
  if (membership.status === 'active') throw conflict('You are already a member of this workspace');
  await setMemberRole(tx, workspaceId, membership.id, roleId);
  await setMemberStatus(tx, workspaceId, membership.id, 'active');
  return membership.id;
}
