import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { inTransaction } from '../db/transaction.js';
import { createWorkspace } from '../queue/test-support.js';
import { dispatchPending, HANDLER_BATCH } from './dispatch.js';
import { emit } from './emit.js';
import { createHandlerRegistry, defineHandler } from './handlers.js';

let handle: TestDatabase;
let ws: string;

const registry = createHandlerRegistry([
  defineHandler({ name: 'timeline', events: ['contacts.contact.created', 'contacts.contact.merged'], handle: async () => {} }),
  defineHandler({ name: 'auto_tags', events: ['contacts.contact.created'], handle: async () => {} }),
]);

beforeAll(async () => {
  handle = await createTestDatabase();
  ws = await createWorkspace(handle.db);
});
afterAll(() => handle.close());
beforeEach(async () => {
  await handle.db.deleteFrom('jobs').where('workspace_id', '=', ws).execute();
  await handle.db.deleteFrom('outbox_events').where('workspace_id', '=', ws).execute();
});

const jobs = () => handle.db.selectFrom('jobs').select(['name', 'dedupe_key', 'payload', 'queue']).where('workspace_id', '=', ws).orderBy('dedupe_key').execute();
/** Every (handler job, event id) pair the jobs deliver, in job order. */
const deliveries = async () =>
  (await jobs()).flatMap((j) => (j.payload as { events: Array<{ id: number }> }).events.map((e) => `${j.name} ${e.id}`));
const pending = async () =>
  (await handle.db.selectFrom('outbox_events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', ws).where('dispatched_at', 'is', null).executeTakeFirstOrThrow()).n;

describe('outbox', () => {
  it('turns an event into one job per subscribed handler', async () => {
    const id = await inTransaction(handle.db, (tx) => emit(tx, ws, 'contacts.contact.created', { contactId: 'c1' }));
    expect(await dispatchPending(handle.db, registry, { limit: 100 })).toBe(1);
    const rows = await jobs();
    expect(rows.map((j) => [j.name, j.dedupe_key])).toEqual([
      ['event:auto_tags', `event:auto_tags:${id}`],
      ['event:timeline', `event:timeline:${id}`],
    ]);
    expect(rows[0]!.payload).toMatchObject({ workspaceId: ws, events: [{ id, type: 'contacts.contact.created', payload: { contactId: 'c1' } }] });
    expect(await pending()).toBe(0);
  });

  it('delivers a handler its events in batches: one job per handler and workspace, in outbox order, at most HANDLER_BATCH each', async () => {
    const other = await createWorkspace(handle.db, 'other');
    const ids = await inTransaction(handle.db, async (tx) => {
      const out = [];
      for (let i = 0; i < HANDLER_BATCH + 5; i++) out.push(await emit(tx, ws, 'contacts.contact.created', { i }));
      return out;
    });
    const elsewhere = await inTransaction(handle.db, (tx) => emit(tx, other, 'contacts.contact.merged', {}));
    expect(await dispatchPending(handle.db, registry, { limit: 500 })).toBe(ids.length + 1);

    const rows = await jobs();
    const timeline = rows
      .filter((j) => j.name === 'event:timeline')
      .map((j) => (j.payload as { events: Array<{ id: number }> }).events.map((e) => e.id))
      .sort((a, b) => a[0]! - b[0]!);
    expect(timeline).toEqual([ids.slice(0, HANDLER_BATCH), ids.slice(HANDLER_BATCH)]);
    expect(rows.map((j) => j.dedupe_key)).toContain(`event:timeline:${ids[0]}..${ids[HANDLER_BATCH - 1]}`);
    expect(await deliveries()).toHaveLength(2 * ids.length);
    // The other workspace's event travels in its own job, under its own workspace.
    const theirs = await handle.db.selectFrom('jobs').select(['name', 'payload']).where('workspace_id', '=', other).execute();
    expect(theirs).toEqual([{ name: 'event:timeline', payload: { workspaceId: other, events: [expect.objectContaining({ id: elsewhere })] } }]);
  });

  it('marks an event nobody subscribes to as dispatched, with no jobs', async () => {
    await inTransaction(handle.db, (tx) => emit(tx, ws, 'auth.api_key.created', {}));
    expect(await dispatchPending(handle.db, registry, { limit: 100 })).toBe(1);
    expect(await jobs()).toEqual([]);
    expect(await pending()).toBe(0);
  });

  it('refuses a badly named event', async () => {
    await expect(inTransaction(handle.db, (tx) => emit(tx, ws, 'Contact.Created.now' as 'a.b.c', {}))).rejects.toThrow(/domain/);
    await expect(inTransaction(handle.db, (tx) => emit(tx, ws, 'contacts..created' as 'a.b.c', {}))).rejects.toThrow(/domain/);
  });

  it('never dispatches an event written in a rolled-back transaction', async () => {
    await expect(
      inTransaction(handle.db, async (tx) => {
        await emit(tx, ws, 'contacts.contact.created', { contactId: 'ghost' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await dispatchPending(handle.db, registry, { limit: 100 })).toBe(0);
    expect(await jobs()).toEqual([]);
    const events = await handle.db.selectFrom('outbox_events').select('id').where('workspace_id', '=', ws).execute();
    expect(events).toEqual([]);
  });

  it('gives a redispatched event no second job', async () => {
    await inTransaction(handle.db, (tx) => emit(tx, ws, 'contacts.contact.created', { contactId: 'c2' }));
    await dispatchPending(handle.db, registry, { limit: 100 });
    expect(await dispatchPending(handle.db, registry, { limit: 100 })).toBe(0);
    // As if the dispatcher's mark had been lost: the event comes round again.
    await handle.db.updateTable('outbox_events').set({ dispatched_at: null }).where('workspace_id', '=', ws).execute();
    expect(await dispatchPending(handle.db, registry, { limit: 100 })).toBe(1);
    expect(await jobs()).toHaveLength(2);
    expect(await deliveries()).toHaveLength(2);
  });

  it('shares the outbox between concurrent dispatchers: each handler gets each event once', async () => {
    await inTransaction(handle.db, async (tx) => {
      for (let i = 0; i < 40; i++) await emit(tx, ws, i % 2 ? 'contacts.contact.created' : 'contacts.contact.merged', { i });
    });
    const taken = await Promise.all([1, 2, 3].map(() => dispatchPending(handle.db, registry, { limit: 7 })));
    let more = 0;
    while ((more = await dispatchPending(handle.db, registry, { limit: 7 })) > 0) taken.push(more);
    expect(taken.reduce((a, b) => a + b, 0)).toBe(40);
    // 20 created events × 2 handlers + 20 merged events × 1 handler.
    const delivered = await deliveries();
    expect(delivered).toHaveLength(60);
    expect(new Set(delivered).size).toBe(60);
  });

  it('two dispatchers racing over the same events create no duplicate jobs', async () => {
    await inTransaction(handle.db, async (tx) => {
      for (let i = 0; i < 20; i++) await emit(tx, ws, 'contacts.contact.created', { i });
    });
    // Each resets and redispatches; whatever interleaving, the dedupe key holds.
    await Promise.all(
      [1, 2].map(async () => {
        await dispatchPending(handle.db, registry, { limit: 100 });
        await sql`update outbox_events set dispatched_at = null where workspace_id = ${ws}`.execute(handle.db);
        await dispatchPending(handle.db, registry, { limit: 100 });
      }),
    );
    const delivered = await deliveries();
    expect(delivered).toHaveLength(40);
    expect(new Set(delivered).size).toBe(40);
  });
});
