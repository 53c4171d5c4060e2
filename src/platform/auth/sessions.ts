// Console sign-in: login with throttling and lock-out, sessions, logout, password change.
import type { Config } from '../../config.js';
import { hashToken, randomToken } from '../crypto/tokens.js';
import type { Db } from '../db/connect.js';
import { AppError, invalid } from '../http/errors.js';
import type { SessionInfo } from '../http/context.js';
import type { Actor } from './actor.js';
import { PASSWORD_MIN_LENGTH } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { isPermission } from './permissions.js';
import * as store from './store.js';

export type AuthConfig = Pick<Config, 'LOGIN_MAX_FAILURES' | 'LOGIN_LOCK_MINUTES' | 'LOGIN_RATE_PER_MINUTE' | 'SESSION_TTL_HOURS' | 'PASSWORD_SCRYPT_LOG_N'>;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

// Verified against when the e-mail is unknown, so a miss costs as much time as a wrong password.
let decoyHash: Promise<string> | undefined;

export interface NewSession {
  token: string;
  csrfToken: string;
  userId: string;
}

export async function startSession(db: Db, config: AuthConfig, userId: string, workspaceId: string | null): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  await store.insertSession(db, {
    id: hashToken(token),
    userId,
    csrfToken,
    activeWorkspaceId: workspaceId,
    expiresAt: new Date(Date.now() + config.SESSION_TTL_HOURS * 3_600_000),
  });
  return { token, csrfToken, userId };
}

/**
 * Checks an e-mail and password with throttling per client address and lock-out per account;
 * every way in with a password (sign-in, accepting an invitation as an existing user) goes
 * through here. Returns the user, or throws unauthenticated / account_locked / rate_limited.
 */
export async function verifyCredentials(db: Db, config: AuthConfig, input: { email: string; password: string; clientIp: string }) {
  const email = normaliseEmail(input.email);
  const recent = await store.countRecentLoginFailures(db, input.clientIp, 60);
  if (recent >= config.LOGIN_RATE_PER_MINUTE) {
    throw new AppError('rate_limited', 'Too many failed sign-ins from this address; wait a minute.', { details: { retryAfterSeconds: 60 } });
  }
  const user = await store.findUserByEmail(db, email);
  if (user?.locked_until && user.locked_until > new Date()) {
    await store.insertLoginAttempt(db, { clientIp: input.clientIp, email, succeeded: false });
    throw new AppError('account_locked', 'This account is locked after repeated failed sign-ins; try again later.', {
      details: { lockedUntil: user.locked_until.toISOString() },
    });
  }
  decoyHash ??= hashPassword(randomToken(), config.PASSWORD_SCRYPT_LOG_N);
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash));
  await store.insertLoginAttempt(db, { clientIp: input.clientIp, email, succeeded: Boolean(user && ok) });
  if (!user || !ok) {
    if (user) {
      const after = await store.recordLoginFailure(db, user.id, config.LOGIN_MAX_FAILURES, config.LOGIN_LOCK_MINUTES);
      if (after.locked_until && after.locked_until > new Date()) {
        throw new AppError('account_locked', 'Too many failed sign-ins; the account is locked for a while.', {
          details: { lockedUntil: after.locked_until.toISOString() },
        });
      }
    }
    throw new AppError('unauthenticated', 'Wrong e-mail or password');
  }
  if (user.failed_logins > 0 || user.locked_until) await store.clearLoginFailures(db, user.id);
  return user;
}

export async function login(db: Db, config: AuthConfig, input: { email: string; password: string; clientIp: string }): Promise<NewSession> {
  const user = await verifyCredentials(db, config, input);
  const workspaces = await store.listUserWorkspaces(db, user.id);
  return startSession(db, config, user.id, workspaces[0]?.id ?? null);
}

export const logout = (db: Db, session: SessionInfo) => store.deleteSession(db, session.id);

export function checkNewPassword(password: string, path = 'newPassword') {
  if (password.length < PASSWORD_MIN_LENGTH) {
    throw invalid([{ path, message: `Use at least ${PASSWORD_MIN_LENGTH} characters` }]);
  }
}

/** Changes the password and ends every session of the user, this one included. */
export async function changePassword(db: Db, config: AuthConfig, userId: string, current: string, next: string) {
  const user = await store.findUserById(db, userId);
  if (!user || !(await verifyPassword(current, user.password_hash))) {
    throw invalid([{ path: 'currentPassword', message: 'The current password is wrong' }]);
  }
  checkNewPassword(next);
  await store.updatePasswordHash(db, userId, await hashPassword(next, config.PASSWORD_SCRYPT_LOG_N));
  await store.deleteUserSessions(db, userId);
}

export async function findSession(db: Db, token: string): Promise<SessionInfo | null> {
  const row = await store.findLiveSession(db, hashToken(token));
  return row ? { id: row.id, userId: row.user_id, csrfToken: row.csrf_token, activeWorkspaceId: row.active_workspace_id } : null;
}

/** The member the session acts as in its active workspace, or null when it has none. */
export async function actorForSession(db: Db, session: SessionInfo, requestId?: string): Promise<Actor | null> {
  if (!session.activeWorkspaceId) return null;
  const grant = await store.findMemberGrant(db, session.activeWorkspaceId, session.userId);
  return grant ? toActor(session.activeWorkspaceId, grant, requestId) : null;
}

/**
 * The actor for a member by id, as of now: background work started by a member re-checks their
 * current role when it runs. Null once they are deactivated.
 */
export async function actorForMember(db: Db, workspaceId: string, memberId: string): Promise<Actor | null> {
  const grant = await store.findMemberGrantById(db, workspaceId, memberId);
  return grant ? toActor(workspaceId, grant) : null;
}

function toActor(workspaceId: string, grant: store.MemberGrant & { userId: string }, requestId?: string): Actor {
  return {
    workspaceId,
    memberId: grant.memberId,
    userId: grant.userId,
    roleKey: grant.roleKey,
    permissions: new Set(grant.permissions.filter(isPermission)),
    scope: grant.scope,
    apiKeyId: null,
    requestId,
  };
}

export async function switchWorkspace(db: Db, session: SessionInfo, workspaceId: string) {
  const grant = await store.findMemberGrant(db, workspaceId, session.userId);
  if (!grant) throw new AppError('not_found', 'Workspace not found');
  await store.setSessionWorkspace(db, session.id, workspaceId);
}
