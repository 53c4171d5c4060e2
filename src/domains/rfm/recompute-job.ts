// The full RFM recompute of a workspace as a job: on demand (POST /rfm/recompute), after settings
// that change scores, and daily (recency grows with time even without orders). One statement
// under the workspace's RFM lock; the moves it records reach the trigger rules through one
// `rfm.scores.recomputed` event.
import type { Logger } from 'pino';
import { z } from 'zod';
import { requireAccess, type Actor } from '../../platform/auth/actor.js';
import type { Db } from '../../platform/db/connect.js';
import { startPeriodic } from '../../platform/periodic.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit } from '../../platform/events/index.js';
import { defineJob, enqueue } from '../../platform/queue/index.js';
import { bulkMemory, lockWorkspace, recomputeAll } from './queries/recompute.js';
import { workspacesDue } from './queries/workspace.js';
import { loadSettings } from './settings.js';

const payload = z.object({ workspaceId: z.uuid(), reason: z.enum(['schedule', 'manual', 'settings']) });

export const rfmRecomputeJob = defineJob({
  name: 'rfm.recompute',
  queue: 'bulk',
  maxAttempts: 3,
  payload,
  async handler(ctx, p) {
    const sourceRef = `job:${ctx.job.id}`;
    // Progress in steps: scores written (1), moves handed to the rules (2).
    await ctx.progress(0, 2);
    const result = await inTransaction(ctx.db, async (tx) => {
      await lockWorkspace(tx, p.workspaceId, 'exclusive');
      await bulkMemory(tx);
      const { settings, scoring } = await loadSettings(tx, p.workspaceId);
      const cuts = settings.scoring === 'thresholds' ? settings.cuts ?? undefined : undefined;
      const counts = await recomputeAll(tx, p.workspaceId, scoring, cuts, { reason: p.reason, sourceRef });
      await emit(tx, p.workspaceId, 'rfm.scores.recomputed', { sourceRef, reason: p.reason, ...counts });
      return counts;
    });
    await ctx.progress(2, 2);
    ctx.logger.info({ workspaceId: p.workspaceId, ...result }, 'rfm recomputed');
    return result;
  },
});

/** `POST /rfm/recompute`: queues a full recompute now. */
export async function startRfmRecompute(db: Db, actor: Actor) {
  requireAccess(actor, 'rfm:write');
  return { jobId: await enqueue(db, rfmRecomputeJob, { workspaceId: actor.workspaceId, reason: 'manual' }, { total: 2 }) };
}

/** Local hour from which a workspace's daily recompute is queued (a quiet hour in most places). */
const DAILY_FROM_HOUR = 2;

/** Queues today's recompute of every workspace due one; the dedupe key makes it once a day. */
export async function enqueueDailyRfm(db: Db, fromHour = DAILY_FROM_HOUR) {
  const due = await workspacesDue(db, fromHour);
  for (const w of due) await enqueue(db, rfmRecomputeJob, { workspaceId: w.id, reason: 'schedule' }, { dedupeKey: `rfm.recompute:daily:${w.day}`, total: 2 });
  return due.length;
}

const HOURLY = 3_600_000;

/** Checks now and every hour, in every worker process (the dedupe key keeps it to one job a day). */
export const startRfmSchedule = (db: Db, logger: Logger, everyMs = HOURLY) => startPeriodic('daily rfm recomputes queued', everyMs, () => enqueueDailyRfm(db), logger);
