// API keys for integrations: shown once, stored as a hash, limited to scopes that the creating
// member holds, acting with that member's data scope, revocable, with a last-used time.
import { randomToken, hashToken } from '../crypto/tokens.js';
import { recordAudit } from '../audit/audit.js';
import { emit } from '../events/emit.js';
import type { Db } from '../db/connect.js';
import { inTransaction } from '../db/transaction.js';
import { AppError, notFound } from '../http/errors.js';
import { toPage } from '../http/pagination.js';
import { requireAccess, type Actor } from './actor.js';
import { findApiKey, findApiKeyGrant, insertApiKey, listApiKeys as listRows, revokeApiKey as revokeRow, touchApiKey } from './api-keys-store.js';
import { isPermission, type Permission } from './permissions.js';

const KEY_PREFIX = 'rmk';

type KeyRow = NonNullable<Awaited<ReturnType<typeof findApiKey>>>;

const toApiKey = (r: KeyRow) => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: r.scopes,
  owner: { id: r.owner_member_id, name: r.owner_name },
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
});
export type ApiKey = ReturnType<typeof toApiKey>;

export async function createApiKey(db: Db, actor: Actor, input: { name: string; scopes: Permission[]; expiresAt?: Date | null }) {
  requireAccess(actor, 'api-keys:write');
  const beyond = input.scopes.filter((s) => !actor.permissions.has(s));
  if (beyond.length) throw new AppError('forbidden', `A key cannot carry permissions you do not have: ${beyond.join(', ')}`);
  const prefix = randomToken(6).replace(/[-_]/g, 'x').slice(0, 8);
  const secret = `${KEY_PREFIX}_${prefix}_${randomToken()}`;
  const scopes = [...new Set(input.scopes)];
  return inTransaction(db, async (tx) => {
    const { id } = await insertApiKey(tx, actor.workspaceId, {
      ownerMemberId: actor.memberId,
      name: input.name,
      prefix: `${KEY_PREFIX}_${prefix}`,
      keyHash: hashToken(secret),
      scopes,
      expiresAt: input.expiresAt ?? null,
    });
    await recordAudit(tx, actor, { action: 'api_key.created', entityType: 'api_key', entityId: id, after: { name: input.name, prefix: `${KEY_PREFIX}_${prefix}`, scopes } });
    await emit(tx, actor.workspaceId, 'auth.api_key.created', { apiKeyId: id, ownerMemberId: actor.memberId, scopes });
    const row = await findApiKey(tx, actor, id);
    return { apiKey: toApiKey(row!), secret };
  });
}

export async function listApiKeys(db: Db, actor: Actor, page: { cursor?: string; limit: number }) {
  requireAccess(actor, 'api-keys:read');
  const rows = await listRows(db, actor, page);
  return toPage(rows, page.limit, (r) => [r.created_at.toISOString(), r.id], toApiKey);
}

export async function revokeApiKey(db: Db, actor: Actor, id: string) {
  requireAccess(actor, 'api-keys:write');
  await inTransaction(db, async (tx) => {
    const key = await findApiKey(tx, actor, id);
    if (!key) throw notFound('API key');
    if (key.revoked_at) return;
    await revokeRow(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'api_key.revoked', entityType: 'api_key', entityId: id, before: { name: key.name, prefix: key.prefix } });
    await emit(tx, actor.workspaceId, 'auth.api_key.revoked', { apiKeyId: id });
  });
}

const LAST_USED_RESOLUTION_MS = 60_000;

/** The actor behind a bearer key, or null. Last-used time is written at most once a minute. */
export async function actorForApiKey(db: Db, secret: string, requestId?: string): Promise<Actor | null> {
  if (!secret.startsWith(`${KEY_PREFIX}_`)) return null;
  const grant = await findApiKeyGrant(db, hashToken(secret));
  if (!grant) return null;
  if (!grant.lastUsedAt || Date.now() - grant.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await touchApiKey(db, grant.workspaceId, grant.apiKeyId);
  }
  const scopes = new Set(grant.scopes);
  return {
    workspaceId: grant.workspaceId,
    memberId: grant.memberId,
    userId: grant.userId,
    roleKey: grant.roleKey,
    // A key never exceeds its owner's current role, even if the role was narrowed after it was made.
    permissions: new Set(grant.permissions.filter(isPermission).filter((p) => scopes.has(p))),
    scope: grant.scope,
    apiKeyId: grant.apiKeyId,
    requestId,
  };
}
