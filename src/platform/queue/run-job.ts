// Runs one claimed job to its outcome: done, retry later, or dead.
import type { Logger } from 'pino';
import type { Db } from '../db/connect.js';
import { inTransaction, type Tx } from '../db/transaction.js';
import { errorMessage, retryDelayMs, type BackoffPolicy } from './backoff.js';
import type { AnyJobDefinition, JobContext, QueueName } from './define.js';
import { lockOwnedJob, markDone, markFailed, renewLease, saveProgress, type JobRow, type Owner } from './store.js';

export class LeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Job ${jobId} is no longer owned by this worker (its lease lapsed and another worker took it over)`);
    this.name = 'LeaseLostError';
  }
}

export interface RunOptions {
  db: Db;
  logger: Logger;
  workerId: string;
  leaseMs: number;
  /** 0 turns the heartbeat off (tests use it to play a frozen worker). */
  heartbeatMs: number;
  backoff: BackoffPolicy;
}

export async function runJob(row: JobRow, def: AnyJobDefinition | undefined, o: RunOptions): Promise<void> {
  const owner: Owner = { workspaceId: row.workspace_id, jobId: row.id, workerId: o.workerId };
  const logger = o.logger.child({ jobId: row.id, job: row.name, workspaceId: row.workspace_id, attempt: row.attempts });

  if (!def) return fail(o, owner, logger, new Error(`No job definition named ${row.name}`), row, false);
  // A job whose workers keep dying (crash, OOM) comes back through lapsed leases; stop it too.
  if (row.attempts > row.max_attempts) {
    return fail(o, owner, logger, new Error('Attempts exhausted: the worker running it stopped without finishing'), row, false);
  }
  const parsed = def.payload.safeParse(row.payload);
  if (!parsed.success) return fail(o, owner, logger, new Error(`Invalid payload: ${parsed.error.message}`), row, false);

  const lost = new AbortController();
  const heartbeat = def.transactional ? undefined : startHeartbeat(o, owner, logger, lost);
  try {
    const result = def.transactional
      ? await inTransaction(o.db, async (tx) => {
          // The row lock keeps other workers' claims off this job until we commit (they skip locked rows).
          if (!(await lockOwnedJob(tx, owner))) throw new LeaseLostError(row.id);
          const value = await def.handler(context(tx, row, def.queue, owner, logger, lost.signal), parsed.data);
          await markDone(tx, owner, value);
          return value;
        })
      : await def.handler(context(o.db, row, def.queue, owner, logger, lost.signal), parsed.data).then(async (value) => {
          if (!(await markDone(o.db, owner, value))) throw new LeaseLostError(row.id);
          return value;
        });
    logger.debug({ result }, 'job done');
  } catch (error) {
    if (error instanceof LeaseLostError || lost.signal.aborted) {
      logger.warn('job lost to another worker; its outcome here is dropped');
      return;
    }
    await fail(o, owner, logger, error, row, true);
  } finally {
    if (heartbeat) clearInterval(heartbeat);
  }
}

function context(db: Db, row: JobRow, queue: QueueName, owner: Owner, logger: Logger, signal: AbortSignal): JobContext {
  const save = async (done: number, total: number | undefined, state: { value: unknown } | undefined, tx?: Tx) => {
    if (!(await saveProgress(tx ?? db, owner, done, total, state))) throw new LeaseLostError(row.id);
  };
  return {
    db,
    logger,
    signal,
    state: row.state ?? undefined,
    job: { id: row.id, workspaceId: row.workspace_id, name: row.name, queue, attempt: row.attempts, maxAttempts: row.max_attempts },
    progress: (done, total) => save(done, total, undefined),
    checkpoint: (state, done, tx) => save(done, undefined, { value: state }, tx),
  };
}

function startHeartbeat(o: RunOptions, owner: Owner, logger: Logger, lost: AbortController) {
  if (o.heartbeatMs <= 0) return undefined;
  const timer = setInterval(() => {
    renewLease(o.db, owner, o.leaseMs)
      .then((ok) => {
        if (!ok) {
          clearInterval(timer);
          lost.abort(new LeaseLostError(owner.jobId));
        }
      })
      .catch((error: unknown) => logger.warn({ error: errorMessage(error) }, 'lease renewal failed; will retry'));
  }, o.heartbeatMs);
  timer.unref();
  return timer;
}

async function fail(o: RunOptions, owner: Owner, logger: Logger, error: unknown, row: JobRow, retryable: boolean) {
  const message = errorMessage(error);
  const retry = retryable && row.attempts < row.max_attempts;
  const delayMs = retry ? retryDelayMs(row.attempts, error, o.backoff) : null;
  try {
    const recorded = await markFailed(o.db, owner, message, delayMs);
    if (!recorded) logger.warn({ error: message }, 'job failed after another worker took it over; ignored');
    else if (retry) logger.warn({ error: message, retryInMs: delayMs }, 'job failed; will retry');
    else logger.error({ error: message }, 'job failed for good (dead)');
  } catch (dbError) {
    // The lease will lapse and another run will pick the job up again.
    logger.error({ error: message, dbError: errorMessage(dbError) }, 'could not record job failure');
  }
}
