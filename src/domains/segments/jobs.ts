// Background work of segments: the full build of a new or redefined segment, and the daily
// refresh of the dynamic segments no event can keep current — those whose conditions are relative
// to today ("in the last 30 days": a contact drops out as days pass, with no event), those on
// teams (team membership changes emit no event) and those on RFM scores (a score can change
// without its layer, which is the only change RFM announces). Each refresh run queues the next
// one for just after the workspace's next midnight, so there is no cron.
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../platform/db/connect.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { defineJob, enqueue } from '../../platform/queue/index.js';
import { buildSegment } from './evaluate.js';
import { liveContacts } from './queries/membership.js';
import * as store from './store.js';

/** Dependency keys whose segments the daily refresh re-evaluates in full. */
export const DRIFTING = ['time', 'team', 'rfm'];

export const segmentBuildJob = defineJob({
  name: 'segments.build',
  queue: 'bulk',
  maxAttempts: 5,
  payload: z.object({ workspaceId: z.uuid(), segmentId: z.uuid(), emitEvents: z.boolean() }),
  async handler(ctx, p) {
    const total = await liveContacts(ctx.db, p.workspaceId);
    await ctx.progress(0, total);
    const result = await buildSegment(ctx.db, p.workspaceId, p.segmentId, { emitEvents: p.emitEvents, logger: ctx.logger });
    await ctx.progress(total, total);
    // Whoever built, the job that was asked for is no longer pending.
    await store.setBuildJob(ctx.db, p.workspaceId, p.segmentId, null);
    return result ?? { skipped: true };
  },
});

/** Queues the next daily refresh of a workspace (one per local day, whoever asks). */
export async function scheduleRefresh(db: Db, workspaceId: string) {
  const { rows } = await sql<{ day: string; at: Date }>`
    select to_char((now() at time zone w.timezone)::date + 1, 'YYYY-MM-DD') as day,
           (((now() at time zone w.timezone)::date + 1)::timestamp at time zone w.timezone) + interval '5 minutes' as at
    from workspaces w where w.id = ${workspaceId}`.execute(db);
  const next = rows[0];
  if (!next) return;
  await enqueue(db, segmentRefreshJob, { workspaceId }, { runAt: next.at, dedupeKey: `segments.refresh:${next.day}` });
}

export const segmentRefreshJob = defineJob({
  name: 'segments.refresh',
  queue: 'bulk',
  maxAttempts: 5,
  payload: z.object({ workspaceId: z.uuid() }),
  async handler(ctx, { workspaceId }) {
    const segments = await ctx.db
      .selectFrom('segments')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('kind', '=', 'dynamic')
      .where('status', '=', 'ready')
      .where(sql<boolean>`deps && ${DRIFTING}::text[]`)
      .orderBy('id')
      .execute();
    let done = 0;
    for (const s of segments) {
      await buildSegment(ctx.db, workspaceId, s.id, { emitEvents: true, logger: ctx.logger });
      await ctx.progress(++done, segments.length);
    }
    // Tomorrow's run, as long as there is something to keep current.
    if (segments.length) await inTransaction(ctx.db, (tx) => scheduleRefresh(tx, workspaceId));
    return { refreshed: segments.length };
  },
});
