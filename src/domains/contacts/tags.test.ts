import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../platform/db/transaction.js';
import { addMember, createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { addTagsToContacts, removeTagsFromContacts } from './tags.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const db = () => t.database.db;

async function insertContact(workspaceId: string, ownerId: string | null, name = 'Zhang San') {
  return (await db().insertInto('contacts').values({ workspace_id: workspaceId, name, owner_member_id: ownerId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()).id;
}

const tagsOf = async (workspaceId: string, contactId: string) =>
  (await db().selectFrom('contact_tags').select(['tag_id', 'source', 'added_by']).where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).orderBy('tag_id').execute());

const events = (workspaceId: string, type: string) =>
  db().selectFrom('outbox_events').select(['payload']).where('workspace_id', '=', workspaceId).where('type', '=', type).orderBy('id').execute();

describe('tag groups and tags', () => {
  it('creates, lists with counts, renames and deletes groups and tags', async () => {
    const w = await signedInOwner(t);
    const created = await w.client.post('/api/v1/tag-groups', { name: 'Interest', singleChoice: false });
    expect(created.statusCode).toBe(201);
    const group = created.json().group;
    expect(group).toEqual({ id: expect.any(String), name: 'Interest', singleChoice: false, position: 0, tags: [] });
    const level = (await w.client.post('/api/v1/tag-groups', { name: 'Level', singleChoice: true })).json().group;
    expect(level.position).toBe(1);
    expect((await w.client.post('/api/v1/tag-groups', { name: 'interest' })).statusCode).toBe(409);

    const tag = await w.client.post('/api/v1/tags', { groupId: group.id, name: 'Tea', color: '#52c41a' });
    expect(tag.statusCode).toBe(201);
    expect(tag.json().tag).toEqual({ id: expect.any(String), groupId: group.id, name: 'Tea', color: '#52c41a', contactCount: 0 });
    const plain = (await w.client.post('/api/v1/tags', { groupId: group.id, name: 'Coffee' })).json().tag;
    expect(plain.color).toBe('#1677ff');
    expect((await w.client.post('/api/v1/tags', { groupId: group.id, name: 'tea' })).statusCode).toBe(409);
    const badColor = await w.client.post('/api/v1/tags', { groupId: group.id, name: 'Milk', color: 'red' });
    expect(badColor.statusCode).toBe(400);
    expect(badColor.json().errors[0].path).toBe('color');
    expect((await w.client.post('/api/v1/tags', { groupId: '00000000-0000-4000-8000-000000000000', name: 'X' })).statusCode).toBe(404);

    const contact = await insertContact(w.workspace.id, w.memberId);
    await insertContact(w.workspace.id, w.memberId);
    expect((await w.client.post(`/api/v1/contacts/${contact}/tags`, { tagIds: [tag.json().tag.id] })).statusCode).toBe(200);

    const list = (await w.client.get('/api/v1/tag-groups')).json();
    expect(list.nextCursor).toBeNull();
    expect(list.items.map((g: { name: string }) => g.name)).toEqual(['Interest', 'Level']);
    expect(list.items[0].tags.map((x: { name: string; contactCount: number }) => [x.name, x.contactCount])).toEqual([
      ['Tea', 1],
      ['Coffee', 0],
    ]);

    const renamed = await w.client.patch(`/api/v1/tags/${plain.id}`, { name: 'Latte', color: '#000000' });
    expect(renamed.json().tag).toMatchObject({ name: 'Latte', color: '#000000' });
    expect((await w.client.patch(`/api/v1/tag-groups/${group.id}`, { name: 'Hobbies' })).json().group.name).toBe('Hobbies');
    expect((await w.client.delete(`/api/v1/tags/${plain.id}`)).statusCode).toBe(204);
    expect((await w.client.delete(`/api/v1/tags/${plain.id}`)).statusCode).toBe(404);
    expect((await w.client.delete(`/api/v1/tag-groups/${group.id}`)).statusCode).toBe(204);
    expect(await tagsOf(w.workspace.id, contact)).toEqual([]);
    expect((await w.client.get('/api/v1/tag-groups')).json().items.map((g: { name: string }) => g.name)).toEqual(['Level']);
  });

  it('needs contact-settings:write to change, contacts:read to list', async () => {
    const w = await signedInOwner(t);
    const agent = await (await addMember(t, w.workspace.id, 'agent')).login();
    expect((await agent.get('/api/v1/tag-groups')).statusCode).toBe(200);
    expect((await agent.post('/api/v1/tag-groups', { name: 'Nope' })).statusCode).toBe(403);
  });
});

describe('tags on a contact', () => {
  it('adds with source and who, replaces within a single-choice group, removes', async () => {
    const w = await signedInOwner(t);
    const level = (await w.client.post('/api/v1/tag-groups', { name: 'Level', singleChoice: true })).json().group;
    const vip = (await w.client.post('/api/v1/tags', { groupId: level.id, name: 'VIP' })).json().tag;
    const normal = (await w.client.post('/api/v1/tags', { groupId: level.id, name: 'Normal' })).json().tag;
    const hobby = (await w.client.post('/api/v1/tag-groups', { name: 'Hobby' })).json().group;
    const tea = (await w.client.post('/api/v1/tags', { groupId: hobby.id, name: 'Tea' })).json().tag;
    const golf = (await w.client.post('/api/v1/tags', { groupId: hobby.id, name: 'Golf' })).json().tag;
    const contact = await insertContact(w.workspace.id, w.memberId);

    const first = await w.client.post(`/api/v1/contacts/${contact}/tags`, { tagIds: [normal.id, tea.id, golf.id] });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ added: 3, replaced: 0 });
    const second = await w.client.post(`/api/v1/contacts/${contact}/tags`, { tagIds: [vip.id, tea.id] });
    expect(second.json()).toMatchObject({ added: 1, replaced: 1 });
    const listed = (await w.client.get(`/api/v1/contacts/${contact}/tags`)).json().items;
    expect(listed.map((x: { name: string }) => x.name).sort()).toEqual(['Golf', 'Tea', 'VIP']);
    expect(listed[0]).toMatchObject({ source: 'manual', addedBy: w.memberId, addedAt: expect.any(String) });

    const both = await w.client.post(`/api/v1/contacts/${contact}/tags`, { tagIds: [vip.id, normal.id] });
    expect(both.statusCode).toBe(400);
    expect(both.json().errors[0].path).toBe('tagIds.1');

    expect((await w.client.delete(`/api/v1/contacts/${contact}/tags/${golf.id}`)).statusCode).toBe(204);
    expect((await w.client.delete(`/api/v1/contacts/${contact}/tags/${golf.id}`)).statusCode).toBe(404);
    expect((await tagsOf(w.workspace.id, contact)).map((r) => r.tag_id).sort()).toEqual([tea.id, vip.id].sort());

    // Making a group single-choice is refused while a contact holds two of its tags.
    await w.client.post(`/api/v1/contacts/${contact}/tags`, { tagIds: [golf.id] });
    expect((await w.client.patch(`/api/v1/tag-groups/${hobby.id}`, { singleChoice: true })).statusCode).toBe(409);

    const added = await events(w.workspace.id, 'contacts.tags.added');
    expect(added).toHaveLength(3);
    expect(added[1]!.payload).toMatchObject({ tagIds: [vip.id, tea.id], source: 'manual', actorMemberId: w.memberId, added: 1, replaced: 1, sourceRef: expect.any(String) });
    expect(await events(w.workspace.id, 'contacts.tags.removed')).toHaveLength(1);
  });

  it('an agent gets 404 for a teammate’s contact', async () => {
    const w = await signedInOwner(t);
    const group = (await w.client.post('/api/v1/tag-groups', { name: 'G' })).json().group;
    const tag = (await w.client.post('/api/v1/tags', { groupId: group.id, name: 'T' })).json().tag;
    const agent = await (await addMember(t, w.workspace.id, 'agent')).login();
    const theirs = await insertContact(w.workspace.id, w.memberId);
    expect((await agent.post(`/api/v1/contacts/${theirs}/tags`, { tagIds: [tag.id] })).statusCode).toBe(404);
    expect((await agent.get(`/api/v1/contacts/${theirs}/tags`)).statusCode).toBe(404);
  });
});

