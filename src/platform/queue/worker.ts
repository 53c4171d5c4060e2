// The job worker: claims due jobs (FOR UPDATE SKIP LOCKED, so any number of workers share one
// table), runs up to `concurrency` at once, and sleeps until a NOTIFY, a free slot or the poll.
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import { defaultBackoff, errorMessage, type BackoffPolicy } from './backoff.js';
import { queueNames, type JobRegistry, type QueueName } from './define.js';
import { JOBS_CHANNEL } from './enqueue.js';
import { runJob, type RunOptions } from './run-job.js';
import { claimJobs } from './store.js';
import { createWaker } from './waker.js';

export type Listen = (channel: string, onNotify: (payload: string) => void) => Promise<() => Promise<void>>;

export interface WorkerOptions {
  db: Db;
  logger: Logger;
  registry: JobRegistry;
  concurrency: number;
  pollMs: number;
  workerId?: string;
  /** Subscribe to NOTIFY (DatabaseHandle.listen) so an idle worker wakes when a job is enqueued. */
  listen?: Listen;
  /** Queues this worker serves, highest priority first. */
  queues?: readonly QueueName[];
  leaseMs?: number;
  /** Lease renewal interval; defaults to a third of the lease. 0 turns it off. */
  heartbeatMs?: number;
  backoff?: BackoffPolicy;
}

export interface Worker {
  readonly workerId: string;
  start(): Promise<void>;
  /** Stops claiming and waits for the running jobs to finish. */
  stop(): Promise<void>;
  /** Claims the jobs due now (up to the free slots) and runs them to their outcome; returns how many ran. */
  runOnce(): Promise<number>;
  /** Cuts the idle sleep short (a caller that shares one LISTEN between several loops). */
  wake(): void;
}

export function createWorker(options: WorkerOptions): Worker {
  const workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const leaseMs = options.leaseMs ?? 30_000;
  const run: RunOptions = {
    db: options.db,
    logger: options.logger.child({ workerId }),
    workerId,
    leaseMs,
    heartbeatMs: options.heartbeatMs ?? Math.floor(leaseMs / 3),
    backoff: options.backoff ?? defaultBackoff,
  };
  const queues = options.queues ?? queueNames;
  // Claim only what this process knows how to run: during a rolling deploy an older worker
  // leaves newer job kinds to the newer workers.
  const names = [...options.registry.keys()];
  const running = new Set<Promise<void>>();
  const waker = createWaker();
  let loop: Promise<void> | undefined;
  let stopping = false;
  let unlisten: (() => Promise<void>) | undefined;

  async function claim(slots: number) {
    const claimed = [];
    // One query per queue, in priority order: a backlog of bulk work never delays realtime jobs,
    // and each query walks the (queue, run_at) index. Per-queue rate limits belong here.
    for (const queue of queues) {
      if (claimed.length >= slots) break;
      claimed.push(...(await claimJobs(options.db, queue, names, workerId, leaseMs, slots - claimed.length)));
    }
    return claimed;
  }

  function launch(row: Awaited<ReturnType<typeof claim>>[number]) {
    const p = runJob(row, options.registry.get(row.name), run)
      .catch((error: unknown) => run.logger.error({ error: errorMessage(error), jobId: row.id }, 'job runner failed'))
      .finally(() => {
        running.delete(p);
        waker.wake();
      });
    running.add(p);
    return p;
  }

  async function runOnce() {
    const rows = await claim(options.concurrency - running.size);
    await Promise.all(rows.map(launch));
    return rows.length;
  }

  async function runLoop() {
    while (!stopping) {
      const free = options.concurrency - running.size;
      if (free > 0) {
        try {
          (await claim(free)).forEach(launch);
        } catch (error) {
          run.logger.error({ error: errorMessage(error) }, 'claiming jobs failed; will retry');
        }
      }
      // Sleep until a NOTIFY, a job finishing (a slot frees; more may be due) or the poll.
      await waker.wait(options.pollMs);
    }
  }

  return {
    workerId,
    runOnce,
    wake: () => waker.wake(),
    async start() {
      if (loop) return;
      stopping = false;
      if (options.listen) unlisten = await options.listen(JOBS_CHANNEL, () => waker.wake());
      loop = runLoop();
    },
    async stop() {
      stopping = true;
      waker.wake();
      await loop;
      loop = undefined;
      await Promise.all(running);
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
