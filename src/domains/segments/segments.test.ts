// Segments through the API and the outbox: building, the live count, members within a data
// scope, snapshots, history, export, and incremental membership — only the affected segments,
// only the contacts an event names, set-based, with entered/left events.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { handleEvents, type DomainEvent, type EventType } from '../../platform/events/index.js';
import { createJobRegistry, createWorker, enqueue, runJobNow } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { exportJob } from '../contacts/index.js';
import type { Definition } from './definition.js';
import { segmentBuildJob, segmentRefreshJob } from './jobs.js';
import { segmentsHandler } from './on-events.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp({ DATA_DIR: `/tmp/renmai-segments-test-${process.pid}` })));
afterAll(() => t.close());
const db = () => t.database.db;

type Owner = Awaited<ReturnType<typeof signedInOwner>>;

/** Delivers the workspace's pending outbox events to the segments handler, as the worker would; returns what it emitted. */
async function drain(ws: string): Promise<Array<{ type: string; payload: Record<string, unknown> }>> {
  const emitted: Array<{ type: string; payload: Record<string, unknown> }> = [];
  for (;;) {
    const events = await db().selectFrom('outbox_events').select(['id', 'type', 'payload', 'occurred_at']).where('workspace_id', '=', ws).where('dispatched_at', 'is', null).orderBy('id').execute();
    if (!events.length) return emitted;
    await db().updateTable('outbox_events').set({ dispatched_at: new Date() }).where('workspace_id', '=', ws).where('id', 'in', events.map((e) => e.id)).execute();
    for (const e of events) {
      if (e.type.startsWith('segments.')) emitted.push({ type: e.type, payload: e.payload });
      if (!segmentsHandler.events.includes(e.type as EventType)) continue;
      const event: DomainEvent = { id: Number(e.id), workspaceId: ws, type: e.type as EventType, payload: e.payload, occurredAt: e.occurred_at.toISOString() };
      await inTransaction(db(), (tx) => handleEvents(segmentsHandler, { tx, logger: silentLogger, attempt: 1 }, [event]));
    }
  }
}

async function setup() {
  const o = await signedInOwner(t);
  const c = o.client;
  const group = (await c.post('/api/v1/tag-groups', { name: 'g' })).json().group.id;
  const vip = (await c.post('/api/v1/tags', { groupId: group, name: 'vip' })).json().tag.id as string;
  const cold = (await c.post('/api/v1/tags', { groupId: group, name: 'cold' })).json().tag.id as string;
  await c.post('/api/v1/custom-fields', { key: 'level', label: 'Level', type: 'number' });
  return { o, c, vip, cold };
}

