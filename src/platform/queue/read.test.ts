import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestDatabase, type TestDatabase } from '../../../test/support/db.js';
import { AppError } from '../http/errors.js';
import { defineJob } from './define.js';
import { enqueue } from './enqueue.js';
import { getJob, listJobs, retryJob } from './read.js';
import { createWorkspace } from './test-support.js';

let handle: TestDatabase;
let ws: string;
let other: string;

const job = defineJob({ name: 'test.noop', queue: 'bulk', payload: z.object({ workspaceId: z.uuid(), n: z.number() }), maxAttempts: 1, handler: async () => undefined });

beforeAll(async () => {
  handle = await createTestDatabase();
  ws = await createWorkspace(handle.db, 'mine');
  other = await createWorkspace(handle.db, 'theirs');
});
afterAll(() => handle.close());

describe('jobs read API', () => {
  it('never shows another workspace’s job', async () => {
    const id = await enqueue(handle.db, job, { workspaceId: other, n: 0 });
    expect(await getJob(handle.db, other, id)).toMatchObject({ id, workspaceId: other, status: 'queued', progress: { done: 0, total: null } });
    expect(await getJob(handle.db, ws, id)).toBeUndefined();
    expect(await getJob(handle.db, ws, 'not-a-uuid')).toBeUndefined();
    expect((await listJobs(handle.db, ws, { limit: 50 })).items.map((j) => j.id)).not.toContain(id);
    await handle.db.updateTable('jobs').set({ status: 'dead' }).where('workspace_id', '=', other).where('id', '=', id).execute();
    expect(await retryJob(handle.db, ws, id)).toBe(false);
    expect((await getJob(handle.db, other, id))?.status).toBe('dead');
  });

  it('pages newest first without skipping rows that share a timestamp', async () => {
    // One transaction: every row gets the same now(), so only the id breaks the ties.
    const ids = await handle.db.transaction().execute((tx) => Promise.all(Array.from({ length: 7 }, (_, n) => enqueue(tx, job, { workspaceId: ws, n }))));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listJobs(handle.db, ws, { limit: 3, cursor });
      seen.push(...page.items.map((j) => j.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => ids.includes(id)).sort()).toEqual([...ids].sort());
  });

  it('filters by status and rejects a forged cursor', async () => {
    const queued = await listJobs(handle.db, ws, { status: 'queued', limit: 100 });
    expect(queued.items.every((j) => j.status === 'queued')).toBe(true);
    await expect(listJobs(handle.db, ws, { limit: 10, cursor: 'bm9wZQ' })).rejects.toBeInstanceOf(AppError);
  });
});
