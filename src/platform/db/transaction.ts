import type { Transaction } from 'kysely';
import type { Db } from './connect.js';
import { transactionWithNotices } from './notify.js';
import type { Database } from './schema.js';

export type Tx = Transaction<Database>;

/**
 * Runs `work` in a transaction, or inside the caller's transaction when `db` already is one,
 * so services compose: a service that writes and emits an outbox event can be called on its own
 * or from within a larger unit of work, and either way its writes commit or roll back together.
 */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Tx);
  // Its NOTIFYs go out once it has committed (notify.ts says why).
  return transactionWithNotices(db, (tx) => work(tx as Tx));
}