const contact = async (o: Owner, body: Record<string, unknown>) => {
  const res = await o.client.post('/api/v1/contacts', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().contact.id as string;
};

const members = async (o: Owner, segmentId: string) =>
  ((await o.client.get(`/api/v1/segments/${segmentId}/members?limit=200`)).json().items as Array<{ contact: { id: string } }>).map((m) => m.contact.id).sort();

const create = async (o: Owner, name: string, definition: Definition, kind = 'dynamic') => {
  const res = await o.client.post('/api/v1/segments', { name, kind, definition });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().segment as { id: string; memberCount: number; status: string };
};

const g = (op: 'and' | 'or', ...conditions: Definition['conditions']): Definition => ({ kind: 'group', op, conditions });

describe('segments', () => {
  it('builds a segment, counts an unsaved definition, lists members and a contact’s segments', async () => {
    const { o, c, vip } = await setup();
    const a = await contact(o, { name: 'A', city: '上海', tagIds: [vip], custom: { level: 5 } });
    const b = await contact(o, { name: 'B', city: '上海', custom: { level: 1 } });
    await contact(o, { name: 'C', city: '北京', tagIds: [vip] });
    const def = g('and', { kind: 'field', field: 'city', op: 'eq', value: '上海' }, g('or', { kind: 'tags', op: 'any', tagIds: [vip] }, { kind: 'custom', key: 'level', op: 'lt', value: 3 }));

    const preview = await c.post('/api/v1/segments/preview', { definition: def });
    expect(preview.json()).toEqual({ count: 2 });
    const s = await create(o, '上海 VIP', def);
    expect(s).toMatchObject({ status: 'ready', memberCount: 2 });
    expect(await members(o, s.id)).toEqual([a, b].sort());
    expect((await c.get(`/api/v1/contacts/${a}/segments`)).json().items).toEqual([expect.objectContaining({ id: s.id, name: '上海 VIP', kind: 'dynamic' })]);
    const search = await c.post('/api/v1/contacts/search', { filter: { segmentIds: [s.id] } });
    expect(search.json().items.map((x: { id: string }) => x.id).sort()).toEqual([a, b].sort());
    const history = (await c.get(`/api/v1/segments/${s.id}/history`)).json().items;
    expect(history).toHaveLength(30);
    expect(history.at(-1).size).toBe(2);
    expect((await c.get('/api/v1/segments')).json().items.map((x: { id: string }) => x.id)).toEqual([s.id]);
    const catalogue = (await c.get('/api/v1/segments/catalogue')).json();
    expect(catalogue.customFields).toEqual([expect.objectContaining({ key: 'level', kind: 'number', ops: expect.arrayContaining(['gt', 'between']) })]);
  });

  it('refuses definitions that do not fit the workspace, with the path of the problem', async () => {
    const { c } = await setup();
    const unknownTag = await c.post('/api/v1/segments', { name: 'x', definition: g('and', { kind: 'tags', op: 'any', tagIds: ['00000000-0000-4000-8000-000000000000'] }) });
    expect(unknownTag.statusCode).toBe(400);
    const wrongOp = await c.post('/api/v1/segments/preview', { definition: g('and', { kind: 'custom', key: 'level', op: 'contains', value: 'x' }) });
    expect(wrongOp.statusCode).toBe(400);
    expect(wrongOp.json().errors).toEqual([{ path: 'definition.conditions.0.op', message: expect.stringContaining('gt') }]);
    const badShape = await c.post('/api/v1/segments/preview', { definition: g('and', { kind: 'field', field: 'city', op: 'gt', value: 3 }) });
    expect(badShape.statusCode).toBe(400);
    const dup = await c.post('/api/v1/segments', { name: 'same', definition: g('and') });
    expect(dup.statusCode).toBe(201);
    expect((await c.post('/api/v1/segments', { name: 'SAME', definition: g('and') })).statusCode).toBe(409);
  });

  it('keeps members current from events: only affected segments, only the named contacts, with entered/left events', async () => {
    const { o, c, vip } = await setup();
    const ws = o.workspace.id;
    const a = await contact(o, { name: 'A', city: '上海' });
    const b = await contact(o, { name: 'B', city: '北京' });
    const byTag = await create(o, 'vip', g('and', { kind: 'tags', op: 'any', tagIds: [vip] }));
    const byCity = await create(o, '上海', g('and', { kind: 'field', field: 'city', op: 'eq', value: '上海' }));
    const buyers = await create(o, 'buyers', g('and', { kind: 'event', type: 'order', where: [{ path: 'amount', op: 'gte', value: 100 }], count: { op: 'at_least', n: 1 }, window: { kind: 'last_days', days: 30 } }));
    await drain(ws);
    expect(await members(o, byCity.id)).toEqual([a]);

    // Make byCity's stored membership stale on purpose: a tag event must not touch it.
    await db().deleteFrom('segment_members').where('workspace_id', '=', ws).where('segment_id', '=', byCity.id).execute();
    await c.post(`/api/v1/contacts/${a}/tags`, { tagIds: [vip] });
    let emitted = await drain(ws);
    expect(await members(o, byTag.id)).toEqual([a]);
    expect(await members(o, byCity.id)).toEqual([]);
    expect(emitted).toEqual([{ type: 'segments.segment.entered', payload: { segmentId: byTag.id, contactIds: [a] } }]);

    // A field change re-evaluates the segments reading that field.
    await c.patch(`/api/v1/contacts/${b}`, { city: '上海' });
    emitted = await drain(ws);
    expect(await members(o, byCity.id)).toEqual([b]);
    expect(emitted).toEqual([{ type: 'segments.segment.entered', payload: { segmentId: byCity.id, contactIds: [b] } }]);
    await c.patch(`/api/v1/contacts/${b}`, { city: '北京' });
    expect(await drain(ws)).toEqual([{ type: 'segments.segment.left', payload: { segmentId: byCity.id, contactIds: [b] } }]);

    // A recorded order enters the behaviour segment; a small one does not.
    await c.post(`/api/v1/contacts/${b}/timeline`, { type: 'order', props: { orderId: 'o1', amount: 20, currency: 'CNY' } });
    expect(await drain(ws)).toEqual([]);
    await c.post(`/api/v1/contacts/${b}/timeline`, { type: 'order', props: { orderId: 'o2', amount: 150, currency: 'CNY' } });
    expect(await drain(ws)).toEqual([{ type: 'segments.segment.entered', payload: { segmentId: buyers.id, contactIds: [b] } }]);

    // Deleting leaves every dynamic segment; restoring comes back.
    await c.delete(`/api/v1/contacts/${a}`);
    expect(await drain(ws)).toEqual([{ type: 'segments.segment.left', payload: { segmentId: byTag.id, contactIds: [a] } }]);
    await c.post(`/api/v1/contacts/${a}/restore`);
    await drain(ws);
    expect(await members(o, byTag.id)).toEqual([a]);
    expect(await members(o, byCity.id)).toEqual([a]); // a restored contact is evaluated against every segment
    const counts = await db().selectFrom('segments').select(['id', 'member_count']).where('workspace_id', '=', ws).where('id', '<>', byCity.id).execute();
    expect(Object.fromEntries(counts.map((r) => [r.id, r.member_count]))).toEqual({ [byTag.id]: 1, [buyers.id]: 1 });
  });

  it('handles batch work as one set: one statement per segment, one event per segment', async () => {
    const { o, c, vip, cold } = await setup();
    const ws = o.workspace.id;
    await sql`insert into contacts (workspace_id, name, owner_member_id, custom) select ${ws}::uuid, 'bulk ' || i, ${o.memberId}::uuid, '{}' from generate_series(1, 300) i`.execute(db());
    const ids = (await db().selectFrom('contacts').select('id').where('workspace_id', '=', ws).execute()).map((r) => r.id).sort();
    const hot = await create(o, 'hot', g('and', { kind: 'tags', op: 'all', tagIds: [vip] }, { kind: 'tags', op: 'none', tagIds: [cold] }));
    await drain(ws);
    const res = await c.post('/api/v1/contacts/batch', { action: 'add_tags', target: { ids }, tagIds: [vip] });
    expect(res.statusCode, res.body).toBe(200);
    const emitted = await drain(ws);
    expect(emitted).toHaveLength(1);
    expect((emitted[0]!.payload.contactIds as string[]).sort()).toEqual(ids);
    expect(await members(o, hot.id)).toHaveLength(200); // one page of the 300
    await c.post('/api/v1/contacts/batch', { action: 'add_tags', target: { ids: ids.slice(0, 100) }, tagIds: [cold] });
    const left = await drain(ws);
    expect(left.map((e) => e.type)).toEqual(['segments.segment.left']);
    expect((await c.get(`/api/v1/segments/${hot.id}`)).json().segment.memberCount).toBe(200);
  });

  it('a static snapshot keeps its members while the dynamic segment moves on', async () => {
    const { o, c, vip } = await setup();
    const ws = o.workspace.id;
    const a = await contact(o, { name: 'A', tagIds: [vip] });
    const dyn = await create(o, 'vip', g('and', { kind: 'tags', op: 'any', tagIds: [vip] }));
    const snap = (await c.post(`/api/v1/segments/${dyn.id}/snapshot`, {})).json().segment;
    expect(snap).toMatchObject({ kind: 'static', memberCount: 1, sourceSegmentId: dyn.id, snapshotAt: expect.any(String) });
    await c.delete(`/api/v1/contacts/${a}/tags/${vip}`);
    await drain(ws);
    expect(await members(o, dyn.id)).toEqual([]);
    expect(await members(o, snap.id)).toEqual([a]);
    expect((await c.patch(`/api/v1/segments/${snap.id}`, { definition: g('or') })).statusCode).toBe(409);
    const copy = (await c.post(`/api/v1/segments/${snap.id}/duplicate`, {})).json().segment;
    expect(copy).toMatchObject({ kind: 'static', name: `${snap.name} (2)`, memberCount: 1 });
  });

  it('counts and lists only the contacts within the caller’s data scope; agents cannot write', async () => {
    const { o, c } = await setup();
    const agent = await addMember(t, o.workspace.id, 'agent');
    await contact(o, { name: 'mine-not', city: '上海' });
    const theirs = await contact(o, { name: 'theirs', city: '上海', ownerId: agent.memberId });
    const s = await create(o, 'sh', g('and', { kind: 'field', field: 'city', op: 'eq', value: '上海' }));
    expect(s.memberCount).toBe(2);
    const ac = await agent.login();
    expect((await ac.get(`/api/v1/segments/${s.id}`)).json().segment.memberCount).toBe(1);
    expect(((await ac.get(`/api/v1/segments/${s.id}/members`)).json().items as Array<{ contact: { id: string } }>).map((m) => m.contact.id)).toEqual([theirs]);
    expect((await ac.post('/api/v1/segments/preview', { definition: g('and', { kind: 'field', field: 'city', op: 'eq', value: '上海' }) })).json().count).toBe(1);
    expect((await ac.post('/api/v1/segments', { name: 'no', definition: g('and') })).statusCode).toBe(403);
    expect((await c.get(`/api/v1/segments/${s.id}/members?limit=1`)).json().nextCursor).toEqual(expect.any(String));
  });

  it('rebuilds a redefined segment as a job with progress, and the daily refresh drops members a window no longer covers', async () => {
    const { o, c } = await setup();
    const ws = o.workspace.id;
    const a = await contact(o, { name: 'A' });
    await c.post(`/api/v1/contacts/${a}/timeline`, { type: 'order', occurredAt: new Date(Date.now() - 2 * 86_400_000).toISOString(), props: { orderId: 'o1', amount: 20, currency: 'CNY' } });
    const recent = await create(o, 'recent', g('and', { kind: 'event', type: 'order', count: { op: 'at_least', n: 1 }, window: { kind: 'last_days', days: 7 } }));
    expect(recent.memberCount).toBe(1);
    expect(await drain(ws)).toEqual([]);
    const scheduled = await db().selectFrom('jobs').select(['name', 'run_at', 'dedupe_key']).where('workspace_id', '=', ws).where('name', '=', 'segments.refresh').execute();
    expect(scheduled).toHaveLength(1);
    expect(scheduled[0]!.run_at.getTime()).toBeGreaterThan(Date.now());

    // Days pass (no event says so): the refresh notices.
    await db().updateTable('timeline_events').set({ occurred_at: new Date(Date.now() - 10 * 86_400_000) }).where('workspace_id', '=', ws).where('type', '=', 'order').execute();
    const refresh = await enqueue(db(), segmentRefreshJob, { workspaceId: ws });
    await runJobNow(db(), silentLogger, segmentRefreshJob, ws, refresh);
    expect((await c.get(`/api/v1/jobs/${refresh}`)).json().job).toMatchObject({ status: 'done' });
    expect(await members(o, recent.id)).toEqual([]);
    expect(await drain(ws)).toEqual([{ type: 'segments.segment.left', payload: { segmentId: recent.id, contactIds: [a] } }]);

    // The build job (what a large workspace gets instead of an inline build).
    const job = await enqueue(db(), segmentBuildJob, { workspaceId: ws, segmentId: recent.id, emitEvents: true }, { total: 1 });
    await db().updateTable('timeline_events').set({ occurred_at: new Date() }).where('workspace_id', '=', ws).where('type', '=', 'order').execute();
    await runJobNow(db(), silentLogger, segmentBuildJob, ws, job);
    expect((await c.get(`/api/v1/jobs/${job}`)).json().job).toMatchObject({ status: 'done', progressDone: 1, progressTotal: 1 });
    expect(await members(o, recent.id)).toEqual([a]);
    expect(await drain(ws)).toEqual([{ type: 'segments.segment.entered', payload: { segmentId: recent.id, contactIds: [a] } }]);
  });

  it('exports the members as CSV through the contacts export job', async () => {
    const { o, c, vip } = await setup();
    const a = await contact(o, { name: '导出A', tagIds: [vip] });
    await contact(o, { name: 'other' });
    const s = await create(o, 'vip', g('and', { kind: 'tags', op: 'any', tagIds: [vip] }));
    const started = await c.post(`/api/v1/segments/${s.id}/export`, { columns: ['id', 'name'] });
    expect(started.statusCode, started.body).toBe(202);
    await createWorker({ db: db(), logger: silentLogger, registry: createJobRegistry([exportJob]), concurrency: 1, pollMs: 50 }).runOnce();
    const file = await c.get(`/api/v1/contacts/exports/${started.json().jobId}/download`);
    expect(file.body.slice(1).trim().split('\n')).toEqual(['id,name', `${a},导出A`]);
  });

  it('a segment whose custom field was deleted turns invalid, and says why', async () => {
    const { o, c } = await setup();
    const a = await contact(o, { name: 'A', custom: { level: 5 } });
    const s = await create(o, 'levelled', g('and', { kind: 'custom', key: 'level', op: 'gte', value: 3 }));
    expect(s.memberCount).toBe(1);
    const field = (await c.get('/api/v1/custom-fields')).json().items.find((f: { key: string }) => f.key === 'level').id;
    expect((await c.delete(`/api/v1/custom-fields/${field}`)).statusCode).toBe(204);
    await drain(o.workspace.id);
    expect((await c.get(`/api/v1/segments/${s.id}`)).json().segment).toMatchObject({ status: 'invalid', error: expect.stringContaining('Unknown custom field') });
    await c.patch(`/api/v1/contacts/${a}`, { name: 'A2' });
    await drain(o.workspace.id);
    expect((await c.get(`/api/v1/segments/${s.id}`)).json().segment).toMatchObject({ status: 'invalid', error: expect.stringContaining('Unknown custom field') });
  });

  it('keeps the per-contact event counters exact through inserts, deletes and moves (a merge moves events)', async () => {
    const { o } = await setup();
    const ws = o.workspace.id;
    const [a, b] = [await contact(o, { name: 'A' }), await contact(o, { name: 'B' })];
    const at = (days: number) => new Date(Date.now() - days * 86_400_000);
    await db()
      .insertInto('timeline_events')
      .values([...Array(12).keys()].map((i) => ({ workspace_id: ws, contact_id: i % 3 ? a : b, type: i % 2 ? 'order' : 'message', occurred_at: at(i), props: '{}' })))
      .execute();
    await db().deleteFrom('timeline_events').where('workspace_id', '=', ws).where('occurred_at', '<', at(9.5)).execute();
    await db().updateTable('timeline_events').set({ contact_id: b }).where('workspace_id', '=', ws).where('contact_id', '=', a).where('type', '=', 'order').execute();
    const kept = await sql<{ contact_id: string; type: string; total: number; recent: Date[] }>`
      select contact_id, type, total, array_remove(array[at1, at2, at3, at4, at5, at6, at7, at8], null) as recent
      from contact_event_recent where workspace_id = ${ws} order by contact_id, type`.execute(db());
    const truth = await sql<{ contact_id: string; type: string; total: number; recent: Date[] }>`
      select contact_id, type, count(*)::int as total, (array_agg(occurred_at order by occurred_at desc))[1:8] as recent
      from timeline_events where workspace_id = ${ws} group by contact_id, type order by contact_id, type`.execute(db());
    expect(kept.rows).toEqual(truth.rows);
    expect(kept.rows.length).toBeGreaterThan(1);
  });

  it('keeps the numeric custom values exact through creates, edits, removed keys, bulk updates and purges', async () => {
    const { o, c } = await setup();
    const ws = o.workspace.id;
    await c.post('/api/v1/custom-fields', { key: 'budget', label: 'Budget', type: 'money' });
    await c.post('/api/v1/custom-fields', { key: 'note', label: 'Note', type: 'text' });
    const a = await contact(o, { name: 'A', custom: { level: 5, budget: 1200.5, note: '7' } });
    const b = await contact(o, { name: 'B', custom: { level: 2 } });
    const gone = await contact(o, { name: 'C', custom: { level: 9 } });
    await contact(o, { name: 'D' });
    expect((await c.patch(`/api/v1/contacts/${a}`, { custom: { level: 6, budget: null } })).statusCode).toBe(200);
    await sql`update contacts set custom = custom || '{"level": "high", "budget": 10}'::jsonb where workspace_id = ${ws} and id = ${b}`.execute(db());
    await sql`delete from contacts where workspace_id = ${ws} and id = ${gone}`.execute(db());
    const kept = await sql<{ contact_id: string; key: string; value: string }>`
      select contact_id, key, value::text from contact_custom_numbers where workspace_id = ${ws} order by contact_id, key`.execute(db());
    const truth = [
      { contact_id: a, key: 'level', value: '6' },
      { contact_id: b, key: 'budget', value: '10' },
    ].sort((x, y) => x.contact_id.localeCompare(y.contact_id) || x.key.localeCompare(y.key));
    expect(kept.rows).toEqual(truth);
  });

  it('another workspace’s segment is not found', async () => {
    const one = await setup();
    const two = await setup();
    const s = await create(one.o, 'mine', g('and'));
    for (const path of [`/api/v1/segments/${s.id}`, `/api/v1/segments/${s.id}/members`, `/api/v1/segments/${s.id}/history`]) {
      expect((await two.c.get(path)).statusCode).toBe(404);
    }
    expect((await two.c.post('/api/v1/contacts/search', { filter: { segmentIds: [s.id] } })).json().items).toEqual([]);
  });
});
