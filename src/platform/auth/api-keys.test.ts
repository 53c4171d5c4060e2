// API keys: shown once, hashed, scoped, revocable, last-used time; and data scopes on their lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, apiClient, Client, createOwner, createTeam, createTestApp, type TestApp } from '../../../test/support/app.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

async function makeKey(c: Client, scopes: string[], extra: Record<string, unknown> = {}) {
  const res = await c.post('/api/v1/api-keys', { name: `key-${Math.random()}`, scopes, ...extra });
  expect(res.statusCode).toBe(201);
  return res.json() as { secret: string; apiKey: { id: string; prefix: string } };
}

describe('API keys', () => {
  it('stores only a hash, works as a bearer within its scopes, records last use, and stops when revoked', async () => {
    const o = await createOwner(t);
    const owner = await Client.login(t, o.user.email, o.user.password);
    const { secret, apiKey } = await makeKey(owner, ['api-keys:read']);
    const row = await t.database.db.selectFrom('api_keys').selectAll().where('id', '=', apiKey.id).executeTakeFirstOrThrow();
    expect(row.key_hash).not.toContain(secret);
    // rmk_<8-char prefix>_<token>: the token (which may itself contain '_') is never stored
    expect(JSON.stringify(row)).not.toContain(secret.slice('rmk_'.length + 9));
    expect(row.last_used_at).toBeNull();

    const bot = apiClient(t, secret);
    const list = await bot.get('/api/v1/api-keys');
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(secret);
    expect((await t.database.db.selectFrom('api_keys').select('last_used_at').where('id', '=', apiKey.id).executeTakeFirstOrThrow()).last_used_at).not.toBeNull();

    // outside its scopes
    expect((await bot.get('/api/v1/audit-log')).statusCode).toBe(403);
    expect((await bot.post('/api/v1/api-keys', { name: 'x', scopes: ['api-keys:read'] })).statusCode).toBe(403);

    expect((await owner.delete(`/api/v1/api-keys/${apiKey.id}`)).statusCode).toBe(204);
    expect((await bot.get('/api/v1/api-keys')).statusCode).toBe(401);
  });

  it('an expired key is refused', async () => {
    const o = await createOwner(t);
    const owner = await Client.login(t, o.user.email, o.user.password);
    const past = await owner.post('/api/v1/api-keys', { name: 'old', scopes: ['api-keys:read'], expiresAt: new Date(Date.now() - 1000).toISOString() });
    expect((await apiClient(t, past.json().secret).get('/api/v1/api-keys')).statusCode).toBe(401);
  });

  it('cannot carry more than its creator holds, and shrinks when the creator’s role does', async () => {
    const o = await createOwner(t);
    const agent = await addMember(t, o.workspace.id, 'agent');
    const agentClient = await agent.login();
    const refused = await agentClient.post('/api/v1/api-keys', { name: 'x', scopes: ['members:write'] });
    expect(refused.statusCode).toBe(403);
    const { secret } = await makeKey(agentClient, ['api-keys:read']);
    expect((await apiClient(t, secret).get('/api/v1/api-keys')).statusCode).toBe(200);
    // narrow the agent's role: the key loses what the role lost
    await t.database.db.updateTable('roles').set({ permissions: ['members:read'] }).where('workspace_id', '=', o.workspace.id).where('key', '=', 'agent').execute();
    expect((await apiClient(t, secret).get('/api/v1/api-keys')).statusCode).toBe(403);
  });

  it('a deactivated member’s keys stop working', async () => {
    const o = await createOwner(t);
    const admin = await addMember(t, o.workspace.id, 'admin');
    const { secret } = await makeKey(await admin.login(), ['api-keys:read']);
    await t.database.db.updateTable('members').set({ status: 'deactivated' }).where('workspace_id', '=', o.workspace.id).where('id', '=', admin.memberId).execute();
    expect((await apiClient(t, secret).get('/api/v1/api-keys')).statusCode).toBe(401);
  });
});

