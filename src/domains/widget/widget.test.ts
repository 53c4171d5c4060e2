// The widget's visitors end to end over real HTTP and websockets: origins, sessions and identity
// verification, the pre-chat form, messages into the inbox and agents' replies back to the
// visitor's socket — and what a visitor must never receive: notes, other visitors' messages,
// another workspace's data. "Never received" is checked after a later event committed after the
// one that must not arrive (notices arrive in commit order).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, inboxWorld, runJobs, type InboxWorld } from '../../../test/support/channel-world.js';
import { signedInOwner } from '../../../test/support/app.js';
import { createWidgetChannel, IDENTITY_SECRET, SITE, Visitor } from '../../../test/support/widget-visitor.js';
import { openSocket, sessionCookie, type TestSocket } from '../../platform/realtime/test-client.js';
import { userHash } from '../../channels/widget/index.js';
import { buildApp } from '../../app.js';
import { openDatabase, type DatabaseHandle } from '../../platform/db/connect.js';
import { createLogger } from '../../platform/log/logger.js';
import { testDbKind } from '../../../test/support/db.js';

let w: InboxWorld;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  w = await inboxWorld({ ATTACHMENT_MAX_BYTES: '2048' });
  await w.t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await Promise.all(sockets.map((s) => s.close()));
  await w.close();
});

async function workspace(name: string, settings: Record<string, unknown> = {}) {
  const owner = await signedInOwner(w.t, name);
  const channelId = await createWidgetChannel(owner.client, settings);
  return { ...owner, channelId };
}

async function agentSocket(user: { email: string; password: string }) {
  const s = await openSocket(w.t.app, { cookie: await sessionCookie(w.t.app, user.email, user.password) });
  sockets.push(s);
  await s.next('ready');
  return s;
}

async function visitorSocket(v: Visitor) {
  const s = await v.socket();
  sockets.push(s);
  await s.next('ready');
  return s;
}

const widgetRows = async (workspaceId: string) =>
  (await w.t.database.db.withTables<{ widget_visitors: { workspace_id: string } }>().selectFrom('widget_visitors').selectAll().where('workspace_id', '=', workspaceId).execute()).length;

describe('origins and configuration', () => {
  it('answers allowed origins with CORS headers and public settings only; refuses others and requests without Origin', async () => {
    const ws = await workspace('Origins', { allowedOrigins: [SITE, 'https://*.brand.example'] });
    const v = new Visitor(w.t.app, ws.channelId);
    const res = await v.request('GET', '/config');
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    expect(res.body).not.toContain(IDENTITY_SECRET);
    expect(res.json().config).toMatchObject({ greeting: { en: 'Hello! How can we help?' }, colors: { primary: '#1677ff' }, online: false, messageKinds: ['text', 'image', 'file'] });
    expect(res.json().config).not.toHaveProperty('allowedOrigins');
    expect((await new Visitor(w.t.app, ws.channelId, 'https://eu.brand.example').request('GET', '/config')).statusCode).toBe(200);
    const preflight = await w.t.app.inject({ method: 'OPTIONS', url: `/widget/v1/channels/${ws.channelId}/messages`, headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('x-renmai-visitor');
    for (const origin of ['https://evil.example', 'https://brand.example.evil.example', 'http://shop.example']) {
      const refused = await new Visitor(w.t.app, ws.channelId, origin).request('POST', '/session', {});
      expect(refused.statusCode, origin).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'forbidden', reason: 'origin_not_allowed' });
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    }
    const bare = await w.t.app.inject({ method: 'GET', url: `/widget/v1/channels/${ws.channelId}/config` });
    expect(bare.statusCode).toBe(403);
    // The socket's handshake too.
    const v2 = new Visitor(w.t.app, ws.channelId);
    await v2.start();
    await expect(v2.socket('https://evil.example')).rejects.toThrow('upgrade refused: 403');
    await expect(openSocket(w.t.app, { origin: SITE }, '/widget/v1/socket?token=forged')).rejects.toThrow('upgrade refused: 401');
    // The socket takes tickets, not the session token (which never goes in a URL), and HTTP the other way round.
    await expect(openSocket(w.t.app, { origin: SITE }, `/widget/v1/socket?token=${v2.token}`)).rejects.toThrow('upgrade refused: 401');
    const ticket = (await v2.request('POST', '/socket-ticket')).json().ticket as string;
    expect((await v2.request('GET', '/messages', undefined, { 'x-renmai-visitor': ticket })).statusCode).toBe(401);
  });

  it('is not found for a channel that is not a widget, or disabled', async () => {
    const ws = await workspace('NotWidget');
    const api = (await ws.client.post('/api/v1/channels', { type: 'api', name: 'API', settings: { url: w.provider.url }, secrets: { secret: 'a channel secret of some length' } })).json().channel.id;
    expect((await new Visitor(w.t.app, api).request('GET', '/config')).statusCode).toBe(404);
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { enabled: false });
    expect((await new Visitor(w.t.app, ws.channelId).request('GET', '/config')).statusCode).toBe(404);
    // Visitors never post to /hooks.
    expect((await w.t.app.inject({ method: 'POST', url: `/hooks/${api}`, payload: '{}' })).statusCode).toBe(401);
  });

  it('gives the console its snippet', async () => {
    const ws = await workspace('Snippet');
    const res = await ws.client.get(`/api/v1/channels/${ws.channelId}/widget-snippet`);
    expect(res.statusCode).toBe(200);
    expect(res.json().snippet).toBe(`<script src="${res.json().scriptUrl}" data-channel="${ws.channelId}" async></script>`);
    expect(res.json().scriptUrl).toMatch(/\/widget\.js$/);
    // Another workspace's widget, and a channel that is not a widget: not found.
    const other = await workspace('Snippet elsewhere');
    expect((await ws.client.get(`/api/v1/channels/${other.channelId}/widget-snippet`)).statusCode).toBe(404);
    const api = (await ws.client.post('/api/v1/channels', { type: 'api', name: 'API', settings: { url: w.provider.url }, secrets: { secret: 'a channel secret of some length' } })).json().channel.id;
    expect((await ws.client.get(`/api/v1/channels/${api}/widget-snippet`)).statusCode).toBe(404);
  });
});

