import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPermissions } from '../../platform/auth/permissions.js';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('roles', () => {
  it('serves the permission catalog to any member', async () => {
    const w = await signedInOwner(t);
    const agent = await (await addMember(t, w.workspace.id, 'agent')).login();
    const res = await agent.get('/api/v1/permissions');
    expect(res.statusCode).toBe(200);
    expect(res.json().scopes).toEqual(['own', 'team', 'team_tree', 'all']);
    expect(res.json().groups.find((g: { group: string }) => g.group === 'members')).toEqual({ group: 'members', permissions: ['members:read', 'members:write'] });
    expect(res.json().groups.flatMap((g: { permissions: string[] }) => g.permissions)).toEqual(allPermissions);
  });

  it('lists built-in roles first with member counts', async () => {
    const w = await signedInOwner(t);
    await addMember(t, w.workspace.id, 'agent');
    await addMember(t, w.workspace.id, 'agent');
    const res = await w.client.get('/api/v1/roles');
    expect(res.statusCode).toBe(200);
    const items = res.json().items;
    expect(items.map((r: { key: string }) => r.key)).toEqual(['owner', 'admin', 'manager', 'agent', 'viewer']);
    expect(items[0]).toMatchObject({ name: 'Owner', scope: 'all', memberCount: 1, builtin: true });
    expect(items[3]).toMatchObject({ key: 'agent', scope: 'own', memberCount: 2 });
    expect(res.json().nextCursor).toBeNull();
  });

  it('creates, updates and deletes a custom role', async () => {
    const w = await signedInOwner(t);
    const created = await w.client.post('/api/v1/roles', { name: 'Support lead', permissions: ['members:read', 'teams:read', 'teams:read'], scope: 'team' });
    expect(created.statusCode).toBe(201);
    const role = created.json().role;
    expect(role).toEqual({ id: expect.any(String), key: null, name: 'Support lead', permissions: ['members:read', 'teams:read'], scope: 'team', memberCount: 0, builtin: false });

    const updated = await w.client.patch(`/api/v1/roles/${role.id}`, { permissions: ['members:read', 'teams:read', 'teams:write'], scope: 'team_tree' });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().role).toMatchObject({ name: 'Support lead', permissions: ['members:read', 'teams:read', 'teams:write'], scope: 'team_tree' });
    expect((await w.client.patch(`/api/v1/roles/${role.id}`, { name: 'Leads' })).json().role.name).toBe('Leads');

    expect((await w.client.delete(`/api/v1/roles/${role.id}`)).statusCode).toBe(204);
    expect((await w.client.delete(`/api/v1/roles/${role.id}`)).statusCode).toBe(404);
    const actions = (await w.client.get('/api/v1/audit-log?entityType=role')).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['role.deleted', 'role.updated', 'role.updated', 'role.created']);
  });

  it('refuses duplicate names, built-in changes, and deleting roles in use', async () => {
    const w = await signedInOwner(t);
    const dup = await w.client.post('/api/v1/roles', { name: 'agent', permissions: [], scope: 'own' });
    expect(dup.statusCode).toBe(409);
    const custom = (await w.client.post('/api/v1/roles', { name: 'Custom', permissions: ['members:read'], scope: 'own' })).json().role;
    expect((await w.client.patch(`/api/v1/roles/${custom.id}`, { name: 'ADMIN' })).statusCode).toBe(409);
    expect((await w.client.patch(`/api/v1/roles/${custom.id}`, { name: 'CUSTOM' })).statusCode).toBe(200);

    const roles = (await w.client.get('/api/v1/roles')).json().items;
    const agentRole = roles.find((r: { key: string }) => r.key === 'agent');
    expect((await w.client.patch(`/api/v1/roles/${agentRole.id}`, { name: 'Agents' })).statusCode).toBe(409);
    expect((await w.client.delete(`/api/v1/roles/${agentRole.id}`)).statusCode).toBe(409);

    const holder = await addMember(t, w.workspace.id, 'viewer');
    await w.client.patch(`/api/v1/members/${holder.memberId}`, { roleId: custom.id });
    const inUse = await w.client.delete(`/api/v1/roles/${custom.id}`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().members).toBe(1);
    await w.client.patch(`/api/v1/members/${holder.memberId}`, { roleId: agentRole.id });

    const invited = (await w.client.post('/api/v1/invitations', { email: 'role-user@example.com', roleId: custom.id })).json().invitation;
    expect((await w.client.delete(`/api/v1/roles/${custom.id}`)).statusCode).toBe(409);
    await w.client.delete(`/api/v1/invitations/${invited.id}`);
    // A revoked invitation no longer holds the role.
    expect((await w.client.delete(`/api/v1/roles/${custom.id}`)).statusCode).toBe(204);
  });

  it('cannot create or edit a role with permissions one lacks; agents cannot write roles', async () => {
    const w = await signedInOwner(t);
    const lead = await (await addMember(t, w.workspace.id, { name: 'Role admin', permissions: ['roles:read', 'roles:write', 'teams:read'], scope: 'all' })).login();
    const beyond = await lead.post('/api/v1/roles', { name: 'Escalate', permissions: ['members:write'], scope: 'all' });
    expect(beyond.statusCode).toBe(403);
    const within = await lead.post('/api/v1/roles', { name: 'Readers', permissions: ['teams:read'], scope: 'own' });
    expect(within.statusCode).toBe(201);
    expect((await lead.patch(`/api/v1/roles/${within.json().role.id}`, { permissions: ['teams:read', 'audit:read'] })).statusCode).toBe(403);
    const ownerMade = (await w.client.post('/api/v1/roles', { name: 'Big', permissions: ['workspace:manage'], scope: 'all' })).json().role;
    expect((await lead.patch(`/api/v1/roles/${ownerMade.id}`, { name: 'Small' })).statusCode).toBe(403);
    expect((await lead.delete(`/api/v1/roles/${ownerMade.id}`)).statusCode).toBe(403);

    const agent = await (await addMember(t, w.workspace.id, 'agent')).login();
    expect((await agent.get('/api/v1/roles')).statusCode).toBe(403);
    expect((await agent.post('/api/v1/roles', { name: 'Mine', permissions: [], scope: 'own' })).statusCode).toBe(403);
  });

  it('validates bodies against the catalog', async () => {
    const w = await signedInOwner(t);
    const bad = await w.client.post('/api/v1/roles', { name: 'X', permissions: ['contacts:destroy'], scope: 'galaxy' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['permissions.0', 'scope']);
    const extra = await w.client.post('/api/v1/roles', { name: 'X', permissions: [], scope: 'own', key: 'owner' });
    expect(extra.json().errors).toEqual([{ path: 'key', message: 'Unknown field' }]);
    expect((await w.client.post('/api/v1/roles', { name: 'X', scope: 'own' })).json().errors[0].path).toBe('permissions');
  });
});
