// Who may hand out what. Two rules keep members from raising anyone above themselves:
// only an owner touches the owner role, and nobody grants permissions they do not hold.
import { AppError } from '../../platform/http/errors.js';
import type { Actor } from '../../platform/auth/actor.js';
import { isPermission } from '../../platform/auth/permissions.js';

export const OWNER_ROLE = 'owner';

/** Refuses unless the actor is an owner whenever the owner role is on either side of a change. */
export function requireOwnerFor(actor: Actor, ...roleKeys: Array<string | null>) {
  if (roleKeys.includes(OWNER_ROLE) && actor.roleKey !== OWNER_ROLE) {
    throw new AppError('forbidden', 'Only an owner can grant, take away or manage the owner role');
  }
}

/**
 * Refuses permissions beyond the actor's own (for an API key: beyond the key's scopes). Strings
 * no longer in the catalog grant nothing, so they never block.
 */
export function requireHeld(actor: Actor, permissions: readonly string[], what: string) {
  const beyond = permissions.filter((p) => isPermission(p) && !actor.permissions.has(p));
  if (beyond.length) throw new AppError('forbidden', `${what} carries permissions you do not have: ${beyond.join(', ')}`);
}

/** Unique-index violations, from node-postgres and PGlite alike. */
export const isUniqueViolation = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
