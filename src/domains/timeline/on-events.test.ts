import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../platform/db/transaction.js';
import { emit, handleEvents, type DomainEvent, type EventType } from '../../platform/events/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { addTagsToContacts, removeTagsFromContacts } from '../contacts/index.js';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { timelineHandler } from './on-events.js';

let t: TestApp;
beforeAll(async () => (t = await createTestApp()));
afterAll(() => t.close());

const db = () => t.database.db;
const insertContact = async (workspaceId: string, ownerId: string | null, name = 'Han Meimei') =>
  (await db().insertInto('contacts').values({ workspace_id: workspaceId, name, owner_member_id: ownerId, custom: '{}' }).returning('id').executeTakeFirstOrThrow()).id;

async function lastEvent(workspaceId: string, type: string): Promise<DomainEvent> {
  const e = await db()
    .selectFrom('outbox_events')
    .select(['id', 'type', 'payload', 'occurred_at'])
    .where('workspace_id', '=', workspaceId)
    .where('type', '=', type)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return { id: Number(e.id), workspaceId, type: e.type as EventType, payload: e.payload, occurredAt: e.occurred_at.toISOString() };
}

/** Delivers the event as the worker does: the handler in its own transaction. */
const deliver = (event: DomainEvent, attempt = 1) => inTransaction(db(), (tx) => handleEvents(timelineHandler, { tx, logger: silentLogger, attempt }, [event]));

const entries = (workspaceId: string, type?: string) =>
  db()
    .selectFrom('timeline_events')
    .select(['contact_id', 'type', 'props', 'actor_member_id', 'source_event'])
    .where('workspace_id', '=', workspaceId)
    .$if(Boolean(type), (q) => q.where('type', '=', type!))
    .orderBy('contact_id')
    .execute();

async function emitted(workspaceId: string, type: EventType, payload: Record<string, unknown>) {
  await inTransaction(db(), (tx) => emit(tx, workspaceId, type, payload));
  return lastEvent(workspaceId, type);
}

describe('timeline from events', () => {
  it('an event delivered twice makes one entry', async () => {
    const w = await signedInOwner(t);
    const contact = await insertContact(w.workspace.id, w.memberId);
    const event = await emitted(w.workspace.id, 'contacts.contact.created', { contactId: contact, sourceChannel: 'wecom', actorMemberId: w.memberId });
    await deliver(event);
    await deliver(event, 2);
    const rows = await entries(w.workspace.id);
    expect(rows).toEqual([{ contact_id: contact, type: 'created', props: { sourceChannel: 'wecom' }, actor_member_id: w.memberId, source_event: expect.anything() }]);
    expect(Number(rows[0]!.source_event)).toBe(event.id);
  });

  it('stage, owner, deletion, restoration and merges read as entries with names', async () => {
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const contact = await insertContact(ws, w.memberId);
    const other = await insertContact(ws, w.memberId, 'Old Duplicate');
    const stages = await db().insertInto('stages').values([
      { workspace_id: ws, name: 'Lead', position: 0 },
      { workspace_id: ws, name: 'Won', position: 1, color: '#00ff00' },
    ]).returning(['id', 'name']).execute();
    const [lead, won] = stages;
    await deliver(await emitted(ws, 'contacts.contact.stage_changed', { contactId: contact, fromStageId: lead!.id, toStageId: won!.id, actorMemberId: w.memberId }));
    await deliver(await emitted(ws, 'contacts.contact.owner_changed', { contactId: contact, fromOwnerId: null, toOwnerId: w.memberId, actorMemberId: null }));
    await deliver(await emitted(ws, 'contacts.contact.deleted', { contactId: contact, actorMemberId: w.memberId }));
    await deliver(await emitted(ws, 'contacts.contact.restored', { contactId: contact, actorMemberId: w.memberId }));
    await deliver(await emitted(ws, 'contacts.contact.merged', { mergeId: crypto.randomUUID(), survivorId: contact, mergedIds: [other], actorMemberId: w.memberId }));
    const byType = Object.fromEntries((await entries(ws)).map((e) => [e.type, e.props]));
    expect(byType.stage_changed).toEqual({ from: { id: lead!.id, name: 'Lead', color: '#8c8c8c' }, to: { id: won!.id, name: 'Won', color: '#00ff00' } });
    expect(byType.owner_changed).toEqual({ from: null, to: { id: w.memberId, name: w.user.name } });
    expect(byType.deleted).toEqual({});
    expect(byType.restored).toEqual({});
    expect(byType.merged).toMatchObject({ merged: [{ id: other, name: 'Old Duplicate' }] });
  });

  it('a payload it cannot read is skipped, not retried for ever', async () => {
    const w = await signedInOwner(t);
    await deliver(await emitted(w.workspace.id, 'contacts.contact.created', { contactId: 'not-a-uuid' }));
    expect(await entries(w.workspace.id)).toEqual([]);
  });

  it('a batch tag change makes one tags_added entry per affected contact, and replaced tags a tags_removed entry', async () => {
    const w = await signedInOwner(t);
    const ws = w.workspace.id;
    const level = (await w.client.post('/api/v1/tag-groups', { name: 'Level', singleChoice: true })).json().group;
    const gold = (await w.client.post('/api/v1/tags', { groupId: level.id, name: 'Gold' })).json().tag;
    const silver = (await w.client.post('/api/v1/tags', { groupId: level.id, name: 'Silver' })).json().tag;
    await sql`insert into contacts (workspace_id, name, custom) select ${ws}::uuid, 'c' || i, jsonb_build_object('n', i) from generate_series(1, 300) i`.execute(db());
    const already = await sql<{ id: string }>`select id from contacts where workspace_id = ${ws} and (custom->>'n')::int <= 20`.execute(db());
    // 20 contacts have Gold already (not affected); 10 of the rest have Silver (replaced).
    await addTagsToContacts(db(), ws, { contactIds: already.rows.map((r) => r.id) }, [gold.id], 'import', 'seed', null);
    await addTagsToContacts(db(), ws, { query: sql`select id from contacts where workspace_id = ${ws} and (custom->>'n')::int between 21 and 30` }, [silver.id], 'import', 'seed-2', null);
    await db().deleteFrom('timeline_events').where('workspace_id', '=', ws).execute();

    const result = await addTagsToContacts(db(), ws, { query: sql`select id from contacts where workspace_id = ${ws} and custom ? 'n'` }, [gold.id], 'batch', 'job-42', w.memberId);
    expect(result).toEqual({ added: 280, replaced: 10, sourceRef: 'job-42' });
    const event = await lastEvent(ws, 'contacts.tags.added');
    await deliver(event);
    await deliver(event, 2);
    const added = await entries(ws, 'tags_added');
    expect(added).toHaveLength(280);
    expect(added[0]).toMatchObject({ actor_member_id: w.memberId, props: { source: 'batch', tags: [{ id: gold.id, name: 'Gold', color: '#1677ff' }] } });
    const replaced = await entries(ws, 'tags_removed');
    expect(replaced).toHaveLength(10);
    expect(replaced[0]!.props).toMatchObject({ tags: [{ id: silver.id, name: 'Silver' }] });

    const removal = await removeTagsFromContacts(db(), ws, { query: sql`select id from contacts where workspace_id = ${ws} and (custom->>'n')::int <= 100` }, [gold.id], 'batch', 'job-43', w.memberId);
    expect(removal.removed).toBe(100);
    const removedEvent = await lastEvent(ws, 'contacts.tags.removed');
    await deliver(removedEvent);
    await deliver(removedEvent);
    expect(await entries(ws, 'tags_removed')).toHaveLength(110);
  });
});
