import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { inTransaction } from '../db/transaction.js';
import { createJobRegistry } from '../queue/define.js';
import { getJob } from '../queue/read.js';
import { createWorkspace, silentLogger, waitFor } from '../queue/test-support.js';
import { createWorker } from '../queue/worker.js';
import { startBackground } from './background.js';
import { dispatchPending } from './dispatch.js';
import { emit } from './emit.js';
import { createHandlerRegistry, defineHandler } from './handlers.js';

let handle: TestDatabase;
let ws: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  ws = await createWorkspace(handle.db);
  await sql`create table test_effects (workspace_id uuid not null, event_id bigint not null, handler text not null)`.execute(handle.db);
});
afterAll(() => handle.close());

const effects = async (eventId: number) =>
  (await sql<{ handler: string }>`select handler from test_effects where workspace_id = ${ws} and event_id = ${eventId} order by handler`.execute(handle.db)).rows.map((r) => r.handler);

describe('event delivery', () => {
  it('retries a failing handler; its effect exists exactly once', async () => {
    let calls = 0;
    const flaky = defineHandler({
      name: 'flaky',
      events: ['contacts.contact.created'],
      handle: async ({ tx }, event) => {
        await sql`insert into test_effects values (${event.workspaceId}, ${event.id}, 'flaky')`.execute(tx);
        if (++calls <= 2) throw new Error(`transient failure ${calls}`);
      },
    });
    const handlers = createHandlerRegistry([flaky]);
    const worker = createWorker({ db: handle.db, logger: silentLogger, registry: createJobRegistry(handlers.jobs), concurrency: 2, pollMs: 50, backoff: { baseMs: 1, capMs: 5 } });

    const eventId = await inTransaction(handle.db, (tx) => emit(tx, ws, 'contacts.contact.created', { contactId: 'c1' }));
    await dispatchPending(handle.db, handlers, { limit: 10 });
    const job = await handle.db.selectFrom('jobs').select('id').where('workspace_id', '=', ws).where('dedupe_key', '=', `event:flaky:${eventId}`).executeTakeFirstOrThrow();

    await waitFor(async () => {
      await worker.runOnce();
      return (await getJob(handle.db, ws, job.id))?.status === 'done';
    }, 'the handler to succeed');

    expect(calls).toBe(3);
    expect(await getJob(handle.db, ws, job.id)).toMatchObject({ status: 'done', attempts: 3, lastError: 'Error: transient failure 2' });
    expect(await effects(eventId)).toEqual(['flaky']);
  });

  it('splits a failing batch into one delivery per event: the others are handled once, the bad one alone goes dead', async () => {
    const picky = defineHandler({
      name: 'picky',
      maxAttempts: 2,
      events: ['contacts.contact.updated'],
      handle: async ({ tx }, event) => {
        await sql`insert into test_effects values (${event.workspaceId}, ${event.id}, 'picky')`.execute(tx);
        if (event.payload.bad) throw new Error('cannot handle this one');
      },
    });
    const handlers = createHandlerRegistry([picky]);
    const worker = createWorker({ db: handle.db, logger: silentLogger, registry: createJobRegistry(handlers.jobs), concurrency: 2, pollMs: 50, backoff: { baseMs: 1, capMs: 5 } });
    const ids = await inTransaction(handle.db, async (tx) => [
      await emit(tx, ws, 'contacts.contact.updated', { n: 1 }),
      await emit(tx, ws, 'contacts.contact.updated', { n: 2, bad: true }),
      await emit(tx, ws, 'contacts.contact.updated', { n: 3 }),
    ]);
    await dispatchPending(handle.db, handlers, { limit: 10 });
    const picked = () => handle.db.selectFrom('jobs').select(['dedupe_key', 'status']).where('workspace_id', '=', ws).where('name', '=', 'event:picky').orderBy('dedupe_key').execute();
    expect(await picked()).toEqual([{ dedupe_key: `event:picky:${ids[0]}..${ids[2]}`, status: 'queued' }]);

    await waitFor(async () => {
      await worker.runOnce();
      return (await picked()).every((j) => j.status === 'done' || j.status === 'dead') && (await picked()).length === 4;
    }, 'the batch to split and its deliveries to finish');

    expect(await picked()).toEqual([
      { dedupe_key: `event:picky:${ids[0]}`, status: 'done' },
      { dedupe_key: `event:picky:${ids[0]}..${ids[2]}`, status: 'done' },
      { dedupe_key: `event:picky:${ids[1]}`, status: 'dead' },
      { dedupe_key: `event:picky:${ids[2]}`, status: 'done' },
    ]);
    // The failed runs rolled back: each good event's effect exists once, the bad one's not at all.
    expect(await effects(ids[0]!)).toEqual(['picky']);
    expect(await effects(ids[1]!)).toEqual([]);
    expect(await effects(ids[2]!)).toEqual(['picky']);
  });

  it('reads a delivery queued before batches (one event at the top of the payload)', async () => {
    const seen: number[] = [];
    const old = defineHandler({ name: 'old', events: ['contacts.contact.created'], handle: async (_ctx, event) => void seen.push(event.id) });
    const handlers = createHandlerRegistry([old]);
    const worker = createWorker({ db: handle.db, logger: silentLogger, registry: createJobRegistry(handlers.jobs), concurrency: 1, pollMs: 50 });
    const payload = { workspaceId: ws, eventId: 4242, type: 'contacts.contact.created', payload: {}, occurredAt: new Date().toISOString() };
    const { id } = await handle.db.insertInto('jobs').values({ workspace_id: ws, queue: 'within-5s', name: 'event:old', payload: JSON.stringify(payload), max_attempts: 3 }).returning('id').executeTakeFirstOrThrow();
    await waitFor(async () => {
      await worker.runOnce();
      return (await getJob(handle.db, ws, id))?.status === 'done';
    }, 'the old delivery to run');
    expect(seen).toEqual([4242]);
  });

  it('runs in the background: emit → dispatch → handler, woken by NOTIFY', async () => {
    const seen: string[] = [];
    const handlers = ['notes', 'tags'].map((name) =>
      defineHandler({
        name,
        events: ['contacts.contact.merged'],
        handle: async ({ tx, attempt }, event) => {
          seen.push(`${name}:${attempt}`);
          await sql`insert into test_effects values (${event.workspaceId}, ${event.id}, ${name})`.execute(tx);
        },
      }),
    );
    // Polling far beyond the test's bound: only notifications can move the work along.
    const config = loadConfig({ WORKER_POLL_MS: '600000', WORKER_CONCURRENCY: '2' });
    const background = await startBackground({ db: handle.db, handle, logger: silentLogger, config, handlers });
    try {
      const eventId = await inTransaction(handle.db, (tx) => emit(tx, ws, 'contacts.contact.merged', { into: 'c1' }));
      await waitFor(async () => (await effects(eventId)).length === 2, 'both handlers to run');
      expect(await effects(eventId)).toEqual(['notes', 'tags']);
      expect(seen.sort()).toEqual(['notes:1', 'tags:1']);
    } finally {
      await background.stop();
    }
  });
});
