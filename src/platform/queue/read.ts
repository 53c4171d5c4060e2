// Jobs as the console and CLI see them (progress bars, the dead-letter list), and the one
// operator action on them. Every query is scoped to the workspace.
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { invalid } from '../http/errors.js';
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

const TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2})?$/;
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
export async function listJobs(db: Db, workspaceId: string, filter: JobListFilter): Promise<{ items: JobView[]; nextCursor: string | null }> {
  const after = filter.cursor === undefined ? undefined : decodeCursor(filter.cursor);
  const rows = await db
    .selectFrom('jobs')
    // The cursor keeps created_at as PostgreSQL's own text: a JS Date drops the microseconds and
    // rows sharing a millisecond at a page boundary would be skipped.
    .select([...columns, sql<string>`to_char(created_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'`.as('created_at_text')])
    .where('workspace_id', '=', workspaceId)
    .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
    .$if(after !== undefined, (q) => q.where(sql<boolean>`(created_at, id) < (${after![0]}::timestamptz, ${after![1]}::uuid)`))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(filter.limit + 1)
    .execute();
  const more = rows.length > filter.limit;
  const kept = more ? rows.slice(0, filter.limit) : rows;
  const last = kept.at(-1);
  return { items: kept.map(toView), nextCursor: more && last ? encodeCursor(last.created_at_text, last.id) : null };
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
  if (revived) await sql`select pg_notify(${JOBS_CHANNEL}, ${revived.queue})`.execute(db);
  return revived !== undefined;
}

const encodeCursor = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && TIMESTAMP.test(String(value[0])) && UUID.test(String(value[1]))) {
      return [value[0] as string, value[1] as string];
    }
  } catch {
    // fall through
  }
  throw invalid([{ path: 'cursor', message: 'Invalid cursor' }]);
}
