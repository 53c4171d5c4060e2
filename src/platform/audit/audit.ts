// The audit log: who changed what, when, with the state before and after. Services record an
// entry inside the transaction that makes the change, so the log and the data never disagree.
import type { Actor } from '../auth/actor.js';
import { requireAccess } from '../auth/actor.js';
import type { Db } from '../db/connect.js';
import { toPage } from '../http/pagination.js';
import { insertAuditEntry, listAuditEntries, type AuditFilter } from './store.js';

export interface AuditChange {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Who made a change: a member (maybe through an API key), or nobody for the CLI and the system. */
export type AuditActor = { workspaceId: string; memberId: string | null; apiKeyId: string | null; requestId?: string };

export function recordAudit(tx: Db, actor: AuditActor, change: AuditChange) {
  return insertAuditEntry(tx, actor.workspaceId, {
    actorMemberId: actor.memberId,
    actorApiKeyId: actor.apiKeyId,
    action: change.action,
    entityType: change.entityType,
    entityId: change.entityId ?? null,
    before: change.before ?? null,
    after: change.after ?? null,
    requestId: actor.requestId ?? null,
  });
}

export async function listAudit(db: Db, actor: Actor, filter: AuditFilter) {
  requireAccess(actor, 'audit:read');
  const rows = await listAuditEntries(db, actor, filter);
  return toPage(
    rows,
    filter.limit,
    (r) => [r.at.toISOString(), r.id],
    (r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor_member_id || r.actor_api_key_id ? { memberId: r.actor_member_id, name: r.actor_name, apiKeyId: r.actor_api_key_id } : null,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      before: r.before,
      after: r.after,
      requestId: r.request_id,
    }),
  );
}
