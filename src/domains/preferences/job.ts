// The full recompute of a workspace's preferences, as a job: on demand, after settings change,
// and daily (interactions fade and leave the lookback window with time).
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { startPeriodic } from '../../platform/periodic.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { defineJob, enqueue } from '../../platform/queue/index.js';
import { computeActiveHours, computeInterests, workspacesDue } from './queries/compute.js';
import { loadWindow } from './window.js';
import * as store from './store.js';

export const preferencesJob = defineJob({
  name: 'preferences.recompute',
  queue: 'bulk',
  maxAttempts: 3,
  payload: z.object({ workspaceId: z.uuid() }),
  async handler(ctx, p) {
    // Progress in steps: interests (1), active hours (2).
    await ctx.progress(0, 2);
    const window = await loadWindow(ctx.db, p.workspaceId);
    const interests = await inTransaction(ctx.db, async (tx) => {
      await bulkMemory(tx);
      return computeInterests(tx, p.workspaceId, window);
    });
    await ctx.progress(1, 2);
    const activeHours = await inTransaction(ctx.db, async (tx) => {
      await bulkMemory(tx);
      const n = await computeActiveHours(tx, p.workspaceId, window);
      await store.markComputed(tx, p.workspaceId);
      return n;
    });
    await ctx.progress(2, 2);
    return { interests, activeHours };
  },
});

/** Memory for the sorts and hashes over a workspace's interactions, this transaction only. */
const bulkMemory = (db: Db) => sql`set local work_mem = '256MB'`.execute(db);

/** `POST /preferences/recompute`. */
export async function startPreferencesRecompute(db: Db, actor: Actor) {
  requireAccess(actor, 'contact-settings:write');
  return { jobId: await enqueue(db, preferencesJob, { workspaceId: actor.workspaceId }, { total: 2 }) };
}

const DAILY_FROM_HOUR = 3;
const HOURLY = 3_600_000;

export async function enqueueDailyPreferences(db: Db, fromHour = DAILY_FROM_HOUR) {
  const due = await workspacesDue(db, fromHour);
  for (const w of due) await enqueue(db, preferencesJob, { workspaceId: w.id }, { dedupeKey: `preferences.recompute:daily:${w.day}`, total: 2 });
  return due.length;
}

/** Checks now and every hour, in every worker process (the dedupe key keeps it to one job a day). */
export const startPreferencesSchedule = (db: Db, logger: Logger, everyMs = HOURLY) => startPeriodic('daily preference recomputes queued', everyMs, () => enqueueDailyPreferences(db), logger);
