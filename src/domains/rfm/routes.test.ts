// The RFM API's edges: validation errors as problem+json, permissions, data scope, other workspaces.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { rfmFixture } from './test-support.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const paths = (res: { json(): { errors?: Array<{ path: string }> } }) => res.json().errors?.map((e) => e.path);

describe('RFM API', () => {
  it('refuses invalid settings and rules with the fields named', async () => {
    const w = await signedInOwner(t);
    const bad = async (body: unknown) => {
      const res = await w.client.patch('/api/v1/rfm/settings', body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json().code).toBe('validation_failed');
      return paths(res);
    };
    expect(await bad({ windowDays: 0 })).toEqual(['windowDays']);
    expect(await bad({ scoring: 'thresholds' })).toEqual(['thresholds']);
    expect(
      await bad({ thresholds: { recencyDays: [7, 30, 90, 180], frequency: [2, 2, 5, 8], monetary: [100, 500, 1000, 5000] } }),
    ).toEqual(['thresholds.recencyDays', 'thresholds.frequency']);
    expect(await bad({ thresholds: { recencyDays: [180, 90, 30], frequency: [2, 3, 5, 8], monetary: [1, 2, 3, 4] } })).toEqual(['thresholds.recencyDays']);
    expect(await bad({ highScores: { r: 1 } })).toEqual(['highScores.r']);
    expect(await bad({ layerNames: { vip: 'VIP' } })).toEqual(['layerNames.vip']);
    expect(await bad({ layerNames: { important_value: '' } })).toEqual(['layerNames.important_value']);
    expect(await bad({ surprise: true })).toEqual(['surprise']);
    // Nothing was saved.
    expect((await w.client.get('/api/v1/rfm/settings')).json().settings).toMatchObject({ windowDays: 365, scoring: 'quantile', thresholds: null, updatedAt: null });

    const rule = async (body: unknown) => w.client.post('/api/v1/rfm/rules', body);
    expect(paths(await rule({}))).toEqual(['name']);
    expect(paths(await rule({ name: 'x', toLayers: ['vip'] }))).toEqual(['toLayers.0']);
    expect(paths(await rule({ name: 'x', taskDueDays: -1 }))).toEqual(['taskDueDays']);
    expect((await w.client.get('/api/v1/rfm/customers?layer=vip')).statusCode).toBe(400);
    expect((await w.client.get('/api/v1/rfm/customers?r=6')).statusCode).toBe(400);
    expect(paths(await w.client.get('/api/v1/rfm/customers?cursor=nonsense'))).toEqual(['cursor']);
  });

  it('reads need rfm:read, changes rfm:write (owners and admins)', async () => {
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const agent = await (await addMember(t, ws, 'agent')).login();
    const viewer = await (await addMember(t, ws, 'viewer')).login();
    const none = await (await addMember(t, ws, { name: 'No RFM', permissions: ['contacts:read'], scope: 'all' })).login();
    const rule = (await w.client.post('/api/v1/rfm/rules', { name: 'r' })).json().rule;

    for (const client of [agent, viewer]) {
      expect((await client.get('/api/v1/rfm/distribution')).statusCode).toBe(200);
      expect((await client.get('/api/v1/rfm/settings')).statusCode).toBe(200);
      expect((await client.get('/api/v1/rfm/rules')).statusCode).toBe(200);
      for (const res of [
        await client.patch('/api/v1/rfm/settings', { windowDays: 30 }),
        await client.post('/api/v1/rfm/recompute'),
        await client.post('/api/v1/rfm/rules', { name: 'mine' }),
        await client.patch(`/api/v1/rfm/rules/${rule.id}`, { name: 'mine' }),
        await client.delete(`/api/v1/rfm/rules/${rule.id}`),
      ]) {
        expect(res.statusCode, res.body).toBe(403);
        expect(res.json().code).toBe('forbidden');
      }
    }
    for (const path of ['/rfm/distribution', '/rfm/settings', '/rfm/rules', '/rfm/customers']) expect((await none.get(`/api/v1${path}`)).statusCode, path).toBe(403);
    expect((await w.client.get('/api/v1/rfm/rules')).json().items.map((r: { name: string }) => r.name)).toEqual(['r']);
  });

  it('the distribution, lists and a contact’s RFM stay within the caller’s data scope', async () => {
    const fx = rfmFixture(t);
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const agent = await addMember(t, ws, 'agent');
    const agentClient = await agent.login();
    const mine = await fx.contact(ws, agent.memberId, 'Agent’s');
    const theirs = await fx.contact(ws, w.memberId, 'Owner’s');
    await fx.order(w.client, mine, 1, 100);
    await fx.order(w.client, theirs, 1, 900);
    await fx.recompute(w.client, ws);

    expect((await w.client.get('/api/v1/rfm/distribution')).json().customers).toBe(2);
    const seen = (await agentClient.get('/api/v1/rfm/distribution')).json();
    expect(seen.customers).toBe(1);
    expect(seen.layers.reduce((n: number, l: { count: number }) => n + l.count, 0)).toBe(1);
    expect((await agentClient.get('/api/v1/rfm/customers')).json().items.map((c: { contact: { id: string } }) => c.contact.id)).toEqual([mine]);
    expect((await agentClient.get(`/api/v1/contacts/${theirs}/rfm`)).statusCode).toBe(404);
    expect((await agentClient.get(`/api/v1/contacts/${mine}/rfm`)).json().rfm).toMatchObject({ frequency: 1, monetary: 100 });

    // Largest monetary first, a page at a time.
    const first = (await w.client.get('/api/v1/rfm/customers?limit=1')).json();
    expect(first.items.map((c: { contact: { id: string } }) => c.contact.id)).toEqual([theirs]);
    const second = (await w.client.get(`/api/v1/rfm/customers?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second).toEqual({ items: [expect.objectContaining({ contact: { id: mine, name: 'Agent’s' } })], nextCursor: null });

    // A deleted contact leaves the figures at once (before the next recompute removes its row).
    await t.database.db.updateTable('contacts').set({ deleted_at: new Date() }).where('workspace_id', '=', ws).where('id', '=', theirs).execute();
    expect((await w.client.get('/api/v1/rfm/distribution')).json().customers).toBe(1);
  });

  it('another workspace’s rules, contacts and members are not found', async () => {
    const fx = rfmFixture(t);
    const a = await signedInOwner(t, 'A');
    const b = await signedInOwner(t, 'B');
    const bRule = (await b.client.post('/api/v1/rfm/rules', { name: 'b' })).json().rule;
    const bContact = await fx.contact(b.workspace.id, b.memberId, 'B’s');
    await fx.order(b.client, bContact, 1, 100);
    await fx.recompute(b.client, b.workspace.id);

    expect((await a.client.patch(`/api/v1/rfm/rules/${bRule.id}`, { name: 'mine' })).statusCode).toBe(404);
    expect((await a.client.delete(`/api/v1/rfm/rules/${bRule.id}`)).statusCode).toBe(404);
    expect((await a.client.get(`/api/v1/contacts/${bContact}/rfm`)).statusCode).toBe(404);
    expect((await a.client.post('/api/v1/rfm/rules', { name: 'x', fallbackMemberId: b.memberId })).statusCode).toBe(404);
    expect((await a.client.get('/api/v1/rfm/distribution')).json().customers).toBe(0);
    expect((await a.client.get('/api/v1/rfm/rules')).json().items).toEqual([]);
    expect((await b.client.get('/api/v1/rfm/rules')).json().items.map((r: { name: string }) => r.name)).toEqual(['b']);
  });
});
