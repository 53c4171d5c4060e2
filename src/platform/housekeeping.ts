// Deletes what has outlived its use: expired sessions, idempotency records past their 24 hours,
// and login attempts older than a day (throttling looks back one minute). Runs in the worker.
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from './db/connect.js';
import { startPeriodic } from './periodic.js';

export async function sweepExpired(db: Db) {
  const [sessions, idempotency, attempts] = await Promise.all([
    db.deleteFrom('sessions').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst(),
    db.deleteFrom('idempotency_keys').where('created_at', '<', sql<Date>`now() - interval '24 hours'`).executeTakeFirst(),
    db.deleteFrom('login_attempts').where('at', '<', sql<Date>`now() - interval '1 day'`).executeTakeFirst(),
  ]);
  return {
    sessions: Number(sessions.numDeletedRows),
    idempotencyKeys: Number(idempotency.numDeletedRows),
    loginAttempts: Number(attempts.numDeletedRows),
  };
}

const HOURLY = 3_600_000;

/** Sweeps now and every hour until stopped. */
export const startHousekeeping = (db: Db, logger: Logger, everyMs = HOURLY) => startPeriodic('housekeeping', everyMs, () => sweepExpired(db), logger);
