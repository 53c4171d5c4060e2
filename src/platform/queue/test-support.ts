// Helpers for the queue and outbox tests: deterministic waits, never timing assertions.
import { pino } from 'pino';
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
