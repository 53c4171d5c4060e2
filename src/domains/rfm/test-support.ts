// Helpers for the RFM tests: contacts and orders through the API, the worker's steps run by hand
// (a recompute job, an event delivered to a handler), and the rows to compare.
import type { Client, TestApp } from '../../../test/support/app.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { handleEvents, type DomainEvent, type EventHandler, type EventType } from '../../platform/events/index.js';
import { runJobNow } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { rfmRecomputeJob } from './recompute-job.js';

export const DAY_MS = 86_400_000;
export const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS).toISOString();

export function rfmFixture(t: TestApp) {
  const db = () => t.database.db;
  let orderNo = 0;
  return {
    async contact(workspaceId: string, ownerId: string | null, name: string) {
      return (await db().insertInto('contacts').values({ workspace_id: workspaceId, name, owner_member_id: ownerId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
    },
    /** Records an order through the API, `days` days ago. */
    async order(client: Client, contactId: string, days: number, amount: number, extra: { status?: string } = {}) {
      const res = await client.post(`/api/v1/contacts/${contactId}/timeline`, {
        type: 'order',
        props: { orderId: `SO-${++orderNo}`, amount, currency: 'CNY', ...extra },
        occurredAt: daysAgo(days),
      });
      if (res.statusCode !== 201) throw new Error(`order: ${res.statusCode} ${res.body}`);
      return res.json().event.id as string;
    },
    /** POST /rfm/recompute, then runs the job here as a worker would. */
    async recompute(client: Client, workspaceId: string) {
      const res = await client.post('/api/v1/rfm/recompute');
      if (res.statusCode !== 202) throw new Error(`recompute: ${res.statusCode} ${res.body}`);
      const jobId = res.json().jobId as string;
      await runJob(t, workspaceId, jobId);
      return jobId;
    },
    rows: (workspaceId: string) =>
      db()
        .selectFrom('contact_rfm')
        .select(['contact_id', 'recency_days', 'frequency', 'monetary', 'r_score', 'f_score', 'm_score', 'layer'])
        .where('workspace_id', '=', workspaceId)
        .execute(),
    /** The outbox events of a type in the workspace, oldest first, as a handler receives them. */
    async events(workspaceId: string, type: string): Promise<DomainEvent[]> {
      const rows = await db().selectFrom('outbox_events').select(['id', 'type', 'payload', 'occurred_at']).where('workspace_id', '=', workspaceId).where('type', '=', type).orderBy('id').execute();
      return rows.map((e) => ({ id: Number(e.id), workspaceId, type: e.type as EventType, payload: e.payload, occurredAt: e.occurred_at.toISOString() }));
    },
    /** Delivers events to a handler, each in its own transaction, as the worker does. */
    async deliver(handler: EventHandler, events: readonly DomainEvent[]) {
      for (const event of events) await inTransaction(db(), (tx) => handleEvents(handler, { tx, logger: silentLogger, attempt: 1 }, [event]));
    },
  };
}

export async function runJob(t: TestApp, workspaceId: string, jobId: string) {
  if (!(await runJobNow(t.database.db, silentLogger, rfmRecomputeJob, workspaceId, jobId))) throw new Error('the recompute job was not queued');
  const job = await t.database.db.selectFrom('jobs').select(['status', 'last_error']).where('id', '=', jobId).executeTakeFirstOrThrow();
  if (job.status !== 'done') throw new Error(`the recompute job ended ${job.status}: ${job.last_error}`);
}
