// LINE end to end: signed webhooks through the real /hooks route and the worker, Test
// connection, replies through the queue to a fake Messaging API on 127.0.0.1 (reply token while
// fresh, push otherwise, with the retry key), content fetched by reference, and LINE's errors.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { count, makeDue, runJobs } from '../../../test/support/channel-world.js';
import { channelRelations } from '../../domains/channels/index.js';
import { inboxJobs } from '../../domains/inbox/index.js';
import { createHandlerRegistry, dispatchPending } from '../../platform/events/index.js';
import { createJobRegistry, createWorker } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { SIGNATURE_HEADER } from './adapter.js';
import { FAKE_BOT, JPEG, signedHeaders, startFakeLine } from './fake-line.js';

const SECRET = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const TOKEN = 'a-long-lived-channel-access-token-for-tests';

let t: TestApp;
let line: Awaited<ReturnType<typeof startFakeLine>>;
beforeAll(async () => {
  t = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    SEND_MAX_ATTEMPTS: '3',
  });
  line = await startFakeLine();
});
afterAll(async () => {
  await line.close();
  await t.close();
});

async function workspace(name: string) {
  const owner = await signedInOwner(t, name);
  const res = await owner.client.post('/api/v1/channels', { type: 'line', name: 'LINE', settings: { apiBaseUrl: line.url, dataApiBaseUrl: line.url }, secrets: { channelSecret: SECRET, channelAccessToken: TOKEN } });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  return { ...owner, channelId: res.json().channel.id as string };
}
type Ws = Awaited<ReturnType<typeof workspace>>;

const deliver = (ws: Ws, events: unknown[], headers = (body: string) => signedHeaders(SECRET, body)) => {
  const body = JSON.stringify({ destination: FAKE_BOT.userId, events });
  return t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body, headers: headers(body) });
};

const USER = 'U4af4980629000000000000000000000a';
let n = 0;
const messageEvent = (message: Record<string, unknown>, o: { timestamp?: number; source?: Record<string, unknown> } = {}) => ({
  type: 'message',
  mode: 'active',
  timestamp: o.timestamp ?? Date.now(),
  source: o.source ?? { type: 'user', userId: USER },
  webhookEventId: `01HZZ${++n}${Date.now()}`,
  deliveryContext: { isRedelivery: false },
  replyToken: `reply-token-${n}`,
  message: { quoteToken: 'q', ...message },
});

