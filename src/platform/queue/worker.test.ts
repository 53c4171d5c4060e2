import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { inTransaction } from '../db/transaction.js';
import { createJobRegistry, defineJob } from './define.js';
import { enqueue } from './enqueue.js';
import { getJob, listJobs, retryJob } from './read.js';
import { createWorkspace, silentLogger, waitFor } from './test-support.js';
import { createWorker, type WorkerOptions } from './worker.js';

let handle: TestDatabase;
let ws: string;
const fast = { baseMs: 1, capMs: 5 };

beforeAll(async () => {
  handle = await createTestDatabase();
  ws = await createWorkspace(handle.db);
  await sql`create table test_runs (job_id uuid not null, item int not null default 0, at timestamptz not null default now())`.execute(handle.db);
});
afterAll(() => handle.close());

const worker = (registry: WorkerOptions['registry'], extra: Partial<WorkerOptions> = {}) =>
  createWorker({ db: handle.db, logger: silentLogger, registry, concurrency: 4, pollMs: 50, backoff: fast, ...extra });

const status = async (id: string) => (await getJob(handle.db, ws, id))?.status;

/** Runs `runOnce` until the job reaches one of `states`. */
async function runUntil(w: ReturnType<typeof worker>, id: string, ...states: string[]) {
  return waitFor(async () => {
    await w.runOnce();
    const s = await status(id);
    return s !== undefined && states.includes(s) ? s : undefined;
  }, `job ${id} to become ${states.join('|')}`);
}

const runCount = async (jobId: string) =>
  (await sql<{ n: number; items: number }>`select count(*)::int as n, count(distinct item)::int as items from test_runs where job_id = ${jobId}`.execute(handle.db)).rows[0]!;

describe('enqueue', () => {
  const job = defineJob({ name: 'test.echo', queue: 'within-5s', payload: z.object({ workspaceId: z.uuid(), text: z.string() }), maxAttempts: 3, handler: async (_ctx, p) => ({ echoed: p.text }) });

  it('validates the payload with its schema', async () => {
    await expect(enqueue(handle.db, job, { workspaceId: ws, text: 1 as unknown as string })).rejects.toThrow();
    await expect(enqueue(handle.db, job, { workspaceId: 'not-a-uuid', text: 'x' })).rejects.toThrow();
  });

  it('is idempotent with a dedupe key', async () => {
    const a = await enqueue(handle.db, job, { workspaceId: ws, text: 'once' }, { dedupeKey: 'echo:1' });
    const b = await enqueue(handle.db, job, { workspaceId: ws, text: 'twice' }, { dedupeKey: 'echo:1' });
    expect(b).toBe(a);
    const n = await handle.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('dedupe_key', '=', 'echo:1').executeTakeFirstOrThrow();
    expect(n.n).toBe(1);
  });

  it('runs a job and records its result', async () => {
    const id = await enqueue(handle.db, job, { workspaceId: ws, text: 'hi' });
    await runUntil(worker(createJobRegistry([job])), id, 'done');
    const view = await getJob(handle.db, ws, id);
    expect(view).toMatchObject({ status: 'done', attempts: 1, result: { echoed: 'hi' } });
    expect(view?.finishedAt).toBeInstanceOf(Date);
  });

  it('waits for run_at', async () => {
    const id = await enqueue(handle.db, job, { workspaceId: ws, text: 'later' }, { runAt: new Date(Date.now() + 3_600_000) });
    await worker(createJobRegistry([job])).runOnce();
    expect(await status(id)).toBe('queued');
  });
});

describe('failures', () => {
  let failing = true;
  const flaky = defineJob({
    name: 'test.flaky',
    queue: 'within-5s',
    payload: z.object({ workspaceId: z.uuid() }),
    maxAttempts: 2,
    handler: async (ctx) => {
      if (failing) throw new Error(`provider said no (attempt ${ctx.job.attempt})`);
      await sql`insert into test_runs (job_id) values (${ctx.job.id})`.execute(ctx.db);
    },
  });

  it('moves a job past maxAttempts to dead, lists it, and retryJob revives it', async () => {
    const id = await enqueue(handle.db, flaky, { workspaceId: ws });
    const w = worker(createJobRegistry([flaky]));
    await runUntil(w, id, 'dead');
    const dead = await getJob(handle.db, ws, id);
    expect(dead).toMatchObject({ attempts: 2, lastError: 'Error: provider said no (attempt 2)' });
    const list = await listJobs(handle.db, ws, { status: 'dead', limit: 50 });
    expect(list.items.map((j) => j.id)).toContain(id);

    failing = false;
    expect(await retryJob(handle.db, ws, id)).toBe(true);
    expect(await getJob(handle.db, ws, id)).toMatchObject({ status: 'queued', attempts: 0 });
    await runUntil(w, id, 'done');
    expect(await getJob(handle.db, ws, id)).toMatchObject({ status: 'done', attempts: 1 });
    expect((await runCount(id)).n).toBe(1);
    expect(await retryJob(handle.db, ws, id)).toBe(false); // only dead jobs
  });

  it('lets the error say when to retry (retryAfterMs)', async () => {
    const limited = defineJob({
      name: 'test.rate_limited',
      queue: 'realtime',
      payload: z.object({ workspaceId: z.uuid() }),
      maxAttempts: 5,
      handler: async () => {
        throw Object.assign(new Error('rate limited'), { retryAfterMs: 120_000 });
      },
    });
    const id = await enqueue(handle.db, limited, { workspaceId: ws });
    await worker(createJobRegistry([limited])).runOnce();
    const row = await handle.db
      .selectFrom('jobs')
      .select(['status', sql<boolean>`run_at > now() + interval '60 seconds'`.as('later')])
      .where('workspace_id', '=', ws)
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'queued', later: true });
  });

  it('retries a transactional job without keeping the failed attempts’ writes', async () => {
    let calls = 0;
    const tx = defineJob({
      name: 'test.transactional',
      queue: 'within-5s',
      payload: z.object({ workspaceId: z.uuid() }),
      maxAttempts: 5,
      transactional: true,
      handler: async (ctx) => {
        await sql`insert into test_runs (job_id) values (${ctx.job.id})`.execute(ctx.db);
        if (++calls < 3) throw new Error('not yet');
      },
    });
    const id = await enqueue(handle.db, tx, { workspaceId: ws });
    await runUntil(worker(createJobRegistry([tx])), id, 'done');
    expect(await getJob(handle.db, ws, id)).toMatchObject({ attempts: 3, lastError: 'Error: not yet' });
    expect((await runCount(id)).n).toBe(1);
  });
});

