import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { visibleOwner, type Visibility } from '../auth/scope.js';
import { afterNewestFirst } from '../http/pagination.js';

export interface AuditEntry {
  actorMemberId: string | null;
  actorApiKeyId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
}

export const insertAuditEntry = (db: Db, workspaceId: string, e: AuditEntry) =>
  db
    .insertInto('audit_log')
    .values({
      workspace_id: workspaceId,
      actor_member_id: e.actorMemberId,
      actor_api_key_id: e.actorApiKeyId,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId,
      before: e.before === null ? null : JSON.stringify(e.before),
      after: e.after === null ? null : JSON.stringify(e.after),
      request_id: e.requestId,
    })
    .execute();

export interface AuditFilter {
  action?: string;
  entityType?: string;
  actorMemberId?: string;
  from?: Date;
  to?: Date;
  cursor?: string;
  limit: number;
}

/** Newest first; a member sees the entries made by the members their data scope covers. */
export const listAuditEntries = (db: Db, v: Visibility, f: AuditFilter) => {
  const after = afterNewestFirst('a.at', 'a.id', f.cursor);
  return db
    .selectFrom('audit_log as a')
    .leftJoin('members as m', (j) => j.onRef('m.workspace_id', '=', 'a.workspace_id').onRef('m.id', '=', 'a.actor_member_id'))
    .leftJoin('users as u', 'u.id', 'm.user_id')
    .select(['a.id', 'a.at', 'a.actor_member_id', 'a.actor_api_key_id', 'u.name as actor_name', 'a.action', 'a.entity_type', 'a.entity_id', 'a.before', 'a.after', 'a.request_id'])
    .where('a.workspace_id', '=', v.workspaceId)
    .where(v.scope === 'all' ? sql<boolean>`true` : visibleOwner(v, 'a.actor_member_id'))
    .$if(Boolean(f.action), (q) => q.where('a.action', '=', f.action!))
    .$if(Boolean(f.entityType), (q) => q.where('a.entity_type', '=', f.entityType!))
    .$if(Boolean(f.actorMemberId), (q) => q.where('a.actor_member_id', '=', f.actorMemberId!))
    .$if(Boolean(f.from), (q) => q.where('a.at', '>=', f.from!))
    .$if(Boolean(f.to), (q) => q.where('a.at', '<', f.to!))
    .$if(Boolean(after), (q) => q.where(after!))
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(f.limit + 1)
    .execute();
};
