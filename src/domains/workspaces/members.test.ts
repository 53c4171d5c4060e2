import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, apiClient, createTeam, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

describe('members', () => {
  it('lists members with role and teams, searches by name or e-mail, and pages with a cursor', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const team = await createTeam(t, w.workspace.id, [agent.memberId]);
    const all = await w.client.get('/api/v1/members');
    expect(all.statusCode).toBe(200);
    expect(all.json().items).toHaveLength(2);
    const listed = all.json().items.find((m: { id: string }) => m.id === agent.memberId);
    expect(listed).toEqual({
      id: agent.memberId,
      userId: agent.user.id,
      email: agent.user.email,
      name: agent.user.name,
      status: 'active',
      role: { id: w.roleId('agent'), key: 'agent', name: 'Agent' },
      teamIds: [team],
      createdAt: expect.any(String),
    });

    const byEmail = await w.client.get(`/api/v1/members?q=${encodeURIComponent(agent.user.email.slice(0, 8).toUpperCase())}`);
    expect(byEmail.json().items.map((m: { id: string }) => m.id)).toEqual([agent.memberId]);
    const byName = await w.client.get(`/api/v1/members?q=${encodeURIComponent(w.user.name)}`);
    expect(byName.json().items.map((m: { id: string }) => m.id)).toEqual([w.memberId]);
    expect((await w.client.get('/api/v1/members?q=%25')).json().items).toEqual([]);

    const first = await w.client.get('/api/v1/members?limit=1');
    expect(first.json().items).toHaveLength(1);
    const second = await w.client.get(`/api/v1/members?limit=1&cursor=${first.json().nextCursor}`);
    expect(second.json().items).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    expect(second.json().items[0].id).not.toBe(first.json().items[0].id);
  });

  it('changes a role, and records it in the audit log', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const res = await w.client.patch(`/api/v1/members/${agent.memberId}`, { roleId: w.roleId('manager') });
    expect(res.statusCode).toBe(200);
    expect(res.json().member.role).toEqual({ id: w.roleId('manager'), key: 'manager', name: 'Manager' });
    const audit = (await w.client.get('/api/v1/audit-log?action=member.role_changed')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entityId: agent.memberId, before: { role: { key: 'agent' } }, after: { role: { key: 'manager' } } });
  });

  it('lets only an owner grant or take away the owner role', async () => {
    const w = await signedInOwner(t);
    const admin = await addMember(t, w.workspace.id, 'admin');
    const agent = await addMember(t, w.workspace.id, 'agent');
    const asAdmin = await admin.login();
    expect((await asAdmin.patch(`/api/v1/members/${agent.memberId}`, { roleId: w.roleId('owner') })).statusCode).toBe(403);
    expect((await asAdmin.patch(`/api/v1/members/${w.memberId}`, { roleId: w.roleId('agent') })).statusCode).toBe(403);
    expect((await asAdmin.post(`/api/v1/members/${w.memberId}/deactivate`)).statusCode).toBe(403);
    expect((await asAdmin.patch(`/api/v1/members/${agent.memberId}`, { roleId: w.roleId('viewer') })).statusCode).toBe(200);
    const promoted = await w.client.patch(`/api/v1/members/${admin.memberId}`, { roleId: w.roleId('owner') });
    expect(promoted.json().member.role.key).toBe('owner');
  });

  it('never demotes or deactivates the last active owner', async () => {
    const w = await signedInOwner(t);
    const demote = await w.client.patch(`/api/v1/members/${w.memberId}`, { roleId: w.roleId('admin') });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('conflict');
    expect((await w.client.post(`/api/v1/members/${w.memberId}/deactivate`)).statusCode).toBe(409);

    // A deactivated owner does not count as the other owner.
    const second = await addMember(t, w.workspace.id, 'owner');
    expect((await w.client.post(`/api/v1/members/${second.memberId}/deactivate`)).statusCode).toBe(200);
    expect((await w.client.patch(`/api/v1/members/${w.memberId}`, { roleId: w.roleId('admin') })).statusCode).toBe(409);

    expect((await w.client.post(`/api/v1/members/${second.memberId}/reactivate`)).statusCode).toBe(200);
    const ok = await w.client.patch(`/api/v1/members/${w.memberId}`, { roleId: w.roleId('admin') });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().member.role.key).toBe('admin');
  });

  it('two owners demoting each other at once leave exactly one owner', async () => {
    const w = await signedInOwner(t);
    const other = await addMember(t, w.workspace.id, 'owner');
    const asOther = await other.login();
    const results = await Promise.all([
      w.client.post(`/api/v1/members/${other.memberId}/deactivate`),
      asOther.patch(`/api/v1/members/${w.memberId}`, { roleId: w.roleId('admin') }),
    ]);
    // Whichever lands first wins; the other is refused as the last owner (409) or because the
    // first change already took its caller's ownership or membership away (403).
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0]).toBe(200);
    expect([403, 409]).toContain(codes[1]);
    const owners = (await t.database.db
      .selectFrom('members as m')
      .innerJoin('roles as r', (j) => j.onRef('r.workspace_id', '=', 'm.workspace_id').onRef('r.id', '=', 'm.role_id'))
      .select('m.id')
      .where('m.workspace_id', '=', w.workspace.id)
      .where('r.key', '=', 'owner')
      .where('m.status', '=', 'active')
      .execute());
    expect(owners).toHaveLength(1);
  });

  it('deactivation stops the member’s session and API keys; reactivation restores them', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const asAgent = await agent.login();
    const key = (await asAgent.post('/api/v1/api-keys', { name: 'bot', scopes: ['members:read'] })).json().secret as string;
    expect((await apiClient(t, key).get('/api/v1/members')).statusCode).toBe(200);

    const off = await w.client.post(`/api/v1/members/${agent.memberId}/deactivate`);
    expect(off.statusCode).toBe(200);
    expect(off.json().member.status).toBe('deactivated');
    expect((await w.client.post(`/api/v1/members/${agent.memberId}/deactivate`)).json().member.status).toBe('deactivated');
    expect((await asAgent.get('/api/v1/members')).statusCode).toBe(403);
    expect((await apiClient(t, key).get('/api/v1/members')).statusCode).toBe(401);

    const on = await w.client.post(`/api/v1/members/${agent.memberId}/reactivate`);
    expect(on.json().member.status).toBe('active');
    expect((await asAgent.get('/api/v1/members')).statusCode).toBe(200);
    expect((await apiClient(t, key).get('/api/v1/members')).statusCode).toBe(200);
    const actions = (await w.client.get('/api/v1/audit-log?entityType=member')).json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(['member.reactivated', 'member.deactivated']);
    const events = await t.database.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('workspace_id', '=', w.workspace.id)
      .where('type', 'like', 'workspaces.member.%')
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { type: 'workspaces.member.deactivated', payload: { memberId: agent.memberId } },
      { type: 'workspaces.member.reactivated', payload: { memberId: agent.memberId } },
    ]);
  });

  it('refuses members:write to an agent and to a role that would raise someone above its holder', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const asAgent = await agent.login();
    expect((await asAgent.get('/api/v1/members')).statusCode).toBe(200);
    const res = await asAgent.patch(`/api/v1/members/${agent.memberId}`, { roleId: w.roleId('admin') });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('forbidden');
    expect((await asAgent.post(`/api/v1/members/${w.memberId}/deactivate`)).statusCode).toBe(403);

    const lead = await addMember(t, w.workspace.id, { name: 'Lead', permissions: ['members:read', 'members:write'], scope: 'team' });
    const asLead = await lead.login();
    expect((await asLead.patch(`/api/v1/members/${lead.memberId}`, { roleId: w.roleId('admin') })).statusCode).toBe(403);
    expect((await asLead.post(`/api/v1/members/${agent.memberId}/deactivate`)).statusCode).toBe(403);
  });

  it('validates bodies: unknown fields and wrong types are 400 with paths', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const extra = await w.client.patch(`/api/v1/members/${agent.memberId}`, { roleId: w.roleId('viewer'), status: 'deactivated' });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().code).toBe('validation_failed');
    expect(extra.json().errors).toEqual([{ path: 'status', message: 'Unknown field' }]);
    const wrong = await w.client.patch(`/api/v1/members/${agent.memberId}`, { roleId: 42 });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('roleId');
    expect((await w.client.patch('/api/v1/members/not-a-uuid', { roleId: w.roleId('viewer') })).statusCode).toBe(400);
    expect((await w.client.patch(`/api/v1/members/${agent.memberId}`, { roleId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
  });
});
