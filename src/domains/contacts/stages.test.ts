import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createOwner, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { seedContactDefaults } from './index.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('stages', () => {
  it('a new workspace starts with the default lifecycle; seeding again adds nothing', async () => {
    const w = await signedInOwner(t);
    await t.database.db.transaction().execute((tx) => seedContactDefaults(tx, w.workspace.id));
    await t.database.db.transaction().execute((tx) => seedContactDefaults(tx, w.workspace.id));
    const items = (await w.client.get('/api/v1/stages')).json().items;
    expect(items.map((s: { name: string }) => s.name)).toEqual(['潜在', '意向', '成交', '复购', '流失']);
    expect(items[0]).toEqual({ id: expect.any(String), name: '潜在', color: '#8c8c8c', position: 1, contactCount: 0 });
  });

  it('creates, renames, recolours, reorders, counts contacts and deletes', async () => {
    const w = await signedInOwner(t);
    const created = await w.client.post('/api/v1/stages', { name: 'VIP', color: '#123456' });
    expect(created.statusCode).toBe(201);
    const vip = created.json().stage;
    expect(vip).toMatchObject({ name: 'VIP', color: '#123456', position: 6, contactCount: 0 });
    expect((await w.client.post('/api/v1/stages', { name: 'vip' })).statusCode).toBe(409);
    expect((await w.client.post('/api/v1/stages', { name: 'X', color: 'red' })).json().errors[0].path).toBe('color');
    const stages = (await w.client.get('/api/v1/stages')).json().items as Array<{ id: string; name: string }>;
    expect((await w.client.patch(`/api/v1/stages/${vip.id}`, { name: stages[0]!.name })).statusCode).toBe(409);
    expect((await w.client.patch(`/api/v1/stages/${vip.id}`, { name: 'VIP客户' })).json().stage.name).toBe('VIP客户');

    const reversed = stages.map((s) => s.id).reverse();
    const ordered = await w.client.put('/api/v1/stages/order', { ids: reversed });
    expect(ordered.json().items.map((s: { id: string }) => s.id)).toEqual(reversed);

    const agent = await addMember(t, w.workspace.id, 'agent');
    const agentClient = await agent.login();
    await agentClient.post('/api/v1/contacts', { name: 'a', stageId: vip.id });
    const contact = (await w.client.post('/api/v1/contacts', { name: 'b', stageId: vip.id })).json().contact;
    const counted = (list: Array<{ id: string; contactCount: number }>) => list.find((s) => s.id === vip.id)!.contactCount;
    expect(counted((await w.client.get('/api/v1/stages')).json().items)).toBe(2);
    // Counts follow the caller's data scope.
    expect(counted((await agentClient.get('/api/v1/stages')).json().items)).toBe(1);
    expect((await agentClient.post('/api/v1/stages', { name: 'Nope' })).statusCode).toBe(403);

    const blocked = await w.client.delete(`/api/v1/stages/${vip.id}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().contactCount).toBe(2);
    const other = stages[1]!.id;
    await w.client.patch(`/api/v1/contacts/${contact.id}`, { stageId: other });
    await w.client.post('/api/v1/contacts/search', {});
    const agentsContact = (await agentClient.post('/api/v1/contacts/search', {})).json().items[0];
    await w.client.delete(`/api/v1/contacts/${agentsContact.id}`);
    // Only a deleted contact is left in it: deleting the stage goes through, and it loses the stage.
    expect((await w.client.delete(`/api/v1/stages/${vip.id}`)).statusCode).toBe(204);
    expect((await w.client.post(`/api/v1/contacts/${agentsContact.id}/restore`)).json().contact.stage).toBeNull();
    expect((await w.client.patch(`/api/v1/stages/${vip.id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await w.client.put('/api/v1/stages/order', { ids: reversed.slice(2) })).statusCode).toBe(400);
  });

  it('the migration gave workspaces that existed before it their stages', async () => {
    const o = await createOwner(t);
    const n = await t.database.db.selectFrom('stages').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', o.workspace.id).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(5);
  });
});