const conversationsOf = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; kind: string; contact: { id: string } | null }>;
const messagesOf = async (ws: Ws, conversationId: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown> & { id: string; attachments: unknown[] }>;

describe('line inbound', () => {
  it('answers the console Verify (signed, no events) with 200 and stores nothing', async () => {
    const ws = await workspace('LINE verify');
    expect((await deliver(ws, [])).statusCode).toBe(200);
    expect(await count(t, 'inbound_events', ws.workspace.id)).toBe(0);
  });

  it('refuses a wrong signature and a tampered body with 401, storing nothing', async () => {
    const ws = await workspace('LINE refuse');
    const event = messageEvent({ type: 'text', id: 'm-refused', text: 'hi' });
    expect((await deliver(ws, [event], (body) => signedHeaders('another-secret-of-32-characters!', body))).statusCode).toBe(401);
    const body = JSON.stringify({ destination: FAKE_BOT.userId, events: [event] });
    const tampered = await t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body.replace('"hi"', '"ho"'), headers: signedHeaders(SECRET, body) });
    expect(tampered.statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body, headers: { 'content-type': 'application/json' } })).statusCode).toBe(401);
    await runJobs(t);
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(t, table, ws.workspace.id)).toBe(0);
    expect((await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health).toMatchObject({ refusedCount: 3 });
  });

  it('a signed text message creates contact, identity, conversation and message; ten deliveries store one', async () => {
    const ws = await workspace('LINE once');
    const event = messageEvent({ type: 'text', id: 'm-once', text: 'こんにちは 你好' });
    for (let i = 0; i < 10; i++) expect((await deliver(ws, [event])).statusCode).toBe(200);
    await runJobs(t);
    expect(await count(t, 'inbound_events', ws.workspace.id)).toBe(1);
    expect(await count(t, 'messages', ws.workspace.id)).toBe(1);
    const [conversation] = await conversationsOf(ws);
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation!.contact!.id}`)).json().contact;
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'line', externalId: USER })]);
    expect(await messagesOf(ws, conversation!.id)).toEqual([expect.objectContaining({ direction: 'in', kind: 'text', text: 'こんにちは 你好', providerMessageId: 'm-once' })]);
  });

  it('an image is fetched by the worker from the content endpoint with the access token and attached', async () => {
    const ws = await workspace('LINE image');
    await deliver(ws, [messageEvent({ type: 'image', id: 'img-42', contentProvider: { type: 'line' } })]);
    await runJobs(t);
    const [conversation] = await conversationsOf(ws);
    const [message] = await messagesOf(ws, conversation!.id);
    expect(message).toMatchObject({ kind: 'image', attachments: [expect.objectContaining({ fileName: 'image-img-42.jpg', mimeType: 'image/jpeg', sizeBytes: JPEG.length })] });
    const [download] = line.calls('/v2/bot/message/img-42/content');
    expect(download!.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('a follow names the new contact from the LINE profile, read in the worker after the event is stored', async () => {
    const ws = await workspace('LINE follow');
    const friend = 'U00000000000000000000000000000f01';
    await deliver(ws, [{ type: 'follow', mode: 'active', timestamp: Date.now(), source: { type: 'user', userId: friend }, webhookEventId: `F${Date.now()}`, replyToken: 'r', follow: { isUnblocked: false } }]);
    // The inbox's jobs, the relation-facts job, and the events dispatched to its handler, until nothing is left.
    const relations = channelRelations(t.config);
    const handlers = createHandlerRegistry([relations.handler]);
    const worker = createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry([...inboxJobs(t.config), relations.job, ...handlers.jobs]), concurrency: 1, pollMs: 50 });
    for (let i = 0; i < 50; i++) {
      const dispatched = await dispatchPending(t.database.db, handlers, { limit: 100 });
      const ran = await worker.runOnce();
      if (!dispatched && !ran) break;
    }
    const [profileCall] = line.calls(`/v2/bot/profile/${friend}`);
    expect(profileCall!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const contacts = (await ws.client.get('/api/v1/contacts')).json().items as Array<{ name: string; avatarUrl: string | null }>;
    expect(contacts).toEqual([expect.objectContaining({ name: '林小姐', avatarUrl: 'https://profile.line-scdn.net/abc' })]);
  });

  it('a group message and a member joining go to the group conversation', async () => {
    const ws = await workspace('LINE group');
    const source = { type: 'group', groupId: 'Cgroup000000000000000000000000001', userId: USER };
    await deliver(ws, [
      { type: 'memberJoined', mode: 'active', timestamp: Date.now(), source: { type: 'group', groupId: source.groupId }, webhookEventId: `J${Date.now()}`, joined: { members: [{ type: 'user', userId: 'Unew' }] } },
      messageEvent({ type: 'text', id: 'g-1', text: '大家好' }, { source }),
    ]);
    await runJobs(t);
    const conversations = await conversationsOf(ws);
    expect(conversations).toEqual([expect.objectContaining({ kind: 'group', contact: null })]);
    expect((await ws.client.get(`/api/v1/conversations/${conversations[0]!.id}/participants`)).json().items).toHaveLength(2);
  });
});

describe('line setup and outbound', () => {
  it('Test connection reads the bot info; a revoked token is a 502 problem with reason token_invalid', async () => {
    const ws = await workspace('LINE test');
    const res = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(res.json()).toEqual({ ok: true, account: { accountId: FAKE_BOT.userId, name: FAKE_BOT.displayName, username: FAKE_BOT.basicId } });
    expect(line.calls('/v2/bot/info').at(-1)!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    line.api.failNext('GET', '/v2/bot/info', { status: 401, body: { message: 'Authentication failed. Confirm that the access token in the authorization header is valid.' } });
    const bad = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(bad.statusCode).toBe(502);
    expect(bad.json()).toMatchObject({ code: 'provider_error', reason: 'token_invalid' });
    const connect = await ws.client.post(`/api/v1/channels/${ws.channelId}/connect`);
    expect(connect.statusCode).toBe(409);
    expect(connect.json()).toMatchObject({ reason: 'not_supported' });
  });

  async function conversation(name: string, receivedAt = Date.now()) {
    const ws = await workspace(name);
    const event = messageEvent({ type: 'text', id: `m-${name}`, text: 'hello' }, { timestamp: receivedAt });
    await deliver(ws, [event]);
    await runJobs(t);
    const [c] = await conversationsOf(ws);
    return { ...ws, conversationId: c!.id, replyToken: event.replyToken };
  }
  const reply = async (ws: { client: Ws['client']; conversationId: string }, text: string) => {
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text });
    expect(res.statusCode).toBe(202);
    return res.json().message.id as string;
  };
  const message = async (ws: Ws & { conversationId: string }, id: string) => (await messagesOf(ws, ws.conversationId)).find((m) => m.id === id)!;

  it('replies with the reply token while it is fresh; a used token falls back to push with the retry key', async () => {
    const ws = await conversation('LINE reply');
    const before = { reply: line.calls('/v2/bot/message/reply').length, push: line.calls('/v2/bot/message/push').length };
    const first = await reply(ws, '您好');
    await runJobs(t);
    const [replyCall] = line.calls('/v2/bot/message/reply').slice(before.reply);
    expect(replyCall!.json()).toEqual({ replyToken: ws.replyToken, messages: [{ type: 'text', text: '您好' }] });
    expect(replyCall!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await message(ws, first)).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^\d+$/) });
    // LINE refuses the token the second time: the same send goes out by push.
    line.api.failNext('POST', '/v2/bot/message/reply', { status: 400, body: { message: 'Invalid reply token' } });
    const second = await reply(ws, '还有问题吗？');
    await runJobs(t);
    const [push] = line.calls('/v2/bot/message/push').slice(before.push);
    expect(push!.json()).toEqual({ to: USER, messages: [{ type: 'text', text: '还有问题吗？' }] });
    expect(push!.headers['x-line-retry-key']).toBe(second);
    expect(await message(ws, second)).toMatchObject({ status: 'sent' });
  });

  it('pushes when the token is stale, retries a 5xx and a 429, and a push LINE already took (409) is sent', async () => {
    const ws = await conversation('LINE push', Date.now() - 120_000);
    const before = { reply: line.calls('/v2/bot/message/reply').length, push: line.calls('/v2/bot/message/push').length };
    line.api.failNext('POST', '/v2/bot/message/push', { status: 500, body: { message: 'Internal error' } }, { status: 429, headers: { 'retry-after': '30' }, body: { message: 'Too Many Requests' } }, { status: 409, headers: { 'x-line-accepted-request-id': 'accepted-1' }, body: { message: 'The retry key is already accepted' } });
    const id = await reply(ws, 'later');
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', attempts: 1, errorReason: 'provider_unavailable' });
    await makeDue(t);
    const failedAt = Date.now();
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', attempts: 2, errorReason: 'rate_limited' });
    const job = await t.database.db.selectFrom('jobs').select('run_at').where('workspace_id', '=', ws.workspace.id).where('name', '=', 'inbox.send').where('status', '=', 'queued').executeTakeFirstOrThrow();
    expect(job.run_at.getTime()).toBeGreaterThanOrEqual(failedAt + 30_000);
    await makeDue(t);
    await t.database.db.updateTable('channels').set({ send_paused_until: null }).where('id', '=', ws.channelId).execute();
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'sent', providerMessageId: 'accepted-1' });
    expect(line.calls('/v2/bot/message/reply').length).toBe(before.reply);
    const pushes = line.calls('/v2/bot/message/push').slice(before.push);
    expect(new Set(pushes.map((p) => p.headers['x-line-retry-key']))).toEqual(new Set([id]));
  });

  it('the monthly quota used up is a dead letter with reason quota_exceeded', async () => {
    const ws = await conversation('LINE quota', Date.now() - 120_000);
    line.api.failNext('POST', '/v2/bot/message/push', { status: 429, body: { message: 'You have reached your monthly limit.' } });
    const id = await reply(ws, 'over quota');
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', errorReason: 'quota_exceeded' });
  });
});

it('the signature header name is the documented one', () => expect(SIGNATURE_HEADER).toBe('x-line-signature'));