describe('addTagsToContacts on a large set', () => {
  it('tags exactly the contacts of the set in one change, single-choice respected, one event', async () => {
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const level = (await w.client.post('/api/v1/tag-groups', { name: 'Level', singleChoice: true })).json().group;
    const gold = (await w.client.post('/api/v1/tags', { groupId: level.id, name: 'Gold' })).json().tag;
    const silver = (await w.client.post('/api/v1/tags', { groupId: level.id, name: 'Silver' })).json().tag;
    // 5,000 contacts: the even-numbered ones are the target; every tenth already has Silver.
    await sql`insert into contacts (workspace_id, name, custom)
              select ${ws}::uuid, 'bulk ' || i, jsonb_build_object('n', i) from generate_series(1, 5000) i`.execute(db());
    await sql`insert into contact_tags (workspace_id, contact_id, tag_id, source)
              select c.workspace_id, c.id, ${silver.id}::uuid, 'import' from contacts c
              where c.workspace_id = ${ws} and (c.custom->>'n')::int % 10 = 0`.execute(db());
    await db().updateTable('contacts').set({ deleted_at: new Date() }).where('workspace_id', '=', ws).where(sql<boolean>`(custom->>'n')::int = 2`).execute();
    const target = sql`select id from contacts where workspace_id = ${ws} and (custom->>'n')::int % 2 = 0`;

    const before = (await events(ws, 'contacts.tags.added')).length;
    const result = await inTransaction(db(), (tx) => addTagsToContacts(tx, ws, { query: target }, [gold.id], 'batch', 'batch-1', w.memberId));
    // 2,500 even contacts, one of them deleted; 500 of them lose Silver.
    expect(result).toEqual({ added: 2499, replaced: 500, sourceRef: 'batch-1' });
    const counts = (
      await sql<{ tag: string; even: boolean; n: number }>`
        select ct.tag_id as tag, (c.custom->>'n')::int % 2 = 0 as even, count(*)::int as n from contact_tags ct
        join contacts c on c.workspace_id = ct.workspace_id and c.id = ct.contact_id
        where ct.workspace_id = ${ws} group by 1, 2 order by 1, 2`.execute(db())
    ).rows;
    // Every Silver contact was even: all 500 lost it; odd contacts carry nothing.
    expect(counts).toEqual([{ tag: gold.id, even: true, n: 2499 }]);
    const removals = await sql<{ n: number }>`select count(*)::int as n from contact_tag_removals where workspace_id = ${ws} and source_ref = 'batch-1'`.execute(db());
    expect(removals.rows[0]!.n).toBe(500);
    const added = await events(ws, 'contacts.tags.added');
    expect(added).toHaveLength(before + 1);
    expect(added.at(-1)!.payload).toMatchObject({ sourceRef: 'batch-1', tagIds: [gold.id], source: 'batch', added: 2499, replaced: 500 });
    // The event names exactly the contacts it changed (readers need not look the ref up).
    const tagged = (await sql<{ id: string }>`select contact_id as id from contact_tags where workspace_id = ${ws} and source_ref = 'batch-1'`.execute(db())).rows;
    expect([...(added.at(-1)!.payload as { contactIds: string[] }).contactIds].sort()).toEqual(tagged.map((r) => r.id).sort());

    // Again: nothing new, no event.
    expect(await inTransaction(db(), (tx) => addTagsToContacts(tx, ws, { query: target }, [gold.id], 'batch', 'batch-2', null))).toMatchObject({ added: 0, replaced: 0 });
    expect(await events(ws, 'contacts.tags.added')).toHaveLength(before + 1);

    const removed = await inTransaction(db(), (tx) => removeTagsFromContacts(tx, ws, { query: target }, [gold.id], 'batch', 'batch-3', null));
    expect(removed).toEqual({ removed: 2499, sourceRef: 'batch-3' });
    const removedEvents = await events(ws, 'contacts.tags.removed');
    expect(removedEvents).toHaveLength(1);
    expect([...(removedEvents[0]!.payload as { contactIds: string[] }).contactIds].sort()).toEqual(tagged.map((r) => r.id).sort());
  });
});

