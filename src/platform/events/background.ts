// The background side of `renmai serve` and `renmai worker`: the outbox dispatcher and the job
// worker, woken by one LISTEN on renmai_jobs and polling at WORKER_POLL_MS in case a
// notification is missed (a dropped LISTEN connection, a restart).
import type { Logger } from 'pino';
import type { Config } from '../../config.js';
import type { DatabaseHandle, Db } from '../db/connect.js';
import { errorMessage } from '../queue/backoff.js';
import { createJobRegistry, type AnyJobDefinition } from '../queue/define.js';
import { JOBS_CHANNEL } from '../queue/enqueue.js';
import { createWaker } from '../queue/waker.js';
import { createWorker } from '../queue/worker.js';
import { dispatchPending } from './dispatch.js';
import { EVENTS_NOTICE } from './emit.js';
import { createHandlerRegistry, type EventHandler } from './handlers.js';

export interface BackgroundOptions {
  db: Db;
  handle: Pick<DatabaseHandle, 'listen'>;
  logger: Logger;
  config: Pick<Config, 'WORKER_CONCURRENCY' | 'WORKER_POLL_MS'>;
  /** Every job definition and event handler of the app (main.ts gathers them from the domains). */
  jobs?: readonly AnyJobDefinition[];
  handlers?: readonly EventHandler[];
  dispatchBatch?: number;
}

export interface Background {
  /** Stops dispatching and claiming, and waits for running jobs to finish. */
  stop(): Promise<void>;
}

export async function startBackground(options: BackgroundOptions): Promise<Background> {
  const { db, logger, config } = options;
  const handlers = createHandlerRegistry(options.handlers ?? []);
  const registry = createJobRegistry([...(options.jobs ?? []), ...handlers.jobs]);
  const worker = createWorker({ db, logger, registry, concurrency: config.WORKER_CONCURRENCY, pollMs: config.WORKER_POLL_MS });
  const limit = options.dispatchBatch ?? 500;
  const dispatchWaker = createWaker();
  let stopping = false;

  let unlisten: (() => Promise<void>) | undefined;
  try {
    unlisten = await options.handle.listen(JOBS_CHANNEL, (payload) => (payload === EVENTS_NOTICE ? dispatchWaker.wake() : worker.wake()));
  } catch (error) {
    logger.warn({ error: errorMessage(error) }, `LISTEN ${JOBS_CHANNEL} failed; falling back to polling every ${config.WORKER_POLL_MS} ms`);
  }

  async function dispatchLoop() {
    while (!stopping) {
      let dispatched = 0;
      try {
        dispatched = await dispatchPending(db, handlers, { limit });
      } catch (error) {
        logger.error({ error: errorMessage(error) }, 'dispatching events failed; will retry');
      }
      if (dispatched > 0) worker.wake();
      // A full batch means more are waiting: go again at once.
      if (dispatched < limit) await dispatchWaker.wait(config.WORKER_POLL_MS);
    }
  }

  await worker.start();
  const dispatcher = dispatchLoop();
  logger.info({ workerId: worker.workerId, jobs: registry.size, handlers: handlers.jobs.length }, 'background worker started');

  return {
    async stop() {
      stopping = true;
      dispatchWaker.wake();
      await dispatcher;
      await worker.stop();
      await unlisten?.();
    },
  };
}
