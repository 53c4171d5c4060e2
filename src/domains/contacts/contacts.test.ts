import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, apiClient, createTestApp, signedInOwner, type Client, type TestApp } from '../../../test/support/app.js';
import { seedContactDefaults } from './index.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

async function workspace(name = 'Acme') {
  const w = await signedInOwner(t, name);
  await t.database.db.transaction().execute((tx) => seedContactDefaults(tx, w.workspace.id));
  const stages = (await w.client.get('/api/v1/stages')).json().items as Array<{ id: string; name: string }>;
  return { ...w, stages };
}

const paths = (res: { json(): { errors?: Array<{ path: string }> } }) => (res.json().errors ?? []).map((e) => e.path).sort();

async function outbox(workspaceId: string, type: string) {
  const rows = await t.database.db.selectFrom('outbox_events').select(['type', 'payload']).where('workspace_id', '=', workspaceId).where('type', '=', type).orderBy('id').execute();
  return rows.map((r) => (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload));
}

describe('contacts', () => {
  it('creates, reads, patches, deletes and restores a contact, with audit and events', async () => {
    const w = await workspace();
    await w.client.post('/api/v1/custom-fields', { key: 'level', label: 'Level', type: 'single_select', options: ['A', 'B'] });
    await w.client.post('/api/v1/custom-fields', { key: 'score', label: 'Score', type: 'number' });
    const group = (await w.client.post('/api/v1/tag-groups', { name: 'Interest' })).json().group;
    const tag = (await w.client.post('/api/v1/tags', { groupId: group.id, name: 'VIP' })).json().tag;
    const created = await w.client.post('/api/v1/contacts', {
      name: '王芳',
      phone: '138 0013 8000',
      email: '  Wang.Fang@Example.COM ',
      gender: 'female',
      birthday: '1990-05-01',
      company: 'Acme',
      stageId: w.stages[0]!.id,
      sourceChannel: 'wecom',
      custom: { level: 'A', score: 12.5 },
      identities: [{ channelType: 'wecom', externalId: 'wm-1', displayName: 'Fang' }],
      tagIds: [tag.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const c = created.json().contact;
    expect(c).toMatchObject({
      name: '王芳',
      phone: '+8613800138000',
      email: 'wang.fang@example.com',
      gender: 'female',
      birthday: '1990-05-01',
      stage: { id: w.stages[0]!.id, name: '潜在' },
      owner: { id: w.memberId },
      source: { channel: 'wecom', codeId: null, referrerContactId: null },
      custom: { level: 'A', score: 12.5 },
      tags: [{ id: tag.id, name: 'VIP', groupId: group.id }],
      identities: [{ channelType: 'wecom', externalId: 'wm-1', displayName: 'Fang' }],
      consents: [],
      deletedAt: null,
    });

    const got = await w.client.get(`/api/v1/contacts/${c.id}`);
    expect(got.json().contact).toEqual(c);

    const patched = await w.client.patch(`/api/v1/contacts/${c.id}`, { company: null, stageId: w.stages[1]!.id, custom: { score: null, level: 'B' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().contact).toMatchObject({ company: null, stage: { id: w.stages[1]!.id }, custom: { level: 'B' } });
    expect(patched.json().contact.custom).not.toHaveProperty('score');
    expect(new Date(patched.json().contact.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(c.updatedAt).getTime());

    expect(await outbox(w.workspace.id, 'contacts.contact.stage_changed')).toEqual([
      expect.objectContaining({ contactId: c.id, fromStageId: w.stages[0]!.id, toStageId: w.stages[1]!.id, actorMemberId: w.memberId }),
    ]);
    const other = await addMember(t, w.workspace.id, 'agent');
    await w.client.patch(`/api/v1/contacts/${c.id}`, { ownerId: other.memberId });
    expect(await outbox(w.workspace.id, 'contacts.contact.owner_changed')).toEqual([
      expect.objectContaining({ contactId: c.id, fromOwnerId: w.memberId, toOwnerId: other.memberId }),
    ]);

    expect((await w.client.delete(`/api/v1/contacts/${c.id}`)).statusCode).toBe(204);
    expect((await w.client.get(`/api/v1/contacts/${c.id}`)).statusCode).toBe(404);
    expect((await w.client.patch(`/api/v1/contacts/${c.id}`, { name: 'x' })).statusCode).toBe(404);
    const restored = await w.client.post(`/api/v1/contacts/${c.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().contact.deletedAt).toBeNull();
    expect((await w.client.get(`/api/v1/contacts/${c.id}`)).statusCode).toBe(200);

    const actions = (await w.client.get('/api/v1/audit-log?entityType=contact')).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['contact.restored', 'contact.deleted', 'contact.updated', 'contact.updated', 'contact.created']);
    for (const type of ['created', 'updated', 'deleted', 'restored']) expect(await outbox(w.workspace.id, `contacts.contact.${type}`)).not.toHaveLength(0);
  });

  it('validates each field through the API, naming the path', async () => {
    const w = await workspace();
    const fields = [
      { key: 'txt', label: 'Txt', type: 'text' },
      { key: 'memo', label: 'Memo', type: 'long_text' },
      { key: 'num', label: 'Num', type: 'number' },
      { key: 'amount', label: 'Amount', type: 'money' },
      { key: 'day', label: 'Day', type: 'date' },
      { key: 'flag', label: 'Flag', type: 'boolean' },
      { key: 'site', label: 'Site', type: 'url' },
      { key: 'level', label: 'Level', type: 'single_select', options: ['A'] },
      { key: 'hobbies', label: 'Hobbies', type: 'multi_select', options: ['x', 'y'] },
      { key: 'must', label: 'Must', type: 'text', required: true },
    ];
    for (const f of fields) expect((await w.client.post('/api/v1/custom-fields', f)).statusCode).toBe(201);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ phone: '12', custom: { must: 'x' } }, ['phone']],
      [{ email: 'not-an-email', custom: { must: 'x' } }, ['email']],
      [{ birthday: '1990-02-30', custom: { must: 'x' } }, ['birthday']],
      [{ birthday: '2999-01-01', custom: { must: 'x' } }, ['birthday']],
      [{ gender: 'robot', custom: { must: 'x' } }, ['gender']],
      [{ influence: -1, custom: { must: 'x' } }, ['influence']],
      [{ stageId: 'nope', custom: { must: 'x' } }, ['stageId']],
      [{ custom: { must: 'x', txt: 5 } }, ['custom.txt']],
      [{ custom: { must: 'x', memo: 'm'.repeat(20001) } }, ['custom.memo']],
      [{ custom: { must: 'x', num: 'twelve' } }, ['custom.num']],
      [{ custom: { must: 'x', amount: 1.234 } }, ['custom.amount']],
      [{ custom: { must: 'x', day: '2024-13-01' } }, ['custom.day']],
      [{ custom: { must: 'x', flag: 'yes' } }, ['custom.flag']],
      [{ custom: { must: 'x', site: 'ftp://x' } }, ['custom.site']],
      [{ custom: { must: 'x', level: 'Z' } }, ['custom.level']],
      [{ custom: { must: 'x', hobbies: ['x', 'q'] } }, ['custom.hobbies']],
      [{ custom: { must: 'x', nope: 1 } }, ['custom.nope']],
      [{}, ['custom.must']],
      [{ phone: 'abc', email: 'x@', custom: { num: 'a' } }, ['custom.must', 'custom.num', 'email', 'phone']],
      [{ custom: { must: 'x' }, identities: [{ channelType: 'pigeon', externalId: 'x' }] }, ['identities.0.channelType']],
      [{ custom: { must: 'x' }, surname: 'x' }, ['surname']],
    ];
    for (const [body, expected] of cases) {
      const res = await w.client.post('/api/v1/contacts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
      expect(paths(res), JSON.stringify(body)).toEqual(expected);
    }
    const ok = await w.client.post('/api/v1/contacts', {
      custom: { must: 'x', txt: 't', num: 7, amount: 9.99, day: '2024-02-29', flag: false, site: 'https://a.example', level: 'A', hobbies: ['y', 'x'] },
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const id = ok.json().contact.id;
    // PATCH checks only what it sets, and refuses clearing a required field.
    expect(paths(await w.client.patch(`/api/v1/contacts/${id}`, { custom: { must: null } }))).toEqual(['custom.must']);
    expect(paths(await w.client.patch(`/api/v1/contacts/${id}`, { phone: '999' }))).toEqual(['phone']);
    expect((await w.client.patch(`/api/v1/contacts/${id}`, { phone: '' })).json().contact.phone).toBeNull();
  });

  it('reads phones in the workspace default region', async () => {
    const w = await workspace();
    await t.database.db.updateTable('workspaces').set({ default_region: 'US' }).where('id', '=', w.workspace.id).execute();
    const res = await w.client.post('/api/v1/contacts', { name: 'Ann', phone: '(201) 555-0123' });
    expect(res.json().contact.phone).toBe('+12015550123');
  });

  it('identities: add, refuse one held by another contact (naming it), remove', async () => {
    const w = await workspace();
    const a = (await w.client.post('/api/v1/contacts', { name: 'A', identities: [{ channelType: 'telegram', externalId: '42' }] })).json().contact;
    const b = (await w.client.post('/api/v1/contacts', { name: 'B' })).json().contact;
    const taken = await w.client.post(`/api/v1/contacts/${b.id}/identities`, { channelType: 'telegram', externalId: '42' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json()).toMatchObject({ code: 'conflict', contactId: a.id });
    const onCreate = await w.client.post('/api/v1/contacts', { name: 'C', identities: [{ channelType: 'telegram', externalId: '42' }] });
    expect(onCreate.statusCode).toBe(409);
    expect(onCreate.json().contactId).toBe(a.id);
    expect((await w.client.post('/api/v1/contacts/search', { filter: { q: 'C' } })).json().items).toEqual([]);

    const added = await w.client.post(`/api/v1/contacts/${b.id}/identities`, { channelType: 'line', externalId: 'U1', displayName: 'Bee' });
    expect(added.statusCode).toBe(201);
    expect(added.json().identity).toMatchObject({ channelType: 'line', externalId: 'U1', displayName: 'Bee' });
    expect((await w.client.get(`/api/v1/contacts/${b.id}`)).json().contact.identities).toHaveLength(1);
    expect((await w.client.delete(`/api/v1/contacts/${a.id}/identities/${added.json().identity.id}`)).statusCode).toBe(404);
    expect((await w.client.delete(`/api/v1/contacts/${b.id}/identities/${added.json().identity.id}`)).statusCode).toBe(204);
    expect((await w.client.get(`/api/v1/contacts/${b.id}`)).json().contact.identities).toEqual([]);
    expect(await outbox(w.workspace.id, 'contacts.identity.removed')).toHaveLength(1);

    // A holder outside the caller's scope is not named.
    const agent = await addMember(t, w.workspace.id, 'agent');
    const agentClient = await agent.login();
    const mine = (await agentClient.post('/api/v1/contacts', { name: 'Mine' })).json().contact;
    const hidden = await agentClient.post(`/api/v1/contacts/${mine.id}/identities`, { channelType: 'telegram', externalId: '42' });
    expect(hidden.statusCode).toBe(409);
    expect(hidden.json().contactId).toBeNull();
  });

  it('consent: upsert per channel', async () => {
    const w = await workspace();
    const c = (await w.client.post('/api/v1/contacts', { name: 'A' })).json().contact;
    const first = await w.client.put(`/api/v1/contacts/${c.id}/consents/email`, { status: 'opt_in', how: 'signup form' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().consent).toMatchObject({ channelType: 'email', status: 'opt_in', how: 'signup form' });
    await w.client.put(`/api/v1/contacts/${c.id}/consents/email`, { status: 'opt_out', how: 'unsubscribe link' });
    expect((await w.client.get(`/api/v1/contacts/${c.id}`)).json().contact.consents).toEqual([
      { channelType: 'email', status: 'opt_out', how: 'unsubscribe link', at: expect.any(String) },
    ]);
    expect((await w.client.put(`/api/v1/contacts/${c.id}/consents/fax`, { status: 'opt_in', how: 'x' })).statusCode).toBe(400);
    expect(await outbox(w.workspace.id, 'contacts.consent.changed')).toEqual([
      expect.objectContaining({ status: 'opt_in', previousStatus: null }),
      expect.objectContaining({ status: 'opt_out', previousStatus: 'opt_in' }),
    ]);
  });

  it('scope own: an agent sees only own contacts in list, count and get', async () => {
    const w = await workspace();
    const one = await addMember(t, w.workspace.id, 'agent');
    const two = await addMember(t, w.workspace.id, 'agent');
    const [c1, c2] = [await one.login(), await two.login()];
    const mine = (await c1.post('/api/v1/contacts', { name: 'Mine' })).json().contact;
    const theirs = (await c2.post('/api/v1/contacts', { name: 'Theirs' })).json().contact;
    const unowned = (await w.client.post('/api/v1/contacts', { name: 'Nobody', ownerId: null })).json().contact;
    expect(mine.owner.id).toBe(one.memberId);
    expect((await c1.post('/api/v1/contacts/search', {})).json().items.map((x: { id: string }) => x.id)).toEqual([mine.id]);
    expect((await c1.get('/api/v1/contacts')).json().items.map((x: { id: string }) => x.id)).toEqual([mine.id]);
    expect((await c1.post('/api/v1/contacts/count', {})).json().count).toBe(1);
    expect((await w.client.post('/api/v1/contacts/count', {})).json().count).toBe(3);
    for (const id of [theirs.id, unowned.id]) {
      expect((await c1.get(`/api/v1/contacts/${id}`)).statusCode).toBe(404);
      expect((await c1.patch(`/api/v1/contacts/${id}`, { name: 'x' })).statusCode).toBe(404);
      expect((await c1.post(`/api/v1/contacts/${id}/identities`, { channelType: 'sms', externalId: id })).statusCode).toBe(404);
      expect((await c1.put(`/api/v1/contacts/${id}/consents/sms`, { status: 'opt_in', how: 'x' })).statusCode).toBe(404);
    }
    // Agents may not delete (no contacts:delete).
    expect((await c1.delete(`/api/v1/contacts/${mine.id}`)).statusCode).toBe(403);
    // Handing a contact to a teammate takes it out of sight.
    expect((await c1.patch(`/api/v1/contacts/${mine.id}`, { ownerId: two.memberId })).statusCode).toBe(200);
    expect((await c1.get(`/api/v1/contacts/${mine.id}`)).statusCode).toBe(404);
    expect((await c2.post('/api/v1/contacts/count', {})).json().count).toBe(2);
  });

  it('another workspace’s ids: 404 for a member and an API key, and in bodies', async () => {
    const a = await workspace('A');
    const b = await workspace('B');
    const bContact = (await b.client.post('/api/v1/contacts', { name: 'B secret', identities: [{ channelType: 'wecom', externalId: 'b-1' }] })).json().contact;
    const bGroup = (await b.client.post('/api/v1/tag-groups', { name: 'G' })).json().group;
    const bTag = (await b.client.post('/api/v1/tags', { groupId: bGroup.id, name: 'T' })).json().tag;
    const key = apiClient(t, (await a.client.post('/api/v1/api-keys', { name: 'k', scopes: ['contacts:read', 'contacts:write', 'contacts:delete'] })).json().secret);
    for (const caller of [a.client, key] as Client[]) {
      expect((await caller.get(`/api/v1/contacts/${bContact.id}`)).statusCode).toBe(404);
      expect((await caller.patch(`/api/v1/contacts/${bContact.id}`, { name: 'x' })).statusCode).toBe(404);
      expect((await caller.delete(`/api/v1/contacts/${bContact.id}`)).statusCode).toBe(404);
      expect((await caller.post(`/api/v1/contacts/${bContact.id}/restore`)).statusCode).toBe(404);
      expect((await caller.post('/api/v1/contacts', { stageId: b.stages[0]!.id })).statusCode).toBe(404);
      expect((await caller.post('/api/v1/contacts', { ownerId: b.memberId })).statusCode).toBe(404);
      expect((await caller.post('/api/v1/contacts', { referrerContactId: bContact.id })).statusCode).toBe(404);
      expect((await caller.post('/api/v1/contacts', { tagIds: [bTag.id] })).statusCode).toBe(404);
      const mine = (await caller.post('/api/v1/contacts', { name: 'mine' })).json().contact;
      expect((await caller.patch(`/api/v1/contacts/${mine.id}`, { stageId: b.stages[0]!.id })).statusCode).toBe(404);
      expect((await caller.patch(`/api/v1/contacts/${mine.id}`, { ownerId: b.memberId })).statusCode).toBe(404);
      await caller.delete(`/api/v1/contacts/${mine.id}`);
      const found = await caller.post('/api/v1/contacts/search', { filter: { ids: [bContact.id] } });
      expect(found.json().items).toEqual([]);
      expect((await caller.post('/api/v1/contacts/count', { filter: { stageIds: [b.stages[0]!.id] } })).json().count).toBe(0);
    }
    // The same identity in another workspace is a different person.
    const twin = await a.client.post('/api/v1/contacts', { name: 'twin', identities: [{ channelType: 'wecom', externalId: 'b-1' }] });
    expect(twin.statusCode).toBe(201);
    expect((await b.client.get(`/api/v1/contacts/${bContact.id}`)).json().contact.name).toBe('B secret');
  });
});
