import { sql } from 'kysely';
import type { Db } from '../db/connect.js';

const TTL = sql`interval '24 hours'`;

/** Claims the key for this request; returns the earlier record when it was already claimed. */
export async function claimIdempotencyKey(db: Db, workspaceId: string, principal: string, key: string, requestHash: string) {
  await db
    .deleteFrom('idempotency_keys')
    .where('workspace_id', '=', workspaceId)
    .where('principal', '=', principal)
    .where('key', '=', key)
    .where('created_at', '<', sql<Date>`now() - ${TTL}`)
    .execute();
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ workspace_id: workspaceId, principal, key, request_hash: requestHash, status_code: null, response: null })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (claimed) return null;
  return db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'status_code', 'response'])
    .where('workspace_id', '=', workspaceId)
    .where('principal', '=', principal)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

export const saveIdempotentResponse = (db: Db, workspaceId: string, principal: string, key: string, statusCode: number, response: unknown) =>
  db
    .updateTable('idempotency_keys')
    .set({ status_code: statusCode, response: response === undefined ? null : JSON.stringify(response) })
    .where('workspace_id', '=', workspaceId)
    .where('principal', '=', principal)
    .where('key', '=', key)
    .execute();

export const releaseIdempotencyKey = (db: Db, workspaceId: string, principal: string, key: string) =>
  db.deleteFrom('idempotency_keys').where('workspace_id', '=', workspaceId).where('principal', '=', principal).where('key', '=', key).execute();
