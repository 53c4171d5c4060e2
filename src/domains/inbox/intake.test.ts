// Inbound: verification before anything is stored, idempotent intake, identity resolution, the
// timeline, reopening on a new message, and media limits at the hook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { channelForHook, keyringOf } from '../channels/index.js';
import { limitsOf } from './attachments.js';
import { storeEvents } from './intake.js';
import { count, deliver, makeDue, inboxWorld, runJobs, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld({ ATTACHMENT_MAX_BYTES: '2048' })));
afterAll(() => w.close());

const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);

describe('webhook intake', () => {
  it('refuses a bad signature and a tampered body with 401, stores nothing, and counts the refusal', async () => {
    const ws = await workspaceWithChannel(w, 'Refuse');
    const bad = await deliver(w.t, ws.channelId, [textEvent('u1', 'hi')], 'not the channel secret');
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.json().code).toBe('unauthenticated');
    const body = JSON.stringify({ events: [textEvent('u1', 'hi')] });
    const tampered = await w.t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body.replace('hi', 'ho'), headers: { 'content-type': 'application/json', 'x-renmai-signature': 'sha256=00' } });
    expect(tampered.statusCode).toBe(401);
    await runJobs(w.t);
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(w.t, table, ws.workspace.id)).toBe(0);
    const health = (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;
    expect(health).toMatchObject({ refusedCount: 2, lastRefusedReason: 'signature does not verify', lastEventAt: null });
  });

  it('answers an unknown or disabled channel with 404, and a signed but unreadable body with 400', async () => {
    const ws = await workspaceWithChannel(w, 'Unknown');
    expect((await deliver(w.t, '00000000-0000-4000-8000-000000000000', [textEvent('u1', 'hi')])).statusCode).toBe(404);
    expect((await deliver(w.t, ws.channelId, [{ id: 'x', type: 'message' }])).statusCode).toBe(400);
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { enabled: false });
    expect((await deliver(w.t, ws.channelId, [textEvent('u1', 'hi')])).statusCode).toBe(404);
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(0);
  });

  it('stores an event once: the same delivery twice, or the same message under another event id, is one message', async () => {
    const ws = await workspaceWithChannel(w, 'Once');
    const event = textEvent('u1', 'hello');
    const first = await deliver(w.t, ws.channelId, [event]);
    const again = await deliver(w.t, ws.channelId, [event]);
    expect(first.json()).toEqual({ received: 1, duplicates: 0 });
    expect(again.json()).toEqual({ received: 0, duplicates: 1 });
    await deliver(w.t, ws.channelId, [{ ...event, id: `${event.id}-redelivered` }]);
    await runJobs(w.t);
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(1);
    expect(await count(w.t, 'conversations', ws.workspace.id)).toBe(1);
    const health = (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;
    expect(health.lastEventAt).not.toBeNull();
  });

  it("processes one delivery's events in the order given", async () => {
    const ws = await workspaceWithChannel(w, 'Order');
    const texts = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight'];
    await deliver(w.t, ws.channelId, texts.map((text) => textEvent('orderly', text)));
    await runJobs(w.t);
    // Each processed message becomes the preview: the last one processed is the last one given.
    expect((await ws.client.get('/api/v1/conversations')).json().items[0].lastMessagePreview).toBe('eight');
    const stored = await w.t.database.db.selectFrom('messages').select('body').where('workspace_id', '=', ws.workspace.id).orderBy('id').execute();
    expect(stored.map((m) => m.body).sort()).toEqual([...texts].sort());
  });

  it('concurrent deliveries share their commits, and each answer counts its own events', async () => {
    const ws = await workspaceWithChannel(w, 'Group');
    const first = textEvent('crowd-0', 'first');
    await deliver(w.t, ws.channelId, [first]);
    // 30 requests at once, one of them a redelivery of an earlier event and one repeating an event of another request.
    const repeated = textEvent('crowd-r', 'twice');
    const bodies = Array.from({ length: 30 }, (_, i) => [textEvent(`crowd-${i + 1}`, `hello ${i}`), textEvent(`crowd-${i + 1}`, `again ${i}`)]);
    bodies[7] = [first, textEvent('crowd-8', 'new')];
    bodies[12]!.push(repeated);
    bodies[13]!.push(repeated);
    const answers = await Promise.all(bodies.map((events) => deliver(w.t, ws.channelId, events)));
    expect(answers.map((a) => a.statusCode)).toEqual(bodies.map(() => 200));
    expect(answers[7]!.json()).toEqual({ received: 1, duplicates: 1 });
    expect(answers[12]!.json()).toEqual({ received: 3, duplicates: 0 });
    expect(answers[13]!.json()).toEqual({ received: 2, duplicates: 1 });
    expect(answers.filter((_, i) => ![7, 12, 13].includes(i)).map((a) => a.json())).toEqual(Array.from({ length: 27 }, () => ({ received: 2, duplicates: 0 })));
    await runJobs(w.t);
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(1 + 30 * 2 + 1 - 1);
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(1 + 30 * 2 + 1 - 1);
    expect(await count(w.t, 'conversations', ws.workspace.id)).toBe(32);
  });

  it('a request the database refuses fails alone; the requests written with it are stored', async () => {
    const ws = await workspaceWithChannel(w, 'Alone');
    const channel = await channelForHook(w.t.database.db, keyringOf(w.t.config), ws.channelId);
    const event = (id: string) => ({ kind: 'follow' as const, providerEventId: id, threadKey: id, occurredAt: new Date(), sender: { externalId: id } });
    // An id beyond what a b-tree index row holds: PostgreSQL refuses the row (adapters cap ids far below this).
    const huge = randomBytes(6000).toString('hex');
    const results = await Promise.allSettled(['a1', 'a2', huge, 'a3', 'a4'].map((id) => storeEvents(w.t.database.db, limitsOf(w.t.config), channel!, [event(id)])));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const stored = await w.t.database.db.selectFrom('inbound_events').select('provider_event_id').where('workspace_id', '=', ws.workspace.id).orderBy('provider_event_id').execute();
    expect(stored.map((r) => r.provider_event_id)).toEqual(['a1', 'a2', 'a3', 'a4']);
  });

  it('an intake job whose thread fails is split on its retry: the other threads go on, the failing one retries alone', async () => {
    const ws = await workspaceWithChannel(w, 'Split');
    const db = w.t.database.db;
    await deliver(w.t, ws.channelId, [textEvent('split-good', 'fine'), textEvent('split-bad', 'doomed')]);
    // The bad thread's event names an attachment id the database cannot read, so processing it throws.
    await sql`update inbound_events set event = jsonb_set(event, '{attachmentIds}', '["not-a-uuid"]') where workspace_id = ${ws.workspace.id} and thread_key like '%split-bad%'`.execute(db);
    const intake = () => db.selectFrom('jobs').select(['payload', 'status']).where('workspace_id', '=', ws.workspace.id).where('name', '=', 'inbox.intake').execute();
    expect((await intake()).map((j) => (j.payload as { threadKeys: string[] }).threadKeys.length)).toEqual([2]);

    await runJobs(w.t);
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(0);
    await makeDue(w.t);
    await runJobs(w.t);
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(1);
    const jobs = await intake();
    expect(jobs.map((j) => [j.status, (j.payload as { threadKeys: string[] }).threadKeys.length]).sort()).toEqual([
      ['done', 1],
      ['done', 2],
      ['queued', 1],
    ]);
  });

  it('drops NUL characters, which PostgreSQL stores in neither text nor JSON', async () => {
    const ws = await workspaceWithChannel(w, 'Nul');
    const res = await deliver(w.t, ws.channelId, [textEvent({ id: 'nul\u0000user', name: 'A\u0000B' }, 'he\u0000llo')]);
    expect(res.statusCode).toBe(200);
    await runJobs(w.t);
    const message = await w.t.database.db.selectFrom('messages').select('body').where('workspace_id', '=', ws.workspace.id).executeTakeFirstOrThrow();
    expect(message.body).toBe('hello');
  });

  it('one person, many messages at once: one contact, one conversation, every message', async () => {
    const ws = await workspaceWithChannel(w, 'Burst');
    await Promise.all([1, 2, 3, 4, 5].map((i) => deliver(w.t, ws.channelId, [textEvent('same-person', `m${i}`)])));
    await runJobs(w.t);
    expect(await count(w.t, 'contacts', ws.workspace.id)).toBe(1);
    expect(await count(w.t, 'conversations', ws.workspace.id)).toBe(1);
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(5);
  });
});

