import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('teams', () => {
  it('creates, nests, renames, lists and deletes teams', async () => {
    const w = await signedInOwner(t);
    const sales = await w.client.post('/api/v1/teams', { name: 'Sales' });
    expect(sales.statusCode).toBe(201);
    const salesId = sales.json().team.id;
    expect(sales.json().team).toEqual({ id: salesId, name: 'Sales', parentId: null, memberIds: [], createdAt: expect.any(String) });
    const east = (await w.client.post('/api/v1/teams', { name: 'East', parentId: salesId })).json().team;
    expect(east.parentId).toBe(salesId);

    const renamed = await w.client.patch(`/api/v1/teams/${east.id}`, { name: 'East China' });
    expect(renamed.json().team).toMatchObject({ name: 'East China', parentId: salesId });
    const top = await w.client.patch(`/api/v1/teams/${east.id}`, { parentId: null });
    expect(top.json().team.parentId).toBeNull();
    await w.client.patch(`/api/v1/teams/${east.id}`, { parentId: salesId });

    const list = await w.client.get('/api/v1/teams');
    expect(list.statusCode).toBe(200);
    expect(list.json().nextCursor).toBeNull();
    expect(list.json().items.map((x: { name: string }) => x.name)).toEqual(['East China', 'Sales']);

    const blocked = await w.client.delete(`/api/v1/teams/${salesId}`);
    expect(blocked.statusCode).toBe(409);
    expect((await w.client.delete(`/api/v1/teams/${east.id}`)).statusCode).toBe(204);
    expect((await w.client.delete(`/api/v1/teams/${salesId}`)).statusCode).toBe(204);
    expect((await w.client.get('/api/v1/teams')).json().items).toEqual([]);
    expect((await w.client.delete(`/api/v1/teams/${salesId}`)).statusCode).toBe(404);

    const actions = (await w.client.get('/api/v1/audit-log?entityType=team')).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['team.deleted', 'team.deleted', 'team.updated', 'team.updated', 'team.updated', 'team.created', 'team.created']);
  });

  it('refuses cycles: a team cannot move under itself or its descendants', async () => {
    const w = await signedInOwner(t);
    const a = (await w.client.post('/api/v1/teams', { name: 'A' })).json().team.id;
    const b = (await w.client.post('/api/v1/teams', { name: 'B', parentId: a })).json().team.id;
    const c = (await w.client.post('/api/v1/teams', { name: 'C', parentId: b })).json().team.id;
    for (const parentId of [a, b, c]) {
      const res = await w.client.patch(`/api/v1/teams/${a}`, { parentId });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('conflict');
    }
    expect((await w.client.patch(`/api/v1/teams/${c}`, { parentId: a })).statusCode).toBe(200);
    expect((await w.client.patch(`/api/v1/teams/${b}`, { parentId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    expect((await w.client.post('/api/v1/teams', { name: 'D', parentId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });

  it('two moves that together would make a loop: one is refused', async () => {
    const w = await signedInOwner(t);
    const a = (await w.client.post('/api/v1/teams', { name: 'A' })).json().team.id;
    const b = (await w.client.post('/api/v1/teams', { name: 'B' })).json().team.id;
    const results = await Promise.all([w.client.patch(`/api/v1/teams/${a}`, { parentId: b }), w.client.patch(`/api/v1/teams/${b}`, { parentId: a })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
  });

  it('sets a team’s members, which members and /auth/me then show', async () => {
    const w = await signedInOwner(t);
    const one = await addMember(t, w.workspace.id, 'agent');
    const two = await addMember(t, w.workspace.id, 'agent');
    const team = (await w.client.post('/api/v1/teams', { name: 'Support' })).json().team.id;
    const set = await w.client.put(`/api/v1/teams/${team}/members`, { memberIds: [one.memberId, two.memberId, one.memberId] });
    expect(set.statusCode).toBe(200);
    expect(set.json().team.memberIds).toEqual([one.memberId, two.memberId].sort());
    const narrowed = await w.client.put(`/api/v1/teams/${team}/members`, { memberIds: [two.memberId] });
    expect(narrowed.json().team.memberIds).toEqual([two.memberId]);
    expect((await (await two.login()).get('/api/v1/auth/me')).json().member.teamIds).toEqual([team]);
    const listed = (await w.client.get('/api/v1/members')).json().items;
    expect(listed.find((m: { id: string }) => m.id === one.memberId).teamIds).toEqual([]);
    const unknown = await w.client.put(`/api/v1/teams/${team}/members`, { memberIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknown.statusCode).toBe(404);
    expect((await w.client.get('/api/v1/teams')).json().items[0].memberIds).toEqual([two.memberId]);
    const audit = (await w.client.get('/api/v1/audit-log?action=team.members_set')).json().items[0];
    expect(audit).toMatchObject({ before: { memberIds: [one.memberId, two.memberId].sort() }, after: { memberIds: [two.memberId] } });
    expect((await w.client.put(`/api/v1/teams/${team}/members`, { memberIds: [] })).json().team.memberIds).toEqual([]);
  });

  it('deleting a team drops it from pending invitations', async () => {
    const w = await signedInOwner(t);
    const team = (await w.client.post('/api/v1/teams', { name: 'Temp' })).json().team.id;
    const roleId = (await w.client.get('/api/v1/roles')).json().items.find((r: { key: string }) => r.key === 'agent').id;
    await w.client.post('/api/v1/invitations', { email: 'temp-team@example.com', roleId, teamIds: [team] });
    await w.client.delete(`/api/v1/teams/${team}`);
    expect((await w.client.get('/api/v1/invitations')).json().items[0].teamIds).toEqual([]);
  });

  it('agents read teams but cannot change them; bodies are validated', async () => {
    const w = await signedInOwner(t);
    const team = (await w.client.post('/api/v1/teams', { name: 'T' })).json().team.id;
    const agent = await (await addMember(t, w.workspace.id, 'agent')).login();
    expect((await agent.get('/api/v1/teams')).statusCode).toBe(200);
    expect((await agent.post('/api/v1/teams', { name: 'X' })).statusCode).toBe(403);
    expect((await agent.patch(`/api/v1/teams/${team}`, { name: 'X' })).statusCode).toBe(403);
    expect((await agent.delete(`/api/v1/teams/${team}`)).statusCode).toBe(403);
    expect((await agent.put(`/api/v1/teams/${team}/members`, { memberIds: [] })).statusCode).toBe(403);

    const empty = await w.client.post('/api/v1/teams', { name: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toBe('name');
    const typed = await w.client.post('/api/v1/teams', { name: 7, parentId: 'nope' });
    expect(typed.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'parentId']);
    const extra = await w.client.put(`/api/v1/teams/${team}/members`, { memberIds: [], teamId: team });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors).toEqual([{ path: 'teamId', message: 'Unknown field' }]);
  });
});
