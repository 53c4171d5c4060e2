import type { Tx } from '../db/transaction.js';
import { notifyOnCommit } from '../db/notify.js';
import { JOBS_CHANNEL } from '../queue/enqueue.js';
import { EVENT_TYPE, type EventType } from './event.js';

export const EVENTS_NOTICE = 'events';

/**
 * Records a domain event in the caller's transaction, so it exists if and only if the change
 * that caused it commits. Returns the event id.
 */
export async function emit(tx: Tx, workspaceId: string, type: EventType, payload: Record<string, unknown>): Promise<number> {
  if (!EVENT_TYPE.test(type)) throw new Error(`Event type must read <domain>.<entity>.<past tense>: ${type}`);
  const { id } = await tx
    .insertInto('outbox_events')
    .values({ workspace_id: workspaceId, type, payload: JSON.stringify(payload) })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Wakes the dispatcher once the transaction commits (repeats within one are sent once).
  await notifyOnCommit(tx, JOBS_CHANNEL, EVENTS_NOTICE);
  return id;
}
