// Turns undispatched outbox events into one job per subscribed handler. SKIP LOCKED lets several
// dispatchers (one per process) share the outbox; the job dedupe key makes a redispatch (a crash
// between insert and commit's aftermath, a reset) a no-op rather than a double delivery.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { notifyOnCommit } from '../db/notify.js';
import { inTransaction } from '../db/transaction.js';
import { JOBS_CHANNEL } from '../queue/enqueue.js';
import type { HandlerRegistry } from './handlers.js';

/** Dispatches up to `limit` events in one transaction; returns how many it took. */
export async function dispatchPending(db: Db, registry: HandlerRegistry, options: { limit: number }): Promise<number> {
  return inTransaction(db, async (tx) => {
    const events = await tx
      .selectFrom('outbox_events')
      .select(['workspace_id', 'id', 'type', 'payload', 'occurred_at'])
      .where('dispatched_at', 'is', null)
      .orderBy('id')
      .limit(options.limit)
      .forUpdate()
      .skipLocked()
      .execute();
    if (events.length === 0) return 0;

    const jobs = events.flatMap((e) =>
      registry.jobsFor(e.type).map((job) => ({
        workspace_id: e.workspace_id,
        queue: job.queue,
        name: job.name,
        max_attempts: job.maxAttempts,
        // `event:<handler>:<event id>`: the job name already reads `event:<handler>`.
        dedupe_key: `${job.name}:${e.id}`,
        payload: JSON.stringify({ workspaceId: e.workspace_id, eventId: e.id, type: e.type, payload: e.payload, occurredAt: e.occurred_at.toISOString() }),
      })),
    );
    if (jobs.length > 0) {
      await tx
        .insertInto('jobs')
        .values(jobs)
        .onConflict((oc) => oc.columns(['workspace_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
        .execute();
      await notifyOnCommit(tx, JOBS_CHANNEL, 'jobs');
    }
    await tx
      .updateTable('outbox_events')
      .set({ dispatched_at: sql<Date>`now()` })
      .where((eb) => eb(eb.refTuple('workspace_id', 'id'), 'in', events.map((e) => eb.tuple(e.workspace_id, e.id))))
      .execute();
    return events.length;
  });
}
