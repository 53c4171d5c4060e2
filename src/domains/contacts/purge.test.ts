// Deleted contacts go for good after the restore window, with what hangs off them; recent ones,
// merged-away ones of a live survivor and other workspaces' contacts stay.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { purgeExpiredContacts } from './purge.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;

const create = async (o: Owner, body: object) => (await o.client.post('/api/v1/contacts', body)).json().contact.id as string;
const ageDeletion = (o: Owner, ids: string[], days: number) =>
  sql`update contacts set deleted_at = now() - make_interval(days => ${days}) where workspace_id = ${o.workspace.id} and id = any(${ids}::uuid[])`.execute(t.database.db);
const existing = async (o: Owner) =>
  (await sql<{ name: string }>`select name from contacts where workspace_id = ${o.workspace.id} order by name`.execute(t.database.db)).rows.map((r) => r.name);

describe('purging deleted contacts', () => {
  it('removes contacts deleted more than 30 days ago, frees their identities, and keeps the rest', async () => {
    const o = await signedInOwner(t);
    const other = await signedInOwner(t);
    const old = await create(o, { name: 'old', identities: [{ channelType: 'wechat_openid', externalId: 'o-1' }] });
    const recent = await create(o, { name: 'recent' });
    await create(o, { name: 'referred', referrerContactId: old });
    const survivor = await create(o, { name: 'survivor' });
    const mergedAway = await create(o, { name: 'merged-away' });
    const liveSurvivor = await create(o, { name: 'live-survivor' });
    const keptMerged = await create(o, { name: 'kept-merged' });
    const elsewhere = await create(other, { name: 'elsewhere' });
    expect((await o.client.post(`/api/v1/contacts/${old}/notes`, { body: 'hello' })).statusCode).toBe(201);
    expect((await o.client.post('/api/v1/contacts/merge', { survivorId: survivor, mergedIds: [mergedAway] })).statusCode).toBe(200);
    expect((await o.client.post('/api/v1/contacts/merge', { survivorId: liveSurvivor, mergedIds: [keptMerged] })).statusCode).toBe(200);
    for (const id of [old, recent, survivor]) expect((await o.client.delete(`/api/v1/contacts/${id}`)).statusCode).toBe(204);
    expect((await other.client.delete(`/api/v1/contacts/${elsewhere}`)).statusCode).toBe(204);
    await ageDeletion(o, [old, survivor, mergedAway, keptMerged], 31);
    await ageDeletion(o, [recent], 29);
    await ageDeletion(other, [elsewhere], 31);

    // Two batches of one: the survivor takes its merged-away contact with it.
    expect(await purgeExpiredContacts(t.database.db, 1)).toBeGreaterThan(0);
    while ((await purgeExpiredContacts(t.database.db, 1)) > 0);
    expect(await existing(o)).toEqual(['kept-merged', 'live-survivor', 'recent', 'referred']);
    expect(await existing(other)).toEqual([]);
    const referred = await sql<{ referrer_contact_id: string | null }>`select referrer_contact_id from contacts where workspace_id = ${o.workspace.id} and name = 'referred'`.execute(t.database.db);
    expect(referred.rows[0]!.referrer_contact_id).toBeNull();
    const merges = await sql<{ n: number }>`select count(*)::int as n from contact_merges where workspace_id = ${o.workspace.id}`.execute(t.database.db);
    expect(merges.rows[0]!.n).toBe(1);
    const notes = await sql<{ n: number }>`select count(*)::int as n from timeline_events where workspace_id = ${o.workspace.id} and contact_id = ${old}`.execute(t.database.db);
    expect(notes.rows[0]!.n).toBe(0);
    // The identity is free for a new holder.
    expect((await o.client.post('/api/v1/contacts', { name: 'new', identities: [{ channelType: 'wechat_openid', externalId: 'o-1' }] })).statusCode).toBe(201);
  });
});
