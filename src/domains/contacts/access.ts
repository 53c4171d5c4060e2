// Which contacts an actor may see: live (not deleted, not merged away) and owned within their
// data scope. Every read or write of a contact, here or in another domain, checks through this.
import { sql, type Expression, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/auth/actor.js';
import { visibleOwner } from '../../platform/auth/scope.js';
import type { Db } from '../../platform/db/connect.js';
import { notFound } from '../../platform/http/errors.js';

/** The predicate for `contacts as c` (or another alias): live and within the actor's scope. */
export function visibleContact(actor: Actor, alias = 'c'): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${alias}.deleted_at`)} is null and ${visibleOwner(actor, `${alias}.owner_member_id`)})`;
}

/** 404 unless the contact exists in the actor's workspace and scope. */
export async function requireVisibleContact(db: Db, actor: Actor, contactId: string): Promise<void> {
  const found = await db
    .selectFrom('contacts as c')
    .select('c.id')
    .where('c.workspace_id', '=', actor.workspaceId)
    .where('c.id', '=', contactId)
    .where(visibleContact(actor))
    .executeTakeFirst();
  if (!found) throw notFound('Contact');
}

/** The subset of `ids` the actor can see (for batch work and links from other records). */
export async function visibleContactIds(db: Db, actor: Actor, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .selectFrom('contacts as c')
    .select('c.id')
    .where('c.workspace_id', '=', actor.workspaceId)
    .where('c.id', 'in', ids)
    .where(visibleContact(actor))
    .execute();
  return rows.map((r) => r.id);
}