describe('resume', () => {
  const N = 10;
  let releaseFrozen: () => void = () => {};
  const frozen = new Promise<void>((resolve) => (releaseFrozen = resolve));

  // Checkpoints after each item, in the same transaction as the item's effect. On its first
  // attempt it freezes after 3 items, like a worker that hangs or whose process was killed.
  const items = defineJob<z.ZodObject<{ workspaceId: z.ZodUUID }>, { next: number }>({
    name: 'test.items',
    queue: 'bulk',
    payload: z.object({ workspaceId: z.uuid() }),
    maxAttempts: 3,
    handler: async (ctx) => {
      for (let i = ctx.state?.next ?? 0; i < N; i++) {
        await inTransaction(ctx.db, async (tx) => {
          await sql`insert into test_runs (job_id, item) values (${ctx.job.id}, ${i})`.execute(tx);
          await ctx.checkpoint({ next: i + 1 }, i + 1, tx);
        });
        if (ctx.job.attempt === 1 && i === 2) await frozen;
      }
      return { items: N };
    },
  });

  it('takes over a job whose lease lapsed and finishes it from the last checkpoint, each item once', async () => {
    const id = await enqueue(handle.db, items, { workspaceId: ws }, { total: N });
    const registry = createJobRegistry([items]);
    // Worker A: a short lease and no heartbeat, so its lease lapses while it is frozen.
    const a = worker(registry, { workerId: 'A', leaseMs: 200, heartbeatMs: 0 });
    const b = worker(registry, { workerId: 'B' });

    const aRun = a.runOnce();
    await waitFor(async () => (await runCount(id)).n === 3, 'worker A to process 3 items');
    await runUntil(b, id, 'done');

    const done = await getJob(handle.db, ws, id);
    expect(done).toMatchObject({ status: 'done', attempts: 2, progress: { done: N, total: N }, result: { items: N } });
    expect(await runCount(id)).toEqual({ n: N, items: N });

    // A wakes up: its next checkpoint finds the job is not its own and rolls back its item.
    releaseFrozen();
    await aRun;
    expect(await runCount(id)).toEqual({ n: N, items: N });
    expect(await getJob(handle.db, ws, id)).toMatchObject({ status: 'done', attempts: 2 });
  });
});

describe('concurrency', () => {
  it('two workers never run the same job twice', async () => {
    const once = defineJob({
      name: 'test.once',
      queue: 'within-5s',
      payload: z.object({ workspaceId: z.uuid(), n: z.number() }),
      maxAttempts: 1,
      handler: async (ctx) => {
        await sql`insert into test_runs (job_id) values (${ctx.job.id})`.execute(ctx.db);
        await new Promise((resolve) => setTimeout(resolve, 2));
      },
    });
    const ids = await Promise.all(Array.from({ length: 30 }, (_, n) => enqueue(handle.db, once, { workspaceId: ws, n })));
    const registry = createJobRegistry([once]);
    const workers = [worker(registry, { workerId: 'one', concurrency: 3 }), worker(registry, { workerId: 'two', concurrency: 3 })];
    await Promise.all(
      workers.map((w) =>
        waitFor(async () => {
          await w.runOnce();
          const left = await handle.db.selectFrom('jobs').select('id').where('workspace_id', '=', ws).where('name', '=', 'test.once').where('status', '!=', 'done').execute();
          return left.length === 0;
        }, 'all jobs done'),
      ),
    );
    const runs = (
      await sql<{ n: number; jobs: number }>`select count(*)::int as n, count(distinct job_id)::int as jobs from test_runs where job_id = any(${ids}::uuid[])`.execute(handle.db)
    ).rows[0];
    expect(runs).toEqual({ n: 30, jobs: 30 });
  });
});

describe('start and stop', () => {
  it('wakes on NOTIFY when a job is enqueued, and stop waits for the running job', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let started = false;
    const slow = defineJob({
      name: 'test.slow',
      queue: 'realtime',
      payload: z.object({ workspaceId: z.uuid() }),
      maxAttempts: 1,
      handler: async (ctx) => {
        started = true;
        await gate;
        await sql`insert into test_runs (job_id) values (${ctx.job.id})`.execute(ctx.db);
      },
    });
    // A poll far longer than the test's bound: only the notification can wake it.
    const w = worker(createJobRegistry([slow]), { pollMs: 600_000, listen: handle.listen });
    await w.start();
    const id = await enqueue(handle.db, slow, { workspaceId: ws });
    await waitFor(async () => started, 'the worker to pick the job up');

    let stopped = false;
    const stopping = w.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    expect(await status(id)).toBe('running');
    release();
    await stopping;
    expect(await status(id)).toBe('done');
    expect((await runCount(id)).n).toBe(1);
  });
});
