import type { z } from 'zod';
import type { Db } from '../db/connect.js';
import { notifyOnCommit } from '../db/notify.js';
import type { JobDefinition, JobPayloadSchema } from './define.js';

export const JOBS_CHANNEL = 'renmai_jobs';

export interface EnqueueOptions {
  runAt?: Date;
  /** Makes the enqueue idempotent for ever within the workspace: a second call returns the first job's id. */
  dedupeKey?: string;
  /** Known amount of work, shown as the progress bar's total before the job starts. */
  total?: number;
}

/** Validates the payload and adds the job; pass the caller's transaction to enqueue atomically with a change. */
export async function enqueue<S extends JobPayloadSchema>(
  db: Db,
  def: JobDefinition<S>,
  payload: z.input<S>,
  options: EnqueueOptions = {},
): Promise<string> {
  const parsed = def.payload.parse(payload);
  const workspaceId = parsed.workspaceId;
  const inserted = await db
    .insertInto('jobs')
    .values({
      workspace_id: workspaceId,
      queue: def.queue,
      name: def.name,
      payload: JSON.stringify(parsed),
      dedupe_key: options.dedupeKey ?? null,
      max_attempts: def.maxAttempts,
      progress_total: options.total ?? null,
      ...(options.runAt ? { run_at: options.runAt } : {}),
    })
    .onConflict((oc) => oc.columns(['workspace_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) {
    // Delivered on commit, so a worker never wakes for a job it cannot see yet.
    await notifyOnCommit(db, JOBS_CHANNEL, def.queue);
    return inserted.id;
  }
  const existing = await db
    .selectFrom('jobs')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('dedupe_key', '=', options.dedupeKey!)
    .executeTakeFirstOrThrow();
  return existing.id;
}

/**
 * Adds one job per payload in one statement (payloads validated; deduplicated by `dedupeKey` like
 * `enqueue`). For callers that queue a set at once; answers nothing, the ids are not needed there.
 */
export async function enqueueMany<S extends JobPayloadSchema>(db: Db, def: JobDefinition<S>, jobs: ReadonlyArray<{ payload: z.input<S>; dedupeKey?: string }>): Promise<void> {
  if (jobs.length === 0) return;
  await db
    .insertInto('jobs')
    .values(
      jobs.map((j) => {
        const parsed = def.payload.parse(j.payload);
        return { workspace_id: parsed.workspaceId, queue: def.queue, name: def.name, payload: JSON.stringify(parsed), dedupe_key: j.dedupeKey ?? null, max_attempts: def.maxAttempts };
      }),
    )
    .onConflict((oc) => oc.columns(['workspace_id', 'dedupe_key']).where('dedupe_key', 'is not', null).doNothing())
    .execute();
  await notifyOnCommit(db, JOBS_CHANNEL, def.queue);
}
