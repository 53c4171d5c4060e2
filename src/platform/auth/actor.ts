import { AppError } from '../http/errors.js';
import type { DataScope, Permission } from './permissions.js';

/** Who is acting: a member of one workspace, signed in or through one of their API keys. */
export interface Actor {
  workspaceId: string;
  memberId: string;
  userId: string;
  roleKey: string | null;
  permissions: ReadonlySet<Permission>;
  scope: DataScope;
  apiKeyId: string | null;
  requestId?: string;
}

/** The first line of every service method. */
export function requireAccess(actor: Actor, permission: Permission): void {
  if (!actor.permissions.has(permission)) {
    throw new AppError('forbidden', `Missing permission ${permission}`);
  }
}

/**
 * What an automation (an auto-tag or RFM trigger rule, a channel creating contacts) acts as: the
 * member who set it up, over the whole workspace, allowed to read and write contacts — tasks and
 * audit entries then name that member.
 */
export const automationActor = (workspaceId: string, memberId: string): Actor => ({
  workspaceId,
  memberId,
  userId: '',
  roleKey: null,
  permissions: new Set(['contacts:read', 'contacts:write']),
  scope: 'all',
  apiKeyId: null,
});