describe('tag counts', () => {
  it('count only the contacts the caller may see', async () => {
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const group = (await w.client.post('/api/v1/tag-groups', { name: 'Topics' })).json().group;
    const tea = (await w.client.post('/api/v1/tags', { groupId: group.id, name: 'Tea' })).json().tag.id as string;
    const agent = await addMember(t, ws, 'agent');
    const mine = [await insertContact(ws, agent.memberId), await insertContact(ws, agent.memberId)];
    const theirs = [await insertContact(ws, w.memberId), await insertContact(ws, null), await insertContact(ws, w.memberId)];
    expect((await w.client.post('/api/v1/contacts/batch', { action: 'add_tags', tagIds: [tea], target: { ids: [...mine, ...theirs] } })).statusCode).toBe(200);
    await db().updateTable('contacts').set({ deleted_at: new Date() }).where('workspace_id', '=', ws).where('id', '=', theirs[2]!).execute();

    const teaCount = async (client: Awaited<ReturnType<typeof agent.login>>) =>
      (await client.get('/api/v1/tag-groups')).json().items[0].tags.find((x: { id: string }) => x.id === tea).contactCount as number;
    expect(await teaCount(w.client)).toBe(4);
    expect(await teaCount(await agent.login())).toBe(2);
    expect((await w.client.patch(`/api/v1/tags/${tea}`, { name: 'Green tea' })).json().tag.contactCount).toBe(4);
  });
});

