import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicUrl } from '../../config.js';
import { hashToken } from '../../platform/crypto/tokens.js';
import { addMember, Client, createOwner, createTeam, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const tokenOf = (url: string) => url.split('/invite/')[1]!;
const email = () => `invitee-${Math.random().toString(36).slice(2)}@example.com`;

describe('invitations', () => {
  it('invites, shows the link once, and lets a new person join with the role and teams', async () => {
    const w = await signedInOwner(t, 'Invite Co');
    const team = await createTeam(t, w.workspace.id, []);
    const address = email();
    const created = await w.client.post('/api/v1/invitations', { email: address.toUpperCase(), roleId: w.roleId('agent'), teamIds: [team] });
    expect(created.statusCode).toBe(201);
    const { invitation, url } = created.json();
    expect(url.startsWith(`${publicUrl(t.config)}/invite/`)).toBe(true);
    const token = tokenOf(url);
    expect(invitation).toEqual({
      id: expect.any(String),
      email: address,
      role: { id: w.roleId('agent'), name: 'Agent' },
      teamIds: [team],
      status: 'pending',
      expiresAt: expect.any(String),
      createdAt: expect.any(String),
      invitedBy: { id: w.memberId, name: w.user.name },
    });
    const days = (Date.parse(invitation.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const stored = await t.database.db.selectFrom('invitations').selectAll().where('id', '=', invitation.id).executeTakeFirstOrThrow();
    expect(stored.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    const listed = await w.client.get('/api/v1/invitations');
    expect(listed.json().items).toEqual([invitation]);
    expect(listed.body).not.toContain(token);

    const guest = new Client(t);
    const lookup = await guest.get(`/api/v1/invitations/lookup?token=${token}`);
    expect(lookup.statusCode).toBe(200);
    expect(lookup.json()).toEqual({ workspaceName: 'Invite Co', email: address, userExists: false });

    const accepted = await guest.post('/api/v1/invitations/accept', { token, name: 'New Person', password: 'a long enough password' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().user).toMatchObject({ email: address, name: 'New Person' });
    const me = (await guest.get('/api/v1/auth/me')).json();
    expect(me.workspace.id).toBe(w.workspace.id);
    expect(me.member.role.key).toBe('agent');
    expect(me.member.teamIds).toEqual([team]);

    // One-time: the link is spent.
    expect((await new Client(t).post('/api/v1/invitations/accept', { token, name: 'Again', password: 'a long enough password' })).statusCode).toBe(404);
    expect((await guest.get(`/api/v1/invitations/lookup?token=${token}`)).statusCode).toBe(404);
    expect((await w.client.get('/api/v1/invitations')).json().items[0].status).toBe('accepted');
    const audit = (await w.client.get('/api/v1/audit-log?entityType=invitation')).json().items.map((e: { action: string }) => e.action);
    expect(audit).toEqual(['invitation.accepted', 'invitation.created']);
    const joined = await t.database.db
      .selectFrom('outbox_events')
      .select('payload')
      .where('workspace_id', '=', w.workspace.id)
      .where('type', '=', 'workspaces.member.joined')
      .execute();
    expect(joined).toEqual([{ payload: expect.objectContaining({ memberId: me.member.id, roleId: w.roleId('agent'), teamIds: [team] }) }]);
    // The new person can sign in again later with the password they chose.
    await Client.login(t, address, 'a long enough password');
  });

  it('lets an existing user accept with their own password only', async () => {
    const w = await signedInOwner(t);
    const other = await createOwner(t, 'Elsewhere');
    const { url } = (await w.client.post('/api/v1/invitations', { email: other.user.email, roleId: w.roleId('viewer') })).json();
    const token = tokenOf(url);
    expect((await new Client(t).get(`/api/v1/invitations/lookup?token=${token}`)).json().userExists).toBe(true);

    const wrong = await new Client(t).post('/api/v1/invitations/accept', { token, password: 'not their password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('unauthenticated');
    expect((await w.client.get('/api/v1/members')).json().items).toHaveLength(1);

    const guest = new Client(t);
    const ok = await guest.post('/api/v1/invitations/accept', { token, name: 'Ignored', password: other.user.password });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user.name).toBe(other.user.name);
    const me = (await guest.get('/api/v1/auth/me')).json();
    expect(me.workspace.id).toBe(w.workspace.id);
    expect(me.workspaces.map((x: { id: string }) => x.id).sort()).toEqual([w.workspace.id, other.workspace.id].sort());
  });

  it('asks a new person for a name and a password that meets the policy', async () => {
    const w = await signedInOwner(t);
    const { url } = (await w.client.post('/api/v1/invitations', { email: email(), roleId: w.roleId('agent') })).json();
    const token = tokenOf(url);
    const noName = await new Client(t).post('/api/v1/invitations/accept', { token, password: 'a long enough password' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().errors).toEqual([{ path: 'name', message: expect.any(String) }]);
    const short = await new Client(t).post('/api/v1/invitations/accept', { token, name: 'Someone', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().errors[0].path).toBe('password');
    const extra = await new Client(t).post('/api/v1/invitations/accept', { token, name: 'Someone', password: 'a long enough password', roleId: w.roleId('owner') });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().errors).toEqual([{ path: 'roleId', message: 'Unknown field' }]);
    // Still usable after the refusals.
    expect((await new Client(t).get(`/api/v1/invitations/lookup?token=${token}`)).statusCode).toBe(200);
  });

  it('revoked and expired links do not work', async () => {
    const w = await signedInOwner(t);
    const revoked = (await w.client.post('/api/v1/invitations', { email: email(), roleId: w.roleId('agent') })).json();
    expect((await w.client.delete(`/api/v1/invitations/${revoked.invitation.id}`)).statusCode).toBe(204);
    expect((await w.client.delete(`/api/v1/invitations/${revoked.invitation.id}`)).statusCode).toBe(204);
    const body = { token: tokenOf(revoked.url), name: 'X', password: 'a long enough password' };
    expect((await new Client(t).get(`/api/v1/invitations/lookup?token=${body.token}`)).statusCode).toBe(404);
    expect((await new Client(t).post('/api/v1/invitations/accept', body)).statusCode).toBe(404);

    const expired = (await w.client.post('/api/v1/invitations', { email: email(), roleId: w.roleId('agent') })).json();
    await t.database.db.updateTable('invitations').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', expired.invitation.id).execute();
    const expiredBody = { ...body, token: tokenOf(expired.url) };
    expect((await new Client(t).get(`/api/v1/invitations/lookup?token=${expiredBody.token}`)).statusCode).toBe(404);
    expect((await new Client(t).post('/api/v1/invitations/accept', expiredBody)).statusCode).toBe(404);
    const statuses = (await w.client.get('/api/v1/invitations')).json().items.map((i: { status: string }) => i.status);
    expect(statuses).toEqual(['expired', 'revoked']);
    expect((await new Client(t).get('/api/v1/invitations/lookup?token=nonsense')).statusCode).toBe(404);
  });

  it('cannot revoke an accepted invitation', async () => {
    const w = await signedInOwner(t);
    const { invitation, url } = (await w.client.post('/api/v1/invitations', { email: email(), roleId: w.roleId('agent') })).json();
    await new Client(t).post('/api/v1/invitations/accept', { token: tokenOf(url), name: 'P', password: 'a long enough password' });
    expect((await w.client.delete(`/api/v1/invitations/${invitation.id}`)).statusCode).toBe(409);
  });

  it('refuses to invite an active member; a new invitation replaces the pending one', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    const dup = await w.client.post('/api/v1/invitations', { email: agent.user.email.toUpperCase(), roleId: w.roleId('viewer') });
    expect(dup.statusCode).toBe(409);

    const address = email();
    const first = (await w.client.post('/api/v1/invitations', { email: address, roleId: w.roleId('agent') })).json();
    const second = (await w.client.post('/api/v1/invitations', { email: address, roleId: w.roleId('viewer') })).json();
    expect((await new Client(t).get(`/api/v1/invitations/lookup?token=${tokenOf(first.url)}`)).statusCode).toBe(404);
    expect((await new Client(t).get(`/api/v1/invitations/lookup?token=${tokenOf(second.url)}`)).statusCode).toBe(200);
  });

  it('brings a deactivated member back with the invitation’s role', async () => {
    const w = await signedInOwner(t);
    const agent = await addMember(t, w.workspace.id, 'agent');
    await w.client.post(`/api/v1/members/${agent.memberId}/deactivate`);
    const { url } = (await w.client.post('/api/v1/invitations', { email: agent.user.email, roleId: w.roleId('viewer') })).json();
    const res = await new Client(t).post('/api/v1/invitations/accept', { token: tokenOf(url), password: agent.user.password });
    expect(res.statusCode).toBe(200);
    const member = (await w.client.get('/api/v1/members')).json().items.find((m: { id: string }) => m.id === agent.memberId);
    expect(member).toMatchObject({ status: 'active', role: { key: 'viewer' } });
  });

  it('only owners invite owners; agents cannot invite; nobody invites into a role above their own', async () => {
    const w = await signedInOwner(t);
    const admin = await (await addMember(t, w.workspace.id, 'admin')).login();
    expect((await admin.post('/api/v1/invitations', { email: email(), roleId: w.roleId('owner') })).statusCode).toBe(403);
    expect((await admin.post('/api/v1/invitations', { email: email(), roleId: w.roleId('admin') })).statusCode).toBe(201);
    expect((await w.client.post('/api/v1/invitations', { email: email(), roleId: w.roleId('owner') })).statusCode).toBe(201);
    const agent = await (await addMember(t, w.workspace.id, 'agent')).login();
    expect((await agent.get('/api/v1/invitations')).statusCode).toBe(200);
    expect((await agent.post('/api/v1/invitations', { email: email(), roleId: w.roleId('agent') })).statusCode).toBe(403);
    const hr = await (await addMember(t, w.workspace.id, { name: 'HR', permissions: ['members:read', 'members:write'], scope: 'all' })).login();
    expect((await hr.post('/api/v1/invitations', { email: email(), roleId: w.roleId('agent') })).statusCode).toBe(403);
  });

  it('validates the body', async () => {
    const w = await signedInOwner(t);
    const bad = await w.client.post('/api/v1/invitations', { email: 'not-an-email', roleId: 'x', teamIds: 'y' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'roleId', 'teamIds']);
    const unknownTeam = await w.client.post('/api/v1/invitations', { email: email(), roleId: w.roleId('agent'), teamIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(unknownTeam.statusCode).toBe(404);
    expect((await w.client.post('/api/v1/invitations', { email: email() })).json().errors[0].path).toBe('roleId');
  });
});
