// Jobs as the console and CLI see them (progress bars, the dead-letter list), and the one
// operator action on them. Every query is scoped to the workspace.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { notifyOnCommit } from '../db/notify.js';
import { afterNewestFirst, toPage, type Page } from '../http/pagination.js';
import { JOBS_CHANNEL } from './enqueue.js';
import type { JobStatus } from './tables.js';
import type { JobRow } from './store.js';

export interface JobView {
  id: string;
  workspaceId: string;
  queue: string;
  name: string;
  status: JobStatus;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  progress: { done: number; total: number | null };
  result: unknown;
  lastError: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const columns = [
  'id', 'workspace_id', 'queue', 'name', 'status', 'payload', 'attempts', 'max_attempts', 'run_at',
  'progress_done', 'progress_total', 'result', 'last_error', 'created_at', 'started_at', 'finished_at',
] as const;

type ViewRow = Pick<JobRow, (typeof columns)[number]>;

const toView = (r: ViewRow): JobView => ({
  id: r.id,
  workspaceId: r.workspace_id,
  queue: r.queue,
  name: r.name,
  status: r.status,
  payload: r.payload,
  attempts: r.attempts,
  maxAttempts: r.max_attempts,
  runAt: r.run_at,
  progress: { done: r.progress_done, total: r.progress_total },
  result: r.result ?? null,
  lastError: r.last_error,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getJob(db: Db, workspaceId: string, id: string): Promise<JobView | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db.selectFrom('jobs').select(columns).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row && toView(row);
}

export interface JobListFilter {
  status?: JobStatus;
  cursor?: string;
  limit: number;
}

/** Newest first, keyset-paginated on (created_at, id). */
export async function listJobs(db: Db, workspaceId: string, filter: JobListFilter): Promise<Page<JobView>> {
  const after = afterNewestFirst('created_at', 'id', filter.cursor);
  const rows = await db
    .selectFrom('jobs')
    .select(columns)
    .where('workspace_id', '=', workspaceId)
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .$if(after !== undefined, (q) => q.where(after!))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  return toPage(rows, filter.limit, (r) => [r.created_at.toISOString(), r.id], toView);
}

/** Moves a dead job back to the queue with its attempts reset; its checkpoint is kept so it resumes. */
export async function retryJob(db: Db, workspaceId: string, id: string): Promise<boolean> {
  if (!UUID.test(id)) return false;
  const revived = await db
    .updateTable('jobs')
    .set({ status: 'queued', attempts: 0, run_at: sql<Date>`now()`, finished_at: null, locked_by: null, locked_until: null })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .where('status', '=', 'dead')
    .returning('queue')
    .executeTakeFirst();
  if (revived) await notifyOnCommit(db, JOBS_CHANNEL, revived.queue);
  return revived !== undefined;
}