describe('data scopes on owned records', () => {
  it('own / team / team_tree / all see exactly the keys their scope covers; others are 404', async () => {
    const o = await createOwner(t);
    const ws = o.workspace.id;
    const perms = ['api-keys:read', 'api-keys:write', 'audit:read'];
    const own = await addMember(t, ws, { name: 'Own only', permissions: perms, scope: 'own' });
    const mate = await addMember(t, ws, { name: 'Teammate', permissions: perms, scope: 'own' });
    const lead = await addMember(t, ws, { name: 'Team lead', permissions: perms, scope: 'team' });
    const head = await addMember(t, ws, { name: 'Department head', permissions: perms, scope: 'team_tree' });
    const sub = await addMember(t, ws, { name: 'Sub-team member', permissions: perms, scope: 'own' });
    const dept = await createTeam(t, ws, [head.memberId]);
    await createTeam(t, ws, [own.memberId, mate.memberId, lead.memberId], dept);
    const subTeam = await createTeam(t, ws, [sub.memberId], dept);
    void subTeam;

    const keyOf = async (m: { login(): Promise<Client> }) => (await makeKey(await m.login(), ['api-keys:read'])).apiKey.id;
    const ids = { own: await keyOf(own), mate: await keyOf(mate), lead: await keyOf(lead), head: await keyOf(head), sub: await keyOf(sub) };
    const visible = async (m: { login(): Promise<Client> }) =>
      ((await (await m.login()).get('/api/v1/api-keys')).json().items as Array<{ id: string }>).map((k) => k.id).sort();

    expect(await visible(own)).toEqual([ids.own]);
    expect(await visible(lead)).toEqual([ids.own, ids.mate, ids.lead].sort());
    expect(await visible(head)).toEqual(Object.values(ids).sort());
    const owner = await Client.login(t, o.user.email, o.user.password);
    expect(((await owner.get('/api/v1/api-keys')).json().items as unknown[]).length).toBe(5);

    // a scope-own member cannot revoke a teammate's key: 404, and it still works
    const ownClient = await own.login();
    expect((await ownClient.delete(`/api/v1/api-keys/${ids.mate}`)).statusCode).toBe(404);
    expect((await t.database.db.selectFrom('api_keys').select('revoked_at').where('id', '=', ids.mate).executeTakeFirstOrThrow()).revoked_at).toBeNull();

    // the audit log follows the same scope
    const auditActors = ((await ownClient.get('/api/v1/audit-log')).json().items as Array<{ actor: { memberId: string } }>).map((e) => e.actor.memberId);
    expect(new Set(auditActors)).toEqual(new Set([own.memberId]));
  });
});

describe('pagination', () => {
  it('walks every key once with the cursor, newest first', async () => {
    const o = await createOwner(t);
    const owner = await Client.login(t, o.user.email, o.user.password);
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push((await makeKey(owner, ['api-keys:read'])).apiKey.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string }>; nextCursor: string | null } = (await owner.get(`/api/v1/api-keys?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((k) => k.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen)).toEqual(new Set(made));
  });
});

describe('domain events', () => {
  it('creating and revoking a key record auth.api_key.* events in the outbox with the change', async () => {
    const o = await createOwner(t);
    const owner = await Client.login(t, o.user.email, o.user.password);
    const { apiKey } = await makeKey(owner, ['api-keys:read']);
    await owner.delete(`/api/v1/api-keys/${apiKey.id}`);
    const events = await t.database.db
      .selectFrom('outbox_events')
      .select(['type', 'payload'])
      .where('workspace_id', '=', o.workspace.id)
      .where('type', 'like', 'auth.api_key.%')
      .orderBy('id')
      .execute();
    expect(events).toEqual([
      { type: 'auth.api_key.created', payload: expect.objectContaining({ apiKeyId: apiKey.id }) },
      { type: 'auth.api_key.revoked', payload: { apiKeyId: apiKey.id } },
    ]);
  });
});
