// Turns undispatched outbox events into delivery jobs: for each subscribed handler, one job per
// workspace carrying up to HANDLER_BATCH of its events in outbox order. SKIP LOCKED lets several
// dispatchers (one per process) share the outbox; the job dedupe key makes a redispatch (a crash
// between insert and commit's aftermath, a reset) a no-op rather than a double delivery.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { notifyOnCommit } from '../db/notify.js';
import { inTransaction } from '../db/transaction.js';
import type { AnyJobDefinition } from '../queue/define.js';
import { JOBS_CHANNEL } from '../queue/enqueue.js';
import { deliveryKey, type DeliveredEvent, type HandlerRegistry } from './handlers.js';

/** Events per delivery job: enough to spread a job's fixed cost thin, few enough that a busy handler's batches still run on several workers at once. */
export const HANDLER_BATCH = 100;

interface Delivery {
  job: AnyJobDefinition;
  workspaceId: string;
  events: DeliveredEvent[];
}

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

    const deliveries = new Map<string, Delivery>();
    for (const e of events) {
      const delivered = { id: e.id, type: e.type, payload: e.payload, occurredAt: e.occurred_at.toISOString() };
      for (const job of registry.jobsFor(e.type)) {
        const key = `${job.name} ${e.workspace_id}`;
        const delivery = deliveries.get(key) ?? deliveries.set(key, { job, workspaceId: e.workspace_id, events: [] }).get(key)!;
        delivery.events.push(delivered);
      }
    }
    const jobs = [...deliveries.values()].flatMap(({ job, workspaceId, events: all }) => {
      const rows = [];
      for (let i = 0; i < all.length; i += HANDLER_BATCH) {
        const batch = all.slice(i, i + HANDLER_BATCH);
        rows.push({
          workspace_id: workspaceId,
          queue: job.queue,
          name: job.name,
          max_attempts: job.maxAttempts,
          dedupe_key: deliveryKey(job.name, batch),
          payload: JSON.stringify({ workspaceId, events: batch }),
        });
      }
      return rows;
    });
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
