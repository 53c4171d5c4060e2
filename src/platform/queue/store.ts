// The worker's SQL. A job is owned by the worker named in locked_by until locked_until; every
// write a worker makes about a running job checks it still owns it, so a worker that lost its
// lease (it froze, and another took the job over) can never clobber the new owner's work.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { JobsTable } from './tables.js';
import type { Selectable } from 'kysely';
import type { QueueName } from './define.js';

export type JobRow = Selectable<JobsTable>;

export interface Owner {
  workspaceId: string;
  jobId: string;
  workerId: string;
}

/** What a worker writes when it takes a job: running, leased to it, one more attempt. */
const takeLease = (workerId: string, leaseMs: number) => ({
  status: 'running' as const,
  locked_by: workerId,
  locked_until: sql<Date>`now() + ${`${leaseMs} milliseconds`}::interval`,
  attempts: sql<number>`attempts + 1`,
  started_at: sql<Date>`coalesce(started_at, now())`,
});

/** Claims up to `limit` due jobs of one queue: queued ones whose time has come, and running ones whose lease lapsed. */
export async function claimJobs(db: Db, queue: QueueName, names: string[], workerId: string, leaseMs: number, limit: number): Promise<JobRow[]> {
  if (limit <= 0 || names.length === 0) return [];
  return db
    .updateTable('jobs')
    .set(takeLease(workerId, leaseMs))
    .where((eb) =>
      eb(
        eb.refTuple('workspace_id', 'id'),
        'in',
        eb
          .selectFrom('jobs')
          .select(['workspace_id', 'id'])
          .where('queue', '=', queue)
          .where('name', 'in', names)
          .where((w) =>
            w.or([
              w.and([w('status', '=', 'queued'), w('run_at', '<=', sql<Date>`now()`)]),
              w.and([w('status', '=', 'running'), w('locked_until', '<', sql<Date>`now()`)]),
            ]),
          )
          .orderBy('run_at')
          .limit(limit)
          .forUpdate()
          .skipLocked()
          .$asTuple('workspace_id', 'id'),
      ),
    )
    .returningAll()
    .execute();
}

const owned = (db: Db, o: Owner) =>
  db
    .updateTable('jobs')
    .where('workspace_id', '=', o.workspaceId)
    .where('id', '=', o.jobId)
    .where('locked_by', '=', o.workerId)
    .where('status', '=', 'running');

/** Extends the lease; false when the job is no longer this worker's. */
export async function renewLease(db: Db, o: Owner, leaseMs: number): Promise<boolean> {
  const lease = `${leaseMs} milliseconds`;
  const r = await owned(db, o).set({ locked_until: sql<Date>`now() + ${lease}::interval` }).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Holds the job row for the rest of the transaction; false when the job is no longer this worker's. */
export async function lockOwnedJob(db: Db, o: Owner): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('workspace_id', '=', o.workspaceId)
    .where('id', '=', o.jobId)
    .where('locked_by', '=', o.workerId)
    .where('status', '=', 'running')
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export async function saveProgress(db: Db, o: Owner, done: number, total: number | undefined, state?: { value: unknown }): Promise<boolean> {
  const r = await owned(db, o)
    .set({
      progress_done: done,
      ...(total === undefined ? {} : { progress_total: total }),
      ...(state === undefined ? {} : { state: JSON.stringify(state.value ?? null) }),
    })
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function markDone(db: Db, o: Owner, result: unknown): Promise<boolean> {
  const r = await owned(db, o)
    .set({
      status: 'done',
      result: result === undefined ? null : JSON.stringify(result),
      finished_at: sql<Date>`now()`,
      locked_by: null,
      locked_until: null,
    })
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Requeues the job after `delayMs`, or moves it to the dead-letter state when `delayMs` is null. */
export async function markFailed(db: Db, o: Owner, message: string, delayMs: number | null): Promise<boolean> {
  const delay = `${delayMs ?? 0} milliseconds`;
  const r = await owned(db, o)
    .set(
      delayMs === null
        ? { status: 'dead', last_error: message, finished_at: sql<Date>`now()`, locked_by: null, locked_until: null }
        : { status: 'queued', last_error: message, run_at: sql<Date>`now() + ${delay}::interval`, locked_by: null, locked_until: null },
    )
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Claims one queued job by id (a CLI running a job it just enqueued, in its own process). */
export async function claimJob(db: Db, workspaceId: string, jobId: string, workerId: string, leaseMs: number): Promise<JobRow | undefined> {
  return db
    .updateTable('jobs')
    .set(takeLease(workerId, leaseMs))
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', jobId)
    .where('status', '=', 'queued')
    .returningAll()
    .executeTakeFirst();
}
