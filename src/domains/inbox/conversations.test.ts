// Conversations and messages through the API: status and snooze wake-up, assignment, labels,
// unread counts per member, notes with mentions, search (Latin and Chinese), uploads with their
// limits, permissions and data scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMember, type Client } from '../../../test/support/app.js';
import { deliver, inboxWorld, makeDue, runJobs, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld({ ATTACHMENT_MAX_BYTES: '4096' })));
afterAll(() => w.close());

async function withConversations(name: string, messages: Array<[from: string, text: string]>) {
  const ws = await workspaceWithChannel(w, name);
  for (const [from, text] of messages) await deliver(w.t, ws.channelId, [textEvent(from, text)]);
  await runJobs(w.t);
  const items = (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; contact: { id: string } }>;
  return { ...ws, ids: items.map((c) => c.id) };
}

function upload(client: Client, name: string, type: string, data: Buffer) {
  const boundary = `----renmai${Math.random().toString(16).slice(2)}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return client.request('POST', '/api/v1/attachments', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
}

describe('status', () => {
  it('moves between open, pending, snoozed and resolved; a snooze needs a future time; the wake-up job reopens it', async () => {
    const ws = await withConversations('Status', [['u1', 'hi']]);
    const id = ws.ids[0]!;
    const status = (body: unknown) => ws.client.post(`/api/v1/conversations/${id}/status`, body);
    expect((await status({ status: 'pending' })).json().conversation.status).toBe('pending');
    expect((await status({ status: 'snoozed' })).statusCode).toBe(400);
    expect((await status({ status: 'snoozed', snoozedUntil: new Date(Date.now() - 1000).toISOString() })).statusCode).toBe(400);
    expect((await status({ status: 'open', snoozedUntil: new Date(Date.now() + 1000).toISOString() })).statusCode).toBe(400);
    const until = new Date(Date.now() + 3_600_000);
    expect((await status({ status: 'snoozed', snoozedUntil: until.toISOString() })).json().conversation).toMatchObject({ status: 'snoozed', snoozedUntil: until.toISOString() });
    // Not yet due: nothing wakes it.
    await runJobs(w.t);
    expect((await ws.client.get(`/api/v1/conversations/${id}`)).json().conversation.status).toBe('snoozed');
    // Its time comes.
    await w.t.database.db.updateTable('conversations').set({ snoozed_until: new Date(Date.now() - 1000) }).where('id', '=', id).execute();
    await makeDue(w.t);
    await runJobs(w.t);
    expect((await ws.client.get(`/api/v1/conversations/${id}`)).json().conversation).toMatchObject({ status: 'open', snoozedUntil: null });
    const resolved = (await status({ status: 'resolved' })).json().conversation;
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: expect.any(String) });
    const events = await w.t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'inbox.conversation.status_changed').orderBy('id').execute();
    expect(events.map((e) => `${e.payload.from}→${e.payload.to}:${e.payload.reason}`)).toEqual(['open→pending:member', 'pending→snoozed:member', 'snoozed→open:snooze_ended', 'open→resolved:member']);
  });
});

describe('assignment, labels and filters', () => {
  it('assigns to a member by hand, labels, and filters by assignee, status, channel, label and unread', async () => {
    const ws = await withConversations('Filters', [['u1', 'a'], ['u2', 'b'], ['u3', 'c']]);
    const agent = await addMember(w.t, ws.workspace.id, 'agent');
    const [c1, c2] = ws.ids as [string, string];
    expect((await ws.client.put(`/api/v1/conversations/${c1}/assignee`, { memberId: agent.memberId })).json().conversation.assigneeId).toBe(agent.memberId);
    expect((await ws.client.put(`/api/v1/conversations/${c1}/assignee`, { memberId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(404);
    expect((await ws.client.put(`/api/v1/conversations/${c2}/labels`, { labels: ['VIP', 'refund', 'vip'] })).json().conversation.labels).toEqual(['VIP', 'refund']);
    await ws.client.post(`/api/v1/conversations/${c2}/status`, { status: 'resolved' });
    const ids = async (q: string) => (await ws.client.get(`/api/v1/conversations?${q}`)).json().items.map((c: { id: string }) => c.id);
    expect(await ids(`assignee=${agent.memberId}`)).toEqual([c1]);
    expect((await ids('assignee=none')).sort()).toEqual(ws.ids.filter((id) => id !== c1).sort());
    expect(await ids('label=refund')).toEqual([c2]);
    expect(await ids('status=resolved')).toEqual([c2]);
    expect(await ids(`channelId=${ws.channelId}`)).toHaveLength(3);
    // Keyset pages cover the list once each.
    const first = (await ws.client.get('/api/v1/conversations?limit=2')).json();
    const second = (await ws.client.get(`/api/v1/conversations?limit=2&cursor=${first.nextCursor}`)).json();
    expect([...first.items, ...second.items].map((c: { id: string }) => c.id)).toEqual(ws.ids);
    expect(second.nextCursor).toBeNull();
  });
});

describe('unread counts', () => {
  it('counts per member, and reading a conversation clears it for that member only', async () => {
    const ws = await withConversations('Unread', [['u1', 'one'], ['u1', 'two'], ['u2', 'three']]);
    const agent = await addMember(w.t, ws.workspace.id, 'agent');
    const agentClient = await agent.login();
    const u1 = (await ws.client.get('/api/v1/conversations')).json().items.find((c: { lastMessagePreview: string }) => c.lastMessagePreview === 'two');
    await ws.client.put(`/api/v1/conversations/${u1.id}/assignee`, { memberId: agent.memberId });
    expect((await ws.client.get('/api/v1/inbox/unread')).json()).toEqual({ conversations: 2, messages: 3, mine: { conversations: 0, messages: 0 } });
    expect((await agentClient.get('/api/v1/inbox/unread')).json()).toEqual({ conversations: 2, messages: 3, mine: { conversations: 1, messages: 2 } });
    expect((await agentClient.post(`/api/v1/conversations/${u1.id}/read`)).json().conversation.unreadCount).toBe(0);
    expect((await agentClient.get('/api/v1/inbox/unread')).json()).toEqual({ conversations: 1, messages: 1, mine: { conversations: 0, messages: 0 } });
    expect((await agentClient.get('/api/v1/conversations?unread=true')).json().items).toHaveLength(1);
    expect((await ws.client.get('/api/v1/inbox/unread')).json().messages).toBe(3);
    await deliver(w.t, ws.channelId, [textEvent('u1', 'four')]);
    await runJobs(w.t);
    expect((await agentClient.get('/api/v1/inbox/unread')).json().mine).toEqual({ conversations: 1, messages: 1 });
  });
});

describe('notes and search', () => {
  it('an internal note is never sent and tells the members it mentions through an outbox event', async () => {
    const ws = await withConversations('Notes', [['u1', 'hi']]);
    const agent = await addMember(w.t, ws.workspace.id, 'agent');
    const before = w.provider.received.length;
    const res = await ws.client.post(`/api/v1/conversations/${ws.ids[0]}/notes`, { text: '@agent please call back', mentions: [agent.memberId] });
    expect(res.statusCode).toBe(201);
    expect(res.json().message).toMatchObject({ direction: 'note', status: 'noted', mentions: [agent.memberId] });
    expect((await ws.client.post(`/api/v1/conversations/${ws.ids[0]}/notes`, { text: 'x', mentions: ['00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(404);
    await runJobs(w.t);
    expect(w.provider.received.length).toBe(before);
    const [event] = await w.t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'inbox.member.mentioned').execute();
    expect(event!.payload).toMatchObject({ memberIds: [agent.memberId], conversationId: ws.ids[0], link: `/inbox/${ws.ids[0]}` });
  });

  it('finds messages by words and by Chinese text, within what the member may see', async () => {
    const token = 'x'.repeat(3000);
    const ws = await withConversations('Search', [['u1', 'Where is my refund?'], ['u2', '我想申请退货，订单号 A1234'], ['u3', 'Refunds take 3 days'], ['u4', `receipt ${token}`]]);
    const found = async (q: string) => (await ws.client.get(`/api/v1/inbox/search?q=${encodeURIComponent(q)}`)).json().items.map((m: { text: string }) => m.text).sort();
    expect(await found('refund')).toEqual(['Refunds take 3 days', 'Where is my refund?']);
    expect(await found('申请退货')).toEqual(['我想申请退货，订单号 A1234']);
    expect(await found('退')).toEqual(['我想申请退货，订单号 A1234']);
    expect(await found('a1234')).toEqual(['我想申请退货，订单号 A1234']);
    expect(await found('退款')).toEqual([]);
    // A "word" too long to index (PostgreSQL refuses lexemes above 2,046 bytes) does not stop the message.
    expect(await found('receipt')).toEqual([`receipt ${token}`]);
    expect((await ws.client.get('/api/v1/inbox/search?q=%2C%2C')).statusCode).toBe(400);
    // An agent with scope `own` does not find what is assigned to someone else.
    const agent = await addMember(w.t, ws.workspace.id, 'agent');
    const other = await addMember(w.t, ws.workspace.id, 'agent');
    const refund = (await ws.client.get('/api/v1/conversations')).json().items.find((c: { lastMessagePreview: string }) => c.lastMessagePreview === 'Where is my refund?');
    await ws.client.put(`/api/v1/conversations/${refund.id}/assignee`, { memberId: other.memberId });
    const agentClient = await agent.login();
    expect((await agentClient.get('/api/v1/inbox/search?q=refund')).json().items.map((m: { text: string }) => m.text)).toEqual(['Refunds take 3 days']);
    expect((await agentClient.get(`/api/v1/conversations/${refund.id}`)).statusCode).toBe(404);
  });
});

describe('attachments', () => {
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64, 1)]);

  it('uploads within limits and sends them; refuses too large (413) and disallowed types (415) as problem+json', async () => {
    const ws = await withConversations('Files', [['u1', 'send me the picture']]);
    const big = await upload(ws.client, 'big.png', 'image/png', Buffer.concat([png, Buffer.alloc(8192)]));
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ code: 'payload_too_large', maxBytes: 4096 });
    const html = await upload(ws.client, 'x.html', 'text/html', Buffer.from('<script>alert(1)</script>'));
    expect(html.statusCode).toBe(415);
    expect(html.json()).toMatchObject({ code: 'unsupported_media_type', mimeType: 'text/html' });
    expect(await w.t.database.db.selectFrom('attachments').select('id').where('workspace_id', '=', ws.workspace.id).execute()).toEqual([]);
    const ok = await upload(ws.client, 'photo.png', 'image/png', png);
    expect(ok.statusCode).toBe(201);
    const attachment = ok.json().attachment;
    expect(attachment).toMatchObject({ fileName: 'photo.png', mimeType: 'image/png', sizeBytes: png.length });
    const before = w.provider.received.length;
    const sent = await ws.client.post(`/api/v1/conversations/${ws.ids[0]}/messages`, { kind: 'image', attachmentIds: [attachment.id] });
    expect(sent.statusCode).toBe(202);
    await runJobs(w.t);
    const body = w.provider.received[before]!.json() as { kind: string; attachments: Array<{ name: string; mimeType: string; data: string }> };
    expect(body.kind).toBe('image');
    expect(body.attachments).toEqual([{ name: 'photo.png', mimeType: 'image/png', data: png.toString('base64') }]);
    // Attached once: the same upload cannot be reused by another message.
    expect((await ws.client.post(`/api/v1/conversations/${ws.ids[0]}/messages`, { kind: 'image', attachmentIds: [attachment.id] })).statusCode).toBe(404);
  });
});

describe('permissions', () => {
  it('a viewer reads but cannot reply; an agent cannot manage channels or dead letters', async () => {
    const ws = await withConversations('Perms', [['u1', 'hi']]);
    const viewer = await (await addMember(w.t, ws.workspace.id, 'viewer')).login();
    const agent = await (await addMember(w.t, ws.workspace.id, 'agent')).login();
    expect((await viewer.get(`/api/v1/conversations/${ws.ids[0]}/messages`)).statusCode).toBe(200);
    expect((await viewer.post(`/api/v1/conversations/${ws.ids[0]}/messages`, { text: 'x' })).statusCode).toBe(403);
    expect((await agent.get('/api/v1/channels')).statusCode).toBe(200);
    expect((await agent.patch(`/api/v1/channels/${ws.channelId}`, { name: 'mine' })).statusCode).toBe(403);
    expect((await agent.get('/api/v1/dead-letters')).statusCode).toBe(403);
  });
});
