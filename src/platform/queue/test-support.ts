// Helpers for the queue and outbox tests: deterministic waits, never timing assertions.
import pg from 'pg';
import { pino } from 'pino';
import type { TestDatabase } from '../../../test/support/db.js';
import type { Db } from '../db/connect.js';

export const silentLogger = pino({ level: 'silent' });

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function createWorkspace(db: Db, name = 't'): Promise<string> {
  const { id } = await db.insertInto('workspaces').values({ name }).returning('id').executeTakeFirstOrThrow();
  return id;
}

/**
 * Closes a test database without the shutdown race of a server one: pg-pool's end() resolves
 * before its sockets have closed, and the harness's `drop database … with (force)` then kills
 * those backends, which surfaces as an uncaught "terminating connection" error in the suite.
 * So: end the pool, wait until the server has no other backend on the database, then close.
 */
export async function closeTestDatabase(handle: TestDatabase): Promise<void> {
  await handle.db.destroy();
  if (handle.url) {
    const probe = new pg.Client({ connectionString: handle.url });
    await probe.connect();
    try {
      await waitFor(async () => {
        const { rows } = await probe.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
        return rows[0]!.n === 0;
      }, 'the pool’s connections to close');
    } finally {
      await probe.end();
    }
  }
  await handle.close();
}
