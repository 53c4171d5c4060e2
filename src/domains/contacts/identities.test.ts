// One contact per (channel type, external id): many writers racing for the same identity, through
// contact creation and through adding it to existing contacts; exactly one wins, the rest get 409
// naming the winner, or (under the workspace rule `merge`) merge the winner into their contact.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { testDbKind } from '../../../test/support/db.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

// In parallel on a server; PGlite has one connection, so there the same requests run one by one.
const all = <T>(work: Array<() => Promise<T>>) => (testDbKind === 'postgres' ? Promise.all(work.map((w) => w())) : work.reduce<Promise<T[]>>(async (acc, w) => [...(await acc), await w()], Promise.resolve([])));

describe('identity uniqueness under concurrent writes', () => {
  it('parallel creations with the same identity: one 201, the rest 409 naming the winner', async () => {
    const w = await signedInOwner(t);
    const identity = { channelType: 'wecom', externalId: 'wm-race' };
    const results = await all(Array.from({ length: 8 }, (_, i) => () => w.client.post('/api/v1/contacts', { name: `racer ${i}`, identities: [identity] })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const winner = results.find((r) => r.statusCode === 201)!.json().contact.id;
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json().contactId).toBe(winner);
    expect((await w.client.post('/api/v1/contacts/count', {})).json().count).toBe(1);
  });

  it('parallel identity adds to different contacts (and the same one): exactly one succeeds', async () => {
    const w = await signedInOwner(t);
    const contacts: string[] = [];
    for (let i = 0; i < 4; i++) contacts.push((await w.client.post('/api/v1/contacts', { name: `c${i}` })).json().contact.id);
    const targets = [...contacts, ...contacts];
    const results = await all(targets.map((id) => () => w.client.post(`/api/v1/contacts/${id}/identities`, { channelType: 'whatsapp', externalId: '+15550001' })));
    // The winner's contact asked twice: the second is told it already holds it (200).
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 201, 409, 409, 409, 409, 409, 409]);
    const winner = results[results.findIndex((r) => r.statusCode === 201)]!;
    expect(results[results.findIndex((r) => r.statusCode === 200)]!.json().identity).toEqual(winner.json().identity);
    const rows = await t.database.db.selectFrom('contact_identities').selectAll().where('workspace_id', '=', w.workspace.id).execute();
    expect(rows).toHaveLength(1);
  });

  it('two contacts racing for one identity: one 201, the other a 409 naming the holder, and nothing of the loser written', async () => {
    const w = await signedInOwner(t);
    const [a, b] = [(await w.client.post('/api/v1/contacts', { name: 'a' })).json().contact.id, (await w.client.post('/api/v1/contacts', { name: 'b' })).json().contact.id];
    const identity = { channelType: 'telegram', externalId: '424242' };
    const results = await all([a, b].map((id) => () => w.client.post(`/api/v1/contacts/${id}/identities`, identity)));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const won = results.findIndex((r) => r.statusCode === 201);
    const [winner, loser] = won === 0 ? [a, b] : [b, a];
    const refused = results[1 - won]!;
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.json()).toMatchObject({ status: 409, code: 'conflict', reason: 'identity_held', contactId: winner, ...identity });
    expect(results[won]!.json()).toMatchObject({ identity: { ...identity, displayName: null }, merged: null });

    const db = t.database.db;
    const rows = await db.selectFrom('contact_identities').select('contact_id').where('workspace_id', '=', w.workspace.id).execute();
    expect(rows).toEqual([{ contact_id: winner }]);
    const audit = await db.selectFrom('audit_log').select('entity_id').where('workspace_id', '=', w.workspace.id).where('action', '=', 'contact.identity_added').execute();
    expect(audit).toEqual([{ entity_id: winner }]);
    const events = await db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', w.workspace.id).where('type', '=', 'contacts.identity.added').execute();
    expect(events.map((e) => (e.payload as { contactId: string }).contactId)).toEqual([winner]);
    expect((await w.client.get(`/api/v1/contacts/${loser}`)).json().contact.identities).toEqual([]);
  });

  it("under the workspace rule 'merge' both succeed: the later one merges the earlier holder into its contact", async () => {
    const w = await signedInOwner(t);
    expect((await w.client.patch('/api/v1/workspace', { identityCollision: 'merge' })).statusCode).toBe(200);
    const [a, b] = [(await w.client.post('/api/v1/contacts', { name: 'a' })).json().contact.id, (await w.client.post('/api/v1/contacts', { name: 'b' })).json().contact.id];
    const identity = { channelType: 'line', externalId: 'U-merge-race' };
    const results = await all([a, b].map((id) => () => w.client.post(`/api/v1/contacts/${id}/identities`, identity)));
    expect(results.map((r) => r.statusCode)).toEqual([201, 201]);
    const mergedAt = results.findIndex((r) => r.json().merged !== null);
    expect(mergedAt).toBeGreaterThanOrEqual(0);
    const [survivor, holder] = mergedAt === 0 ? [a, b] : [b, a];
    expect(results[mergedAt]!.json().merged).toMatchObject({ contactId: holder });
    expect(results[1 - mergedAt]!.json().merged).toBeNull();

    const db = t.database.db;
    const rows = await db.selectFrom('contact_identities').select('contact_id').where('workspace_id', '=', w.workspace.id).execute();
    expect(rows).toEqual([{ contact_id: survivor }]);
    const gone = await db.selectFrom('contacts').select('merged_into_id').where('workspace_id', '=', w.workspace.id).where('id', '=', holder).executeTakeFirstOrThrow();
    expect(gone.merged_into_id).toBe(survivor);
    expect((await w.client.get(`/api/v1/contacts/${holder}`)).statusCode).toBe(404);
  });
});

describe('POST /contacts/:id/identities and the collision rule', () => {
  it("refuses a held identity by default; under 'merge' merges a holder the member can see, and refuses one out of their scope", async () => {
    const w = await signedInOwner(t);
    const holder = (await w.client.post('/api/v1/contacts', { name: 'holder', identities: [{ channelType: 'wecom', externalId: 'wm-1' }] })).json().contact.id;
    const target = (await w.client.post('/api/v1/contacts', { name: 'target' })).json().contact.id;
    const add = (client = w.client) => client.post(`/api/v1/contacts/${target}/identities`, { channelType: 'wecom', externalId: 'wm-1' });
    expect((await add()).json()).toMatchObject({ status: 409, code: 'conflict', reason: 'identity_held', contactId: holder });

    await w.client.patch('/api/v1/workspace', { identityCollision: 'merge' });
    const agent = await addMember(t, w.workspace.id, 'agent');
    const agentClient = await agent.login();
    await w.client.patch(`/api/v1/contacts/${target}`, { ownerId: agent.memberId });
    // The agent (scope own) cannot see the holder: refused, without naming it.
    expect((await add(agentClient)).json()).toMatchObject({ status: 409, reason: 'identity_held', contactId: null });

    const merged = await add();
    expect(merged.statusCode).toBe(201);
    expect(merged.json().merged).toMatchObject({ contactId: holder });
    expect((await w.client.get(`/api/v1/contacts/${target}`)).json().contact.identities).toMatchObject([{ channelType: 'wecom', externalId: 'wm-1' }]);
    const other = await signedInOwner(t, 'Other');
    expect((await other.client.post(`/api/v1/contacts/${target}/identities`, { channelType: 'wecom', externalId: 'wm-2' })).statusCode).toBe(404);
  });
});
