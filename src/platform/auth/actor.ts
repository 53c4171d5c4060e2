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