describe('contact_tag_sets', () => {
  /** Contacts whose tag set differs from their contact_tags rows (no row stands for no tags). */
  const drift = async (ws: string) =>
    (
      await sql<{ id: string }>`
        select c.id from contacts c
        left join contact_tag_sets ts on ts.workspace_id = c.workspace_id and ts.contact_id = c.id
        where c.workspace_id = ${ws}
          and ts.tag_ids is distinct from (select array_agg(ct.tag_id order by ct.tag_id) from contact_tags ct
                                           where ct.workspace_id = c.workspace_id and ct.contact_id = c.id)`.execute(db())
    ).rows;

  it('stays equal to contact_tags through tagging, single-choice replacement, removal, merge and undo, and tag deletion', async () => {
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const level = (await w.client.post('/api/v1/tag-groups', { name: 'Level', singleChoice: true })).json().group;
    const topics = (await w.client.post('/api/v1/tag-groups', { name: 'Topics' })).json().group;
    const tag = async (groupId: string, name: string) => (await w.client.post('/api/v1/tags', { groupId, name })).json().tag.id as string;
    const [gold, silver, tea, golf] = [await tag(level.id, 'Gold'), await tag(level.id, 'Silver'), await tag(topics.id, 'Tea'), await tag(topics.id, 'Golf')];
    const [a, b, c] = [await insertContact(ws, w.memberId, 'A'), await insertContact(ws, w.memberId, 'B'), await insertContact(ws, w.memberId, 'C')];

    const batch = (body: object) => w.client.post('/api/v1/contacts/batch', body);
    expect((await batch({ action: 'add_tags', tagIds: [silver, tea], target: { ids: [a, b, c] } })).statusCode).toBe(200);
    expect((await w.client.post(`/api/v1/contacts/${a}/tags`, { tagIds: [gold, golf] })).statusCode).toBe(200);
    const tagIdsOf = async (id: string) =>
      (await db().selectFrom('contact_tag_sets').select('tag_ids').where('workspace_id', '=', ws).where('contact_id', '=', id).executeTakeFirst())?.tag_ids ?? [];
    expect(await tagIdsOf(a)).toEqual([gold, tea, golf].sort());
    expect(await tagIdsOf(b)).toEqual([silver, tea].sort());
    expect((await batch({ action: 'remove_tags', tagIds: [tea], target: { ids: [b] } })).statusCode).toBe(200);
    expect(await tagIdsOf(b)).toEqual([silver]);

    const merged = await w.client.post('/api/v1/contacts/merge', { survivorId: a, mergedIds: [b] });
    expect(merged.statusCode).toBe(200);
    expect(await drift(ws)).toEqual([]);
    expect((await w.client.post(`/api/v1/contact-merges/${merged.json().mergeId}/undo`)).statusCode).toBe(200);
    expect(await tagIdsOf(b)).toEqual([silver]);
    expect(await drift(ws)).toEqual([]);

    expect((await w.client.delete(`/api/v1/tags/${tea}`)).statusCode).toBe(204);
    expect(await tagIdsOf(a)).toEqual([gold, golf].sort());
    expect(await tagIdsOf(c)).toEqual([silver]);
    expect(await drift(ws)).toEqual([]);

    // A contact that loses its last tag keeps no set.
    expect((await batch({ action: 'remove_tags', tagIds: [silver], target: { ids: [c] } })).statusCode).toBe(200);
    const sets = await db().selectFrom('contact_tag_sets').select('contact_id').where('workspace_id', '=', ws).execute();
    expect(sets.map((r) => r.contact_id)).not.toContain(c);
    expect(await drift(ws)).toEqual([]);
  });
});