describe('identity resolution', () => {
  it('an unknown sender becomes a contact holding the identity, with the message on its timeline', async () => {
    const ws = await workspaceWithChannel(w, 'New');
    await deliver(w.t, ws.channelId, [textEvent({ id: 'visitor-9', name: '韩梅梅', email: 'meimei@example.com' }, '你好')]);
    await runJobs(w.t);
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation.contact.id}`)).json().contact;
    expect(contact).toMatchObject({ name: '韩梅梅', source: { channel: 'api' } });
    // An unverified e-mail is not copied onto the contact.
    expect(contact.email).toBeNull();
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'web_visitor', externalId: 'visitor-9', displayName: '韩梅梅' })]);
    const timeline = (await ws.client.get(`/api/v1/contacts/${contact.id}/timeline`)).json().items;
    expect(timeline.find((e: { type: string }) => e.type === 'message')).toMatchObject({ props: { channel: 'api', direction: 'in', body: '你好', extra: { conversationId: conversation.id } } });
  });

  it('links to the existing contact sharing a verified e-mail or phone; an unverified one is not enough', async () => {
    const ws = await workspaceWithChannel(w, 'Link');
    const byEmail = (await ws.client.post('/api/v1/contacts', { name: 'Ann', email: 'ann@example.com' })).json().contact.id;
    const byPhone = (await ws.client.post('/api/v1/contacts', { name: 'Bo', phone: '+8613800138000' })).json().contact.id;
    await deliver(w.t, ws.channelId, [
      textEvent({ id: 'a', email: 'ANN@example.com', emailVerified: true }, 'one'),
      textEvent({ id: 'b', phone: '+86 138 0013 8000', phoneVerified: true }, 'two'),
      textEvent({ id: 'c', email: 'ann@example.com' }, 'three'),
    ]);
    await runJobs(w.t);
    const contacts = Object.fromEntries(
      (await ws.client.get('/api/v1/conversations')).json().items.map((c: { contact: { id: string }; id: string }) => [c.contact.id, c.id]),
    );
    expect(Object.keys(contacts)).toHaveLength(3);
    expect(contacts[byEmail]).toBeDefined();
    expect(contacts[byPhone]).toBeDefined();
    const ann = (await ws.client.get(`/api/v1/contacts/${byEmail}`)).json().contact;
    expect(ann.identities.map((i: { externalId: string }) => i.externalId)).toEqual(['a']);
    expect(await count(w.t, 'contacts', ws.workspace.id)).toBe(3);
  });
});

describe('conversations on new messages', () => {
  it('a resolved or snoozed conversation reopens when the customer writes again', async () => {
    const ws = await workspaceWithChannel(w, 'Reopen');
    await deliver(w.t, ws.channelId, [textEvent('u1', 'first')]);
    await runJobs(w.t);
    const id = (await ws.client.get('/api/v1/conversations')).json().items[0].id;
    expect((await ws.client.post(`/api/v1/conversations/${id}/status`, { status: 'resolved' })).json().conversation).toMatchObject({ status: 'resolved' });
    await deliver(w.t, ws.channelId, [textEvent('u1', 'again')]);
    await runJobs(w.t);
    expect((await ws.client.get(`/api/v1/conversations/${id}`)).json().conversation).toMatchObject({ status: 'open', resolvedAt: null, lastMessagePreview: 'again' });
    await ws.client.post(`/api/v1/conversations/${id}/status`, { status: 'snoozed', snoozedUntil: new Date(Date.now() + 3_600_000).toISOString() });
    await deliver(w.t, ws.channelId, [textEvent('u1', 'still there?')]);
    await runJobs(w.t);
    expect((await ws.client.get(`/api/v1/conversations/${id}`)).json().conversation).toMatchObject({ status: 'open', snoozedUntil: null });
  });
});

describe('media at the hook', () => {
  const withFile = (name: string, mimeType: string, data: Buffer) => ({
    ...textEvent('u-media', 'file'),
    message: { id: `m-${name}`, kind: 'image', attachments: [{ name, mimeType, data: data.toString('base64') }] },
  });

  it('keeps an allowed file with the message; refuses one too large (413) or of a refused type (415) and stores nothing', async () => {
    const ws = await workspaceWithChannel(w, 'Media');
    const big = await deliver(w.t, ws.channelId, [withFile('big.png', 'image/png', Buffer.concat([png, Buffer.alloc(4096)]))]);
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('payload_too_large');
    // Declared an image, but the bytes are an ELF executable.
    const elf = await deliver(w.t, ws.channelId, [withFile('cat.png', 'image/png', Buffer.concat([Buffer.from('7f454c46020101', 'hex'), Buffer.alloc(64)]))]);
    expect(elf.statusCode).toBe(415);
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(0);
    expect(await count(w.t, 'attachments', ws.workspace.id)).toBe(0);
    expect((await deliver(w.t, ws.channelId, [withFile('ok.png', 'application/octet-stream', png)])).statusCode).toBe(200);
    await runJobs(w.t);
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    const [message] = (await ws.client.get(`/api/v1/conversations/${conversation.id}/messages`)).json().items;
    expect(message.attachments).toEqual([expect.objectContaining({ fileName: 'ok.png', mimeType: 'image/png', sizeBytes: png.length })]);
    const file = await ws.client.get(message.attachments[0].url);
    expect(file.statusCode).toBe(200);
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(png)).toBe(true);
  });
});