describe('sessions', () => {
  it('keeps an anonymous visitor by their token, and verifies identities by HMAC; a mismatch stores nothing', async () => {
    const ws = await workspace('Sessions');
    const v = new Visitor(w.t.app, ws.channelId);
    const first = await v.start();
    expect(first).toMatchObject({ verified: false, conversationId: null, unread: 0 });
    expect(first.visitorId).toMatch(/^v_/);
    expect((await v.start()).visitorId).toBe(first.visitorId);
    // A token of this channel is no token on another.
    const other = await workspace('Sessions elsewhere');
    const stranger = new Visitor(w.t.app, other.channelId);
    stranger.token = v.token;
    expect((await stranger.say('hi')).statusCode).toBe(401);
    expect((await stranger.start()).visitorId).not.toBe(first.visitorId);

    const verified = new Visitor(w.t.app, ws.channelId);
    expect(await verified.start({ userId: 'user-42', userHash: userHash(IDENTITY_SECRET, 'user-42') })).toMatchObject({ visitorId: 'user:user-42', verified: true });
    const liar = new Visitor(w.t.app, ws.channelId);
    for (const userHashGiven of [userHash(IDENTITY_SECRET, 'user-43'), userHash('another secret of some length', 'user-42'), undefined]) {
      const res = await liar.request('POST', '/session', { userId: 'user-42', ...(userHashGiven ? { userHash: userHashGiven } : {}) });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code: 'forbidden', reason: 'identity_mismatch' });
      expect(res.body).not.toContain('token');
    }
    expect(await widgetRows(ws.workspace.id)).toBe(0);
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(0);
  });

  it('refuses anonymous visitors when the channel requires identities', async () => {
    const ws = await workspace('Required', { identityVerification: 'required' });
    const res = await new Visitor(w.t.app, ws.channelId).request('POST', '/session', {});
    expect(res.statusCode).toBe(401);
    expect(res.json().reason).toBe('identity_required');
  });
});

