import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('saved views', () => {
  it('own and shared views; only the owner changes or deletes', async () => {
    const w = await signedInOwner(t);
    await w.client.post('/api/v1/custom-fields', { key: 'level', label: 'Level', type: 'single_select', options: ['A'] });
    const agent = await addMember(t, w.workspace.id, 'agent');
    const other = await agent.login();
    const body = { name: 'Shanghai A', filter: { fields: [{ field: 'city', op: 'eq', value: '上海' }], custom: [{ key: 'level', op: 'eq', value: 'A' }] }, sort: { by: 'name', dir: 'asc' }, columns: ['name', 'custom.level'] };
    const created = await w.client.post('/api/v1/contact-views', body);
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json().view;
    expect(view).toMatchObject({ ...body, shared: false, mine: true, owner: { id: w.memberId } });
    const privateOne = (await other.post('/api/v1/contact-views', { name: 'Mine', filter: {} })).json().view;
    expect(privateOne).toMatchObject({ sort: null, columns: [], shared: false });

    expect((await other.get('/api/v1/contact-views')).json().items.map((v: { id: string }) => v.id)).toEqual([privateOne.id]);
    expect((await other.patch(`/api/v1/contact-views/${view.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await w.client.patch(`/api/v1/contact-views/${view.id}`, { shared: true })).json().view.shared).toBe(true);
    const seen = (await other.get('/api/v1/contact-views')).json().items;
    expect(seen.map((v: { id: string; mine: boolean }) => [v.id, v.mine])).toEqual([[privateOne.id, true], [view.id, false]]);
    expect((await other.patch(`/api/v1/contact-views/${view.id}`, { name: 'x' })).statusCode).toBe(403);
    expect((await other.delete(`/api/v1/contact-views/${view.id}`)).statusCode).toBe(403);
    expect((await w.client.patch(`/api/v1/contact-views/${privateOne.id}`, { name: 'x' })).statusCode).toBe(404);

    // A view must run: unknown custom keys and sorts are refused where they are.
    expect((await w.client.post('/api/v1/contact-views', { name: 'bad', filter: { custom: [{ key: 'nope', op: 'empty' }] } })).json().errors[0].path).toBe('filter.custom.0.key');
    expect((await w.client.patch(`/api/v1/contact-views/${view.id}`, { sort: { by: 'custom.nope', dir: 'asc' } })).json().errors[0].path).toBe('sort.by');
    expect((await w.client.post('/api/v1/contact-views', { name: 'bad', filter: { stageIds: ['x'] } })).json().errors[0].path).toBe('filter.stageIds.0');
    expect((await w.client.delete(`/api/v1/contact-views/${view.id}`)).statusCode).toBe(204);
    expect((await other.get('/api/v1/contact-views')).json().items).toHaveLength(1);
  });
});
