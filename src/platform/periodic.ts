// Worker-side sweeps and schedules (housekeeping, reminders, purges, daily recomputes): run now
// and then every so often, one run at a time, a failure logged and retried at the next tick.
import type { Logger } from 'pino';

/**
 * Runs `work` now and every `everyMs` until the returned stop is called; stop waits for a run in
 * progress (so the database can close after it). A truthy result is logged at debug level.
 */
export function startPeriodic(name: string, everyMs: number, work: () => Promise<unknown>, logger: Logger): () => Promise<void> {
  let current: Promise<void> | undefined;
  const tick = () => {
    current ??= work()
      .then(
        (result) => void (result && logger.debug({ result }, name)),
        (err: unknown) => logger.warn({ err }, `${name} failed; will retry`),
      )
      .finally(() => (current = undefined));
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await current;
  };
}
