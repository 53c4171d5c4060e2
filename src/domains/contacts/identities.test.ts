// One contact per (channel type, external id): many writers racing for the same identity, through
// contact creation and through adding it to existing contacts; exactly one wins, the rest get 409.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
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
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    const rows = await t.database.db.selectFrom('contact_identities').selectAll().where('workspace_id', '=', w.workspace.id).execute();
    expect(rows).toHaveLength(1);
  });
});