describe('a conversation', () => {
  it('reaches agents, and their replies reach the visitor’s socket — never notes, never another visitor’s', async () => {
    const ws = await workspace('Chat', { prechat: { enabled: true, fields: [{ key: 'name', kind: 'name', required: true }, { key: 'email', kind: 'email' }, { key: 'order', kind: 'text' }] } });
    expect((await ws.client.post('/api/v1/custom-fields', { key: 'order', label: 'Order', type: 'text' })).statusCode).toBe(201);
    const agent = await agentSocket(ws.user);
    const v = new Visitor(w.t.app, ws.channelId);
    await v.start();
    const vs = await visitorSocket(v);
    const other = new Visitor(w.t.app, ws.channelId);
    await other.start();
    const os = await visitorSocket(other);

    // The pre-chat form: asked for before any message, checked against the channel's fields.
    expect((await v.say('hello?')).json()).toMatchObject({ status: 409, reason: 'prechat_required' });
    const bad = await v.request('POST', '/prechat', { answers: { email: 'not an e-mail', colour: 'red' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['answers.colour', 'answers.email', 'answers.name']);
    expect((await v.request('POST', '/prechat', { answers: { name: '李雷', email: 'Li@Example.com', order: 'A-1' } })).statusCode).toBe(204);
    expect((await v.start()).prechatDone).toBe(true);

    // Sent twice with one client id: stored once.
    expect((await v.say('<img src=x onerror=alert(1)>', 'first')).json()).toEqual({ duplicate: false });
    expect((await v.say('<img src=x onerror=alert(1)>', 'first')).json()).toEqual({ duplicate: true });
    await runJobs(w.t);
    const arrived = await agent.next('message.created', (d) => d.direction === 'in');
    const conversationId = arrived.data.conversationId as string;
    // The visitor's socket learns its new conversation from that first message.
    expect((await vs.next('message.created')).data).toMatchObject({ conversationId, direction: 'in', kind: 'text' });
    expect(await count(w.t, 'messages', ws.workspace.id)).toBe(1);
    const conversation = (await ws.client.get(`/api/v1/conversations/${conversationId}`)).json().conversation;
    expect(conversation.contact.name).toBe('李雷');
    const messages = (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items;
    expect(messages[0].text).toBe('<img src=x onerror=alert(1)>');

    // The pre-chat answers land on the new contact once it exists (the visitor's socket learnt of
    // it), unverified: the e-mail, and the answer whose key is a custom field of the workspace.
    const contactOf = async () => (await ws.client.get(`/api/v1/contacts/${conversation.contact.id}`)).json().contact;
    await expect.poll(async () => (await contactOf()).email).toBe('li@example.com');
    expect((await contactOf()).custom).toEqual({ order: 'A-1' });
    expect((await v.start()).conversationId).toBe(conversationId);

    // Typing both ways.
    vs.send({ type: 'typing', typing: true });
    expect((await agent.next('typing', (d) => d.conversationId === conversationId)).data).toMatchObject({ memberId: null, contact: true, typing: true });
    agent.send({ type: 'typing', conversationId, typing: true });
    expect((await vs.next('typing')).data).toEqual({ conversationId, typing: true });

    // A note, then a reply: the visitor gets the reply, never the note.
    expect((await ws.client.post(`/api/v1/conversations/${conversationId}/notes`, { text: 'VIP — secret note' })).statusCode).toBe(201);
    expect((await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text: 'Hello 李雷' })).statusCode).toBe(202);
    await runJobs(w.t);
    const reply = await vs.next('message.created', (d) => d.direction === 'out');
    await vs.next('message.status_changed', (d) => d.status === 'sent');
    expect(vs.events.some((e) => e.data.direction === 'note' || JSON.stringify(e).includes('secret note') || JSON.stringify(e).includes(ws.memberId))).toBe(false);
    const seen = await v.messages();
    expect(seen.conversationId).toBe(conversationId);
    expect(seen.items.map((m) => [m.direction, m.text])).toEqual([
      ['out', 'Hello 李雷'],
      ['in', '<img src=x onerror=alert(1)>'],
    ]);
    expect(seen.items[0]!.id).toBe(reply.data.messageId);

    // Unread badge: one of ours until the visitor reads.
    expect((await v.start()).unread).toBe(1);
    expect((await v.request('POST', '/read')).json()).toEqual({ unread: 0 });
    expect((await v.start()).unread).toBe(0);

    // Assignment is the agents' business; the other visitor hears nothing of this conversation.
    await ws.client.put(`/api/v1/conversations/${conversationId}/assignee`, { memberId: ws.memberId });
    expect((await other.request('POST', '/prechat', { answers: { name: 'Han Meimei' } })).statusCode).toBe(204);
    expect((await other.say('me too')).statusCode).toBe(202);
    await runJobs(w.t);
    await os.next('message.created', (d) => d.direction === 'in');
    expect(os.events.filter((e) => e.type !== 'ready' && e.data.conversationId === conversationId)).toEqual([]);
    expect(vs.events.some((e) => e.type === 'conversation.assigned')).toBe(false);
    expect((await other.messages()).items.map((m) => m.text)).toEqual(['me too']);
    // Status changes are the visitor's to know.
    await ws.client.post(`/api/v1/conversations/${conversationId}/status`, { status: 'resolved' });
    expect((await vs.next('conversation.status_changed')).data).toEqual({ conversationId, status: 'resolved' });
  });

  it('takes files within the inbox’s limits and serves them only to their visitor', async () => {
    const ws = await workspace('Files');
    const v = new Visitor(w.t.app, ws.channelId);
    await v.start();
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const upload = (data: Buffer, name: string, type: string) => {
      const boundary = 'x-boundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="clientMessageId"\r\n\r\nfile-1\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return v.request('POST', '/attachments', body, { 'content-type': `multipart/form-data; boundary=${boundary}` });
    };
    expect((await upload(Buffer.alloc(4096, 1), 'big.bin', 'application/octet-stream')).statusCode).toBe(413);
    expect((await upload(Buffer.from([0, 1, 2, 3]), 'x.exe', 'application/octet-stream')).statusCode).toBe(415);
    expect((await upload(png, 'dot.png', 'image/png')).statusCode).toBe(202);
    await runJobs(w.t);
    const [message] = (await v.messages()).items;
    expect(message).toMatchObject({ kind: 'image', attachments: [{ mimeType: 'image/png' }] });
    const file = await v.request('GET', `/attachments/${message!.attachments[0]!.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(png)).toBe(true);
    expect(file.headers['content-security-policy']).toContain('sandbox');
    const nosy = new Visitor(w.t.app, ws.channelId);
    await nosy.start();
    expect((await nosy.request('GET', `/attachments/${message!.attachments[0]!.id}`)).statusCode).toBe(404);
  });

  it('offline: no agent online, the visitor leaves an e-mail that lands on their contact', async () => {
    const ws = await workspace('Offline');
    const v = new Visitor(w.t.app, ws.channelId);
    expect((await v.start()).online).toBe(false);
    expect((await v.request('POST', '/email', { email: 'nope' })).statusCode).toBe(400);
    expect((await v.request('POST', '/email', { email: 'Visitor@Example.com' })).statusCode).toBe(204);
    await v.say('call me back');
    await runJobs(w.t);
    expect(await v.start()).toMatchObject({ emailLeft: true, online: false });
    const conversation = (await ws.client.get('/api/v1/conversations')).json().items[0];
    expect((await ws.client.get(`/api/v1/contacts/${conversation.contact.id}`)).json().contact.email).toBe('visitor@example.com');
    // An agent at the console: online.
    const agent = await agentSocket(ws.user);
    await agent.next('presence.changed', (d) => d.memberId === ws.memberId && d.status === 'online');
    expect((await v.start()).online).toBe(true);
  });

  it('limits how fast a visitor posts', async () => {
    const ws = await workspace('Flood');
    const v = new Visitor(w.t.app, ws.channelId);
    await v.start();
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await v.say(`m${i}`)).statusCode);
    expect(codes.filter((c) => c === 429).length).toBeGreaterThan(0);
    expect(codes.filter((c) => c === 202).length).toBeGreaterThanOrEqual(20);
  });
});

describe('two server instances on one database', () => {
  it('a visitor on one instance gets the reply an agent sends through the other', async () => {
    const ws = await workspace('Cluster');
    // A second process: its own pool and LISTEN on a server; on PGlite a second app over the same handle.
    const database: DatabaseHandle = testDbKind === 'postgres' ? await openDatabase({ url: w.t.database.url!, poolSize: 2 }) : w.t.database;
    const second = await buildApp({ db: database.db, database, config: w.t.config, logger: createLogger('silent') });
    await second.listen({ port: 0, host: '127.0.0.1' });
    try {
      const v = new Visitor(second, ws.channelId);
      await v.start();
      const vs = await v.socket();
      await vs.next('ready');
      expect((await v.say('from the second instance')).statusCode).toBe(202);
      await runJobs(w.t);
      await vs.next('message.created', (d) => d.direction === 'in');
      const { conversationId } = await v.messages();
      expect((await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text: 'answered through the first' })).statusCode).toBe(202);
      await runJobs(w.t);
      await vs.next('message.created', (d) => d.direction === 'out');
      await vs.close();
    } finally {
      await second.close();
      if (database !== w.t.database) await database.close();
    }
  });
});
