// Batch work touches exactly the contacts it names or its filter matches, within the caller's
// scope; above the inline limit it runs as a job with progress.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { createJobRegistry, createWorker } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { batchJob } from './batch.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

/** `count` contacts owned by `ownerId`, every `every`-th one in 上海 and the rest in 北京. */
async function seed(workspaceId: string, ownerId: string, count: number, every = 1) {
  await sql`insert into contacts (workspace_id, name, city, owner_member_id)
    select ${workspaceId}::uuid, 'c' || i, case when i % ${every} = 0 then '上海' else '北京' end, ${ownerId}::uuid
    from generate_series(1, ${count}) i`.execute(t.database.db);
}

async function tagOf(o: Awaited<ReturnType<typeof signedInOwner>>) {
  const group = (await o.client.post('/api/v1/tag-groups', { name: 'Batch' })).json().group;
  const res = await o.client.post('/api/v1/tags', { groupId: group.id, name: `vip-${Math.random()}` });
  return res.json().tag.id as string;
}

const tagged = async (workspaceId: string, tagId: string) =>
  (await sql<{ city: string; n: number }>`select c.city, count(*)::int as n from contact_tags ct join contacts c on c.workspace_id = ct.workspace_id and c.id = ct.contact_id
      where ct.workspace_id = ${workspaceId} and ct.tag_id = ${tagId} group by c.city order by c.city`.execute(t.database.db)).rows;

describe('batch work', () => {
  it('tags every result of a filter through a job, exactly the matching contacts, with progress', async () => {
    const o = await signedInOwner(t);
    await seed(o.workspace.id, o.memberId, 1500, 5); // 300 in 上海 … plus 1,200 in 北京
    const tagId = await tagOf(o);
    const res = await o.client.post('/api/v1/contacts/batch', { action: 'add_tags', target: { filter: { fields: [{ field: 'city', op: 'eq', value: '北京' }] } }, tagIds: [tagId] });
    expect(res.statusCode).toBe(202);
    const { jobId } = res.json();

    const worker = createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry([batchJob]), concurrency: 1, pollMs: 50 });
    await worker.runOnce();
    const job = (await o.client.get(`/api/v1/jobs/${jobId}`)).json().job;
    expect(job).toMatchObject({ status: 'done', progressDone: 1200, progressTotal: 1200, result: { affected: 1200, processed: 1200 } });
    expect(await tagged(o.workspace.id, tagId)).toEqual([{ city: '北京', n: 1200 }]);
    // The targets it recorded at the start are gone with the job.
    const left = await sql<{ n: number }>`select count(*)::int as n from contact_batch_targets where workspace_id = ${o.workspace.id}`.execute(t.database.db);
    expect(left.rows[0]!.n).toBe(0);
    const audit = (await o.client.get('/api/v1/audit-log?action=contacts.batch')).json().items;
    expect(audit[0].after).toMatchObject({ action: 'add_tags', affected: 1200, jobId });
  });

  it('runs small batches at once: stage by ids, then delete and restore', async () => {
    const o = await signedInOwner(t);
    await seed(o.workspace.id, o.memberId, 5);
    const ids = (await o.client.post('/api/v1/contacts/search', { filter: {}, limit: 10 })).json().items.map((c: { id: string }) => c.id) as string[];
    const stage = (await o.client.get('/api/v1/stages')).json().items[1].id;

    const staged = await o.client.post('/api/v1/contacts/batch', { action: 'set_stage', target: { ids: ids.slice(0, 3) }, stageId: stage });
    expect(staged.json()).toEqual({ done: true, affected: 3 });
    const events = await t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', o.workspace.id).where('type', '=', 'contacts.contact.stage_changed').execute();
    expect(events.flatMap((e) => e.payload.contactIds as string[]).sort()).toEqual(ids.slice(0, 3).sort());

    const unowned = await o.client.post('/api/v1/contacts/batch', { action: 'assign_owner', target: { ids: ids.slice(0, 2) }, ownerId: null });
    expect(unowned.json()).toEqual({ done: true, affected: 2 });
    const owners = await t.database.db.selectFrom('contacts').select('owner_member_id').where('workspace_id', '=', o.workspace.id).where('owner_member_id', 'is', null).execute();
    expect(owners).toHaveLength(2);

    expect((await o.client.post('/api/v1/contacts/batch', { action: 'delete', target: { ids } })).json()).toEqual({ done: true, affected: 5 });
    expect((await o.client.post('/api/v1/contacts/count', { filter: {} })).json().count).toBe(0);
    expect((await o.client.post('/api/v1/contacts/batch', { action: 'restore', target: { ids: ids.slice(0, 2) } })).json()).toEqual({ done: true, affected: 2 });
    expect((await o.client.post('/api/v1/contacts/count', { filter: {} })).json().count).toBe(2);
  });

  it('stays within the caller’s data scope and workspace', async () => {
    const o = await signedInOwner(t);
    const agent = await addMember(t, o.workspace.id, 'agent');
    await seed(o.workspace.id, o.memberId, 10);
    await seed(o.workspace.id, agent.memberId, 4);
    const tagId = await tagOf(o);
    const agentClient = await agent.login();
    const res = await agentClient.post('/api/v1/contacts/batch', { action: 'add_tags', target: { filter: {} }, tagIds: [tagId] });
    expect(res.json()).toEqual({ done: true, affected: 4 });
    expect((await agentClient.post('/api/v1/contacts/batch', { action: 'delete', target: { filter: {} } })).statusCode).toBe(403);

    const other = await signedInOwner(t, 'Other');
    const otherTag = await tagOf(other);
    expect((await o.client.post('/api/v1/contacts/batch', { action: 'add_tags', target: { filter: {} }, tagIds: [otherTag] })).statusCode).toBe(404);
    const bad = await o.client.post('/api/v1/contacts/batch', { action: 'set_stage', target: { filter: { nope: 1 } }, stageId: null });
    expect(bad.statusCode).toBe(400);
  });
});
