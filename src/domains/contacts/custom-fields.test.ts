import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('custom fields', () => {
  it('creates, lists in order, edits label/options/required, reorders and deletes', async () => {
    const w = await signedInOwner(t);
    const level = await w.client.post('/api/v1/custom-fields', { key: 'level', label: 'Level', type: 'single_select', options: ['A', 'B'] });
    expect(level.statusCode).toBe(201);
    expect(level.json().field).toEqual({ id: expect.any(String), key: 'level', label: 'Level', type: 'single_select', options: ['A', 'B'], required: false, position: 1 });
    const score = (await w.client.post('/api/v1/custom-fields', { key: 'score', label: 'Score', type: 'number' })).json().field;
    expect((await w.client.post('/api/v1/custom-fields', { key: 'score', label: 'Again', type: 'text' })).statusCode).toBe(409);
    const list = await w.client.get('/api/v1/custom-fields');
    expect(list.json().items.map((f: { key: string }) => f.key)).toEqual(['level', 'score']);

    const ordered = await w.client.put('/api/v1/custom-fields/order', { ids: [score.id, level.json().field.id] });
    expect(ordered.statusCode).toBe(200);
    expect(ordered.json().items.map((f: { key: string }) => f.key)).toEqual(['score', 'level']);
    expect((await w.client.put('/api/v1/custom-fields/order', { ids: [score.id] })).statusCode).toBe(400);
    expect((await w.client.put('/api/v1/custom-fields/order', { ids: [score.id, '00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(404);

    const renamed = await w.client.patch(`/api/v1/custom-fields/${score.id}`, { label: '积分', required: true });
    expect(renamed.json().field).toMatchObject({ key: 'score', label: '积分', type: 'number', required: true });
    // Key and type are fixed.
    expect((await w.client.patch(`/api/v1/custom-fields/${score.id}`, { type: 'text' })).json().errors[0].path).toBe('type');
    expect((await w.client.patch(`/api/v1/custom-fields/${score.id}`, { key: 'points' })).json().errors[0].path).toBe('key');
    expect((await w.client.patch(`/api/v1/custom-fields/${score.id}`, { options: ['x'] })).json().errors[0].path).toBe('options');

    const c = (await w.client.post('/api/v1/contacts', { name: 'x', custom: { level: 'A', score: 3 } })).json().contact;
    await w.client.patch(`/api/v1/custom-fields/${score.id}`, { required: false });
    expect((await w.client.delete(`/api/v1/custom-fields/${score.id}`)).statusCode).toBe(204);
    expect((await w.client.get(`/api/v1/contacts/${c.id}`)).json().contact.custom).toEqual({ level: 'A' });
    expect((await w.client.get('/api/v1/custom-fields')).json().items).toHaveLength(1);
    expect((await w.client.delete(`/api/v1/custom-fields/${score.id}`)).statusCode).toBe(404);
    // The key is free again, with any type.
    expect((await w.client.post('/api/v1/custom-fields', { key: 'score', label: 'Score', type: 'text' })).statusCode).toBe(201);
    expect((await w.client.get(`/api/v1/contacts/${c.id}`)).json().contact.custom).toEqual({ level: 'A' });
  });

  it('removing a select option in use is refused unless forced, which strips it from contacts', async () => {
    const w = await signedInOwner(t);
    const level = (await w.client.post('/api/v1/custom-fields', { key: 'level', label: 'Level', type: 'single_select', options: ['A', 'B', 'C'] })).json().field;
    const tags = (await w.client.post('/api/v1/custom-fields', { key: 'tags', label: 'Tags', type: 'multi_select', options: ['x', 'y'] })).json().field;
    const one = (await w.client.post('/api/v1/contacts', { custom: { level: 'A', tags: ['x', 'y'] } })).json().contact;
    const two = (await w.client.post('/api/v1/contacts', { custom: { level: 'B', tags: ['x'] } })).json().contact;
    expect((await w.client.patch(`/api/v1/custom-fields/${level.id}`, { options: ['A', 'B'] })).statusCode).toBe(200);
    const refused = await w.client.patch(`/api/v1/custom-fields/${level.id}`, { options: ['B'] });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ options: ['A'], contactCount: 1 });
    expect((await w.client.patch(`/api/v1/custom-fields/${level.id}`, { options: ['B'], force: true })).json().field.options).toEqual(['B']);
    expect((await w.client.patch(`/api/v1/custom-fields/${tags.id}`, { options: ['y'] })).json().contactCount).toBe(2);
    expect((await w.client.patch(`/api/v1/custom-fields/${tags.id}`, { options: ['y'], force: true })).statusCode).toBe(200);
    expect((await w.client.get(`/api/v1/contacts/${one.id}`)).json().contact.custom).toEqual({ tags: ['y'] });
    expect((await w.client.get(`/api/v1/contacts/${two.id}`)).json().contact.custom).toEqual({ level: 'B' });
    expect((await w.client.patch(`/api/v1/custom-fields/${tags.id}`, { options: [] })).statusCode).toBe(400);
  });

  it('validates definitions; agents read but cannot change them', async () => {
    const w = await signedInOwner(t);
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ key: 'Level', label: 'L', type: 'text' }, 'key'],
      [{ key: '1st', label: 'L', type: 'text' }, 'key'],
      [{ key: 'ok', label: '', type: 'text' }, 'label'],
      [{ key: 'ok', label: 'L', type: 'color' }, 'type'],
      [{ key: 'ok', label: 'L', type: 'single_select' }, 'options'],
      [{ key: 'ok', label: 'L', type: 'multi_select', options: ['a', 'a'] }, 'options'],
      [{ key: 'ok', label: 'L', type: 'number', options: ['a'] }, 'options'],
    ];
    for (const [body, path] of bad) {
      const res = await w.client.post('/api/v1/custom-fields', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0].path).toBe(path);
    }
    const field = (await w.client.post('/api/v1/custom-fields', { key: 'ok', label: 'L', type: 'text' })).json().field;
    const agent = await (await addMember(t, w.workspace.id, 'agent')).login();
    expect((await agent.get('/api/v1/custom-fields')).statusCode).toBe(200);
    expect((await agent.post('/api/v1/custom-fields', { key: 'x', label: 'X', type: 'text' })).statusCode).toBe(403);
    expect((await agent.patch(`/api/v1/custom-fields/${field.id}`, { label: 'X' })).statusCode).toBe(403);
    expect((await agent.delete(`/api/v1/custom-fields/${field.id}`)).statusCode).toBe(403);
    expect((await agent.put('/api/v1/custom-fields/order', { ids: [field.id] })).statusCode).toBe(403);
  });
});
