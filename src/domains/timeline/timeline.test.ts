import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { recordTimelineEvents } from './timeline.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const db = () => t.database.db;
const insertContact = async (workspaceId: string, ownerId: string | null) =>
  (await db().insertInto('contacts').values({ workspace_id: workspaceId, name: 'Li Lei', owner_member_id: ownerId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()).id;

describe('timeline', () => {
  it('records notes, calls, visits and interactions; lists newest first with actor names and a type filter', async () => {
    const w = await signedInOwner(t);
    const contact = await insertContact(w.workspace.id, w.memberId);
    const note = await w.client.post(`/api/v1/contacts/${contact}/notes`, { body: 'Likes green tea' });
    expect(note.statusCode).toBe(201);
    expect(note.json().event).toEqual({
      id: expect.any(String),
      type: 'note',
      occurredAt: expect.any(String),
      actor: { id: w.memberId, name: w.user.name },
      props: { body: 'Likes green tea' },
    });
    const call = await w.client.post(`/api/v1/contacts/${contact}/calls`, { direction: 'out', durationSeconds: 95, outcome: 'interested', occurredAt: '2026-01-02T03:04:05.000Z' });
    expect(call.json().event).toMatchObject({ type: 'call', occurredAt: '2026-01-02T03:04:05.000Z', props: { direction: 'out', durationSeconds: 95, outcome: 'interested' } });
    expect((await w.client.post(`/api/v1/contacts/${contact}/visits`, { location: 'Shanghai office' })).statusCode).toBe(201);
    const order = await w.client.post(`/api/v1/contacts/${contact}/timeline`, { type: 'order', props: { orderId: 'A-1', amount: 199.5, currency: 'CNY' } });
    expect(order.statusCode).toBe(201);
    expect(order.json().event.props).toEqual({ orderId: 'A-1', amount: 199.5, currency: 'CNY' });

    const all = (await w.client.get(`/api/v1/contacts/${contact}/timeline`)).json();
    expect(all.items.map((e: { type: string }) => e.type)).toEqual(['order', 'visit', 'note', 'call']);
    const some = (await w.client.get(`/api/v1/contacts/${contact}/timeline?types=note,call`)).json();
    expect(some.items.map((e: { type: string }) => e.type)).toEqual(['note', 'call']);
    expect((await w.client.get(`/api/v1/contacts/${contact}/timeline?types=nonsense`)).statusCode).toBe(400);
  });

  it('pages through entries that share a timestamp without skipping or repeating', async () => {
    const w = await signedInOwner(t);
    const contact = await insertContact(w.workspace.id, w.memberId);
    const at = '2026-03-01T08:00:00.000Z';
    await recordTimelineEvents(db(), w.workspace.id, [
      ...Array.from({ length: 7 }, (_, i) => ({ contactId: contact, type: 'message', occurredAt: at, props: { i } })),
      { contactId: contact, type: 'message', occurredAt: '2026-03-01T09:00:00.000Z', props: { i: 'later' } },
      { contactId: contact, type: 'message', occurredAt: '2026-03-01T07:00:00.000Z', props: { i: 'earlier' } },
    ]);
    const seen: Array<{ id: string; occurredAt: string; props: { i: unknown } }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await w.client.get(`/api/v1/contacts/${contact}/timeline?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items);
      cursor = res.json().nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toHaveLength(9);
    expect(new Set(seen.map((e) => e.id)).size).toBe(9);
    expect(seen[0]!.props.i).toBe('later');
    expect(seen.at(-1)!.props.i).toBe('earlier');
    const same = seen.slice(1, 8);
    expect(same.every((e) => e.occurredAt === at)).toBe(true);
    expect(same.map((e) => e.id)).toEqual(same.map((e) => e.id).sort().reverse());
  });

  it('refuses bad notes, calls and interactions with the paths of the bad fields', async () => {
    const w = await signedInOwner(t);
    const contact = await insertContact(w.workspace.id, w.memberId);
    const paths = async (url: string, body: unknown) => {
      const res = await w.client.post(`/api/v1/contacts/${contact}/${url}`, body);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('validation_failed');
      return res.json().errors.map((e: { path: string }) => e.path).sort();
    };
    expect(await paths('notes', {})).toEqual(['body']);
    expect(await paths('notes', { body: '   ' })).toEqual(['body']);
    expect(await paths('calls', { direction: 'sideways', durationSeconds: -1 })).toEqual(['direction', 'durationSeconds']);
    expect(await paths('calls', { direction: 'in', mood: 'happy' })).toEqual(['mood']);
    expect(await paths('timeline', { type: 'order', props: { orderId: 'A-1', amount: -5, currency: 'rmb' } })).toEqual(['props.amount', 'props.currency']);
    expect(await paths('timeline', { type: 'stage_changed', props: {} })).toEqual(['type']);
    const count = await db().selectFrom('timeline_events').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', w.workspace.id).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('deletes only notes, by their author or an editor who sees the contact', async () => {
    const w = await signedInOwner(t);
    const contact = await insertContact(w.workspace.id, w.memberId);
    const viewer = await (await addMember(t, w.workspace.id, 'viewer')).login();
    const note = (await w.client.post(`/api/v1/contacts/${contact}/notes`, { body: 'x' })).json().event.id;
    const call = (await w.client.post(`/api/v1/contacts/${contact}/calls`, { direction: 'in' })).json().event.id;
    expect((await viewer.delete(`/api/v1/timeline/${note}`)).statusCode).toBe(403);
    expect((await w.client.delete(`/api/v1/timeline/${call}`)).statusCode).toBe(409);
    expect((await w.client.delete(`/api/v1/timeline/${note}`)).statusCode).toBe(204);
    expect((await w.client.delete(`/api/v1/timeline/${note}`)).statusCode).toBe(404);
  });

  it('an agent (scope own) gets 404 on a teammate’s contact, and works on their own', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const client = await agent.login();
    const theirs = await insertContact(w.workspace.id, w.memberId);
    const mine = await insertContact(w.workspace.id, agent.memberId);
    const note = (await w.client.post(`/api/v1/contacts/${theirs}/notes`, { body: 'owner only' })).json().event.id;
    expect((await client.get(`/api/v1/contacts/${theirs}/timeline`)).statusCode).toBe(404);
    expect((await client.post(`/api/v1/contacts/${theirs}/notes`, { body: 'x' })).statusCode).toBe(404);
    expect((await client.post(`/api/v1/contacts/${theirs}/calls`, { direction: 'in' })).statusCode).toBe(404);
    expect((await client.delete(`/api/v1/timeline/${note}`)).statusCode).toBe(404);
    expect((await client.post(`/api/v1/contacts/${mine}/notes`, { body: 'mine' })).statusCode).toBe(201);
    expect((await client.get(`/api/v1/contacts/${mine}/timeline`)).json().items).toHaveLength(1);
  });
});
