// Merge and undo: everything moves to the survivor, and undo restores the exact prior state.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { actorForMember } from '../../platform/auth/sessions.js';
import { attachIdentity } from './merges.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;

async function contact(o: Owner, values: Record<string, unknown>) {
  const row = await t.database.db
    .insertInto('contacts')
    .values({ workspace_id: o.workspace.id, owner_member_id: o.memberId, custom: JSON.stringify(values.custom ?? {}), ...values } as never)
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Everything about these contacts, as plain data, for exact comparison. */
async function state(workspaceId: string, ids: string[]) {
  type Row = Record<string, unknown>;
  const q = (text: ReturnType<typeof sql>): Promise<Row[]> => text.execute(t.database.db).then((r) => r.rows as Row[]);
  const list = sql`${ids}::uuid[]`;
  return {
    contacts: await q(sql`select * from contacts where workspace_id = ${workspaceId} and id = any(${list}) order by id`),
    identities: await q(sql`select * from contact_identities where workspace_id = ${workspaceId} order by id`),
    tags: await q(sql`select * from contact_tags where workspace_id = ${workspaceId} order by contact_id, tag_id`),
    consents: await q(sql`select * from contact_consents where workspace_id = ${workspaceId} order by contact_id, channel_type`),
    staff: await q(sql`select * from staff_relationships where workspace_id = ${workspaceId} order by contact_id, member_id`),
    timeline: await q(sql`select * from timeline_events where workspace_id = ${workspaceId} order by id`),
    tasks: await q(sql`select * from tasks where workspace_id = ${workspaceId} order by id`),
  };
}

async function world() {
  const o = await signedInOwner(t);
  const ws = o.workspace.id;
  const db = t.database.db;
  const group = await db.insertInto('tag_groups').values({ workspace_id: ws, name: 'G', position: 1 }).returning('id').executeTakeFirstOrThrow();
  const [vip, tea] = await db
    .insertInto('tags')
    .values([
      { workspace_id: ws, group_id: group.id, name: 'VIP' },
      { workspace_id: ws, group_id: group.id, name: 'Tea' },
    ])
    .returning('id')
    .execute();
  const a = await contact(o, { name: '王芳', phone: '+8613800138000', company: 'Acme', custom: { level: 'gold' } });
  const b = await contact(o, { name: '王芳', email: 'wf@example.com', city: '上海', custom: { level: 'silver', note: 'b' } });
  const c = await contact(o, { name: 'Fang Wang', phone: '+8613800138000', title: 'CTO' });
  const referred = await contact(o, { name: 'Friend', referrer_contact_id: b });
  await db
    .insertInto('contact_identities')
    .values([
      { workspace_id: ws, contact_id: a, channel_type: 'wecom', external_id: 'wm-a' },
      { workspace_id: ws, contact_id: b, channel_type: 'email', external_id: 'wf@example.com' },
      { workspace_id: ws, contact_id: c, channel_type: 'telegram', external_id: '12345' },
    ])
    .execute();
  await db
    .insertInto('contact_tags')
    .values([
      { workspace_id: ws, contact_id: a, tag_id: vip!.id, source: 'manual' },
      { workspace_id: ws, contact_id: b, tag_id: vip!.id, source: 'import' },
      { workspace_id: ws, contact_id: b, tag_id: tea!.id, source: 'rule' },
    ])
    .execute();
  await db
    .insertInto('contact_consents')
    .values([
      { workspace_id: ws, contact_id: a, channel_type: 'email', status: 'opt_in', at: new Date('2026-01-01T00:00:00Z'), how: 'form' },
      { workspace_id: ws, contact_id: b, channel_type: 'email', status: 'opt_out', at: new Date('2026-06-01T00:00:00Z'), how: 'unsubscribe link' },
    ])
    .execute();
  await db.insertInto('staff_relationships').values({ workspace_id: ws, contact_id: c, member_id: o.memberId, channel_type: 'wecom' }).execute();
  await db
    .insertInto('timeline_events')
    .values([
      { workspace_id: ws, contact_id: b, type: 'note', props: JSON.stringify({ body: 'met at fair' }) },
      { workspace_id: ws, contact_id: c, type: 'call', props: JSON.stringify({ direction: 'in' }) },
    ])
    .execute();
  await db.insertInto('tasks').values({ workspace_id: ws, contact_id: c, title: 'Follow up', assignee_member_id: o.memberId }).execute();
  return { o, ws, a, b, c, referred, vip: vip!.id, tea: tea!.id };
}

describe('duplicates', () => {
  it('groups contacts sharing a phone, an e-mail (column or identity) or a name at a company', async () => {
    const w = await world();
    await contact(w.o, { name: ' 王 芳', company: 'acme ' });
    const res = await w.o.client.get('/api/v1/contacts/duplicates');
    expect(res.statusCode).toBe(200);
    const groups = res.json().items as Array<{ key: string; reason: string; contacts: Array<{ id: string }> }>;
    const phone = groups.find((g) => g.key === 'phone:+8613800138000')!;
    expect(phone.contacts.map((c) => c.id).sort()).toEqual([w.a, w.c].sort());
    expect(groups.find((g) => g.reason === 'similar_name')!.contacts).toHaveLength(2);
  });
});

describe('merge and undo', () => {
  it('moves everything to the survivor with the chosen values, and undo restores the exact prior state', async () => {
    const w = await world();
    const all = [w.a, w.b, w.c, w.referred];
    const before = await state(w.ws, all);

    const merged = await w.o.client.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [w.b, w.c], fields: { name: w.c, 'custom.level': w.b } });
    expect(merged.statusCode).toBe(200);
    const { mergeId } = merged.json();

    const after = await state(w.ws, all);
    const survivor = after.contacts.find((r) => r.id === w.a)!;
    expect(survivor).toMatchObject({ name: 'Fang Wang', phone: '+8613800138000', email: 'wf@example.com', city: '上海', title: 'CTO', company: 'Acme' });
    expect(survivor.custom).toEqual({ level: 'silver', note: 'b' });
    expect(after.contacts.filter((r) => r.merged_into_id === w.a).map((r) => r.id).sort()).toEqual([w.b, w.c].sort());
    expect(after.identities.every((i) => i.contact_id === w.a)).toBe(true);
    expect(after.tags.map((r) => [r.contact_id, r.tag_id]).sort()).toEqual([[w.a, w.vip], [w.a, w.tea]].sort());
    expect(after.consents).toEqual([expect.objectContaining({ contact_id: w.a, channel_type: 'email', status: 'opt_out' })]);
    expect(after.staff.map((r) => r.contact_id)).toEqual([w.a]);
    expect(after.timeline.every((r) => r.contact_id === w.a)).toBe(true);
    expect(after.tasks.every((r) => r.contact_id === w.a)).toBe(true);
    expect(after.contacts.find((r) => r.id === w.referred)!.referrer_contact_id).toBe(w.a);
    expect((await w.o.client.get(`/api/v1/contacts/${w.a}/merges`)).json().items[0]).toMatchObject({ id: mergeId, mergedIds: [w.b, w.c] });

    const undone = await w.o.client.post(`/api/v1/contact-merges/${mergeId}/undo`);
    expect(undone.statusCode).toBe(200);
    expect(await state(w.ws, all)).toEqual(before);
    expect((await w.o.client.post(`/api/v1/contact-merges/${mergeId}/undo`)).statusCode).toBe(409);
  });

  it('refuses to undo an earlier merge while a later one involving the same contacts stands', async () => {
    const w = await world();
    const first = (await w.o.client.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [w.b] })).json().mergeId;
    const second = (await w.o.client.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [w.c] })).json().mergeId;
    expect((await w.o.client.post(`/api/v1/contact-merges/${first}/undo`)).statusCode).toBe(409);
    expect((await w.o.client.post(`/api/v1/contact-merges/${second}/undo`)).statusCode).toBe(200);
    expect((await w.o.client.post(`/api/v1/contact-merges/${first}/undo`)).statusCode).toBe(200);
  });

  it('validates the request and never reaches contacts outside the caller’s scope or workspace', async () => {
    const w = await world();
    const bad = await w.o.client.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [w.b], fields: { workspace_id: w.b, name: w.referred } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['fields.name', 'fields.workspace_id']);
    expect((await w.o.client.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [w.a] })).statusCode).toBe(400);

    const other = await world();
    expect((await w.o.client.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [other.b] })).statusCode).toBe(404);

    const agent = await addMember(t, w.ws, 'agent');
    const agentClient = await agent.login();
    expect((await agentClient.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [w.b] })).statusCode).toBe(403);
    const manager = await addMember(t, w.ws, { name: 'Merger', permissions: ['contacts:read', 'contacts:merge'], scope: 'own' });
    const managerClient = await manager.login();
    expect((await managerClient.post('/api/v1/contacts/merge', { survivorId: w.a, mergedIds: [w.b] })).statusCode).toBe(404);
    expect((await managerClient.get('/api/v1/contacts/duplicates')).json().items).toEqual([]);
  });
});

describe('incoming identities that collide', () => {
  it('are refused by default, and merge the holder into the receiving contact when the workspace says so', async () => {
    const w = await world();
    const actor = (await actorForMember(t.database.db, w.ws, w.o.memberId))!;
    const attach = () => attachIdentity(t.database.db, actor, w.a, { channelType: 'telegram', externalId: '12345' });
    await expect(attach()).rejects.toMatchObject({ code: 'conflict' });

    expect((await w.o.client.patch('/api/v1/workspace', { identityCollision: 'merge' })).json().workspace.identityCollision).toBe('merge');
    const result = await attach();
    expect(result.merged).toMatchObject({ contactId: w.c });
    const holder = await t.database.db.selectFrom('contact_identities').select('contact_id').where('workspace_id', '=', w.ws).where('external_id', '=', '12345').executeTakeFirstOrThrow();
    expect(holder.contact_id).toBe(w.a);
    expect((await t.database.db.selectFrom('contacts').select('merged_into_id').where('id', '=', w.c).executeTakeFirstOrThrow()).merged_into_id).toBe(w.a);
    expect(await attach()).toMatchObject({ added: false, merged: null, identity: { channelType: 'telegram', externalId: '12345' } });
  });
});
