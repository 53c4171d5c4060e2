// Workspace A's member and API key can neither see nor touch nor reference workspace B's members,
// invitations, teams and roles: every id of B is a 404 to them, and bodies cannot name a workspace.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allPermissions } from '../../platform/auth/permissions.js';
import { addMember, apiClient, Client, createOwner, createTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

async function setUp(name: string) {
  const owner = await createOwner(t, name);
  const client = await Client.login(t, owner.user.email, owner.user.password);
  const agent = await addMember(t, owner.workspace.id, 'agent');
  const agentRole = (await client.get('/api/v1/roles')).json().items.find((r: { key: string }) => r.key === 'agent').id as string;
  const role = (await client.post('/api/v1/roles', { name: `${name} custom`, permissions: ['teams:read'], scope: 'own' })).json().role.id as string;
  const team = (await client.post('/api/v1/teams', { name: `${name} team` })).json().team.id as string;
  await client.put(`/api/v1/teams/${team}/members`, { memberIds: [agent.memberId] });
  const invitation = (await client.post('/api/v1/invitations', { email: `${name.toLowerCase()}-invitee@example.com`, roleId: agentRole })).json()
    .invitation.id as string;
  return { ...owner, client, agent: agent.memberId, agentRole, role, team, invitation };
}

type Side = Awaited<ReturnType<typeof setUp>>;
let a: Side;
let b: Side;
let bBefore: Record<string, string>;

const snapshot = async (s: Side) =>
  Object.fromEntries(
    await Promise.all(['/members', '/invitations', '/teams', '/roles'].map(async (p) => [p, (await s.client.get(`/api/v1${p}`)).body] as const)),
  );

beforeAll(async () => {
  a = await setUp('Alpha');
  b = await setUp('Beta');
  bBefore = await snapshot(b);
});

const actors = [
  ['a member of A', () => a.client],
  ['an API key of A', async () => apiClient(t, (await a.client.post('/api/v1/api-keys', { name: 'all', scopes: allPermissions })).json().secret)],
] as const;

describe.each(actors)('%s', (_label, make) => {
  let c: Client;
  beforeAll(async () => (c = await make()));

  it('never sees B in lists', async () => {
    const bIds = [b.memberId, b.agent, b.invitation, b.team, b.role, b.agentRole];
    for (const path of ['/members', '/invitations', '/teams', '/roles']) {
      const res = await c.get(`/api/v1${path}`);
      expect(res.statusCode).toBe(200);
      for (const id of bIds) expect(res.body).not.toContain(id);
    }
  });

  it('gets 404 for every kind of B resource by id', async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['PATCH', `/members/${b.agent}`, { roleId: a.agentRole }],
      ['POST', `/members/${b.agent}/deactivate`],
      ['POST', `/members/${b.memberId}/reactivate`],
      ['DELETE', `/invitations/${b.invitation}`],
      ['PATCH', `/teams/${b.team}`, { name: 'taken' }],
      ['DELETE', `/teams/${b.team}`],
      ['PUT', `/teams/${b.team}/members`, { memberIds: [] }],
      ['PATCH', `/roles/${b.role}`, { name: 'taken' }],
      ['DELETE', `/roles/${b.role}`],
    ];
    for (const [method, path, body] of attempts) {
      const res = await c.request(method, `/api/v1${path}`, body ?? (method === 'POST' ? {} : undefined));
      expect(res.statusCode, `${method} ${path}`).toBe(404);
      expect(res.json().code).toBe('not_found');
    }
  });

  it('cannot attach B’s ids to A’s resources', async () => {
    const attempts: Array<[string, string, unknown]> = [
      ['PUT', `/teams/${a.team}/members`, { memberIds: [a.agent, b.agent] }],
      ['POST', '/invitations', { email: 'cross-1@example.com', roleId: b.agentRole }],
      ['POST', '/invitations', { email: 'cross-2@example.com', roleId: a.agentRole, teamIds: [b.team] }],
      ['PATCH', `/members/${a.agent}`, { roleId: b.role }],
      ['POST', '/teams', { name: 'child', parentId: b.team }],
      ['PATCH', `/teams/${a.team}`, { parentId: b.team }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await c.request(method, `/api/v1${path}`, body);
      expect(res.statusCode, `${method} ${path}`).toBe(404);
    }
  });

  it('refuses a body that names a workspace (mass assignment)', async () => {
    const attempts: Array<[string, string, unknown]> = [
      ['POST', '/teams', { name: 'moved', workspaceId: b.workspace.id }],
      ['PATCH', `/teams/${a.team}`, { name: 'moved', workspaceId: b.workspace.id }],
      ['PATCH', `/members/${a.agent}`, { roleId: a.agentRole, workspaceId: b.workspace.id }],
      ['POST', '/roles', { name: 'moved', permissions: [], scope: 'own', workspaceId: b.workspace.id }],
      ['POST', '/invitations', { email: 'cross-3@example.com', roleId: a.agentRole, workspaceId: b.workspace.id }],
    ];
    for (const [method, path, body] of attempts) {
      const res = await c.request(method, `/api/v1${path}`, body);
      expect(res.statusCode, `${method} ${path}`).toBe(400);
      expect(res.json().errors).toEqual([{ path: 'workspaceId', message: 'Unknown field' }]);
    }
  });
});

describe('afterwards', () => {
  it('B is exactly as it was, and A gained nothing from the refused requests', async () => {
    expect(await snapshot(b)).toEqual(bBefore);
    const teams = (await a.client.get('/api/v1/teams')).json().items;
    expect(teams.map((x: { name: string }) => x.name)).toEqual(['Alpha team']);
    expect(teams[0].memberIds).toEqual([a.agent]);
    expect((await a.client.get('/api/v1/invitations')).json().items).toHaveLength(1);
    expect((await a.client.get('/api/v1/roles')).json().items).toHaveLength(6);
  });
});
