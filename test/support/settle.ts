// A test's worker loop: dispatch the outbox to some event handlers and run due jobs (the given
// ones and the handlers' delivery jobs) until a round does nothing. Delayed jobs stay queued.
import type { TestApp } from './app.js';
import { createHandlerRegistry, dispatchPending, type EventHandler } from '../../src/platform/events/index.js';
import { createJobRegistry, createWorker, type AnyJobDefinition } from '../../src/platform/queue/index.js';
import { silentLogger } from '../../src/platform/queue/test-support.js';

export function settler(t: TestApp, handlers: readonly EventHandler[], jobs: readonly AnyJobDefinition[], { rounds = 200, label = 'jobs' } = {}) {
  const registry = createHandlerRegistry([...handlers]);
  const worker = createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry([...jobs, ...registry.jobs]), concurrency: 1, pollMs: 50 });
  return async function settle() {
    for (let i = 0; i < rounds; i++) {
      const dispatched = await dispatchPending(t.database.db, registry, { limit: 100 });
      const ran = await worker.runOnce();
      if (!dispatched && !ran) return;
    }
    throw new Error(`${label}: did not settle after ${rounds} rounds`);
  };
}
