import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, Client, createOwner, createTestApp, type TestApp } from '../../../test/support/app.js';
import { defineJob } from './define.js';
import { enqueue } from './enqueue.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const importJob = defineJob({
  name: 'test.import',
  queue: 'bulk',
  maxAttempts: 3,
  payload: z.object({ workspaceId: z.string() }),
  handler: async () => undefined,
});

async function deadJob(workspaceId: string) {
  const id = await enqueue(t.database.db, importJob, { workspaceId }, { total: 40 });
  await t.database.db
    .updateTable('jobs')
    .set({ status: 'dead', attempts: 3, last_error: 'Error: provider said no', progress_done: 12 })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .execute();
  return id;
}

describe('jobs API', () => {
  it('lists dead jobs with progress, retries one, and refuses to retry a live one', async () => {
    const o = await createOwner(t);
    const c = await Client.login(t, o.user.email, o.user.password);
    const id = await deadJob(o.workspace.id);
    const dead = (await c.get('/api/v1/jobs?status=dead')).json().items;
    expect(dead).toEqual([expect.objectContaining({ id, status: 'dead', progressDone: 12, progressTotal: 40, lastError: 'Error: provider said no' })]);
    expect(dead[0]).not.toHaveProperty('payload');

    const retried = await c.post(`/api/v1/jobs/${id}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.json().job).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await c.post(`/api/v1/jobs/${id}/retry`)).statusCode).toBe(409);
    expect((await c.get(`/api/v1/jobs/${id}`)).json().job.id).toBe(id);
  });

  it('needs jobs:write to retry, and never reaches another workspace’s jobs', async () => {
    const a = await createOwner(t, 'A');
    const b = await createOwner(t, 'B');
    const bJob = await deadJob(b.workspace.id);
    const ownerA = await Client.login(t, a.user.email, a.user.password);
    expect((await ownerA.get(`/api/v1/jobs/${bJob}`)).statusCode).toBe(404);
    expect((await ownerA.post(`/api/v1/jobs/${bJob}/retry`)).statusCode).toBe(404);
    expect((await ownerA.get('/api/v1/jobs')).json().items).toEqual([]);

    const agent = await (await addMember(t, b.workspace.id, 'agent')).login();
    expect((await agent.get('/api/v1/jobs')).statusCode).toBe(200);
    expect((await agent.post(`/api/v1/jobs/${bJob}/retry`)).statusCode).toBe(403);
  });
});
