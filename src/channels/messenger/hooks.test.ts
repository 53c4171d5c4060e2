// Messenger and Instagram end to end: Meta's verification request and signed deliveries through
// the real /hooks route and the worker (message, referral as a follow with its source, files from
// Meta's CDN, deliveries), Test connection, and replies through the queue to a fake Send API on
// 127.0.0.1 (request shape, RESPONSE and HUMAN_AGENT, 5xx and 429 retried, an expired token, the window).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { count, makeDue, runJobs } from '../../../test/support/channel-world.js';
import { graphFailure, signedHeaders } from '../fake-graph.js';
import { FAKE_IG, FAKE_PAGE, IG_ID, JPEG, PAGE_ID, startFakeMessenger } from './fake-messenger.js';

const APP_SECRET = '0123456789abcdef0123456789abcdef';
const VERIFY_TOKEN = 'renmai-verify-token';
const PAGE_TOKEN = 'EAAG-a-page-access-token-for-tests';
const PSID = '6543210987654321';

let t: TestApp;
let fb: Awaited<ReturnType<typeof startFakeMessenger>>;
beforeAll(async () => {
  t = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    SEND_MAX_ATTEMPTS: '3',
  });
  fb = await startFakeMessenger();
});
afterAll(async () => {
  await fb.close();
  await t.close();
});

async function workspace(name: string, o: { type?: 'messenger' | 'instagram'; humanAgentTag?: boolean } = {}) {
  const owner = await signedInOwner(t, name);
  const type = o.type ?? 'messenger';
  const res = await owner.client.post('/api/v1/channels', {
    type,
    name,
    settings: { accountId: type === 'messenger' ? PAGE_ID : IG_ID, humanAgentTag: o.humanAgentTag ?? false, apiBaseUrl: fb.url },
    secrets: { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, pageAccessToken: PAGE_TOKEN },
  });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  return { ...owner, type, channelId: res.json().channel.id as string };
}
type Ws = Awaited<ReturnType<typeof workspace>>;

const webhook = (ws: Ws, messaging: Array<Record<string, unknown>>) => {
  const account = ws.type === 'messenger' ? PAGE_ID : IG_ID;
  return JSON.stringify({ object: ws.type === 'messenger' ? 'page' : 'instagram', entry: [{ id: account, time: Date.now(), messaging: messaging.map((m) => ({ sender: { id: PSID }, recipient: { id: account }, timestamp: Date.now(), ...m })) }] });
};
const post = (ws: Ws, body: string, headers = signedHeaders(APP_SECRET, body)) => t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body, headers });
let n = 0;
const text = (value: string, at = Date.now()) => ({ timestamp: at, message: { mid: `m_IN${++n}_${at}`, text: value } });

const conversationsOf = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; contact: { id: string } | null }>;
const messagesOf = async (ws: Ws, conversationId: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown> & { id: string }>;
const health = async (ws: Ws) => (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;

describe('messenger inbound', () => {
  it("answers Meta's verification request with the challenge; a wrong token is 403", async () => {
    const ws = await workspace('FB verify');
    const ok = await t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?hub.mode=subscribe&hub.challenge=987654&hub.verify_token=${VERIFY_TOKEN}` });
    expect([ok.statusCode, ok.body]).toEqual([200, '987654']);
    expect((await t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?hub.mode=subscribe&hub.challenge=987654&hub.verify_token=nope` })).statusCode).toBe(403);
  });

  it('refuses a wrong signature and a tampered body with 401, storing nothing', async () => {
    const ws = await workspace('FB refuse');
    const body = webhook(ws, [text('hi')]);
    expect((await post(ws, body, signedHeaders('fedcba9876543210fedcba9876543210', body))).statusCode).toBe(401);
    expect((await post(ws, body.replace('"hi"', '"ho"'), signedHeaders(APP_SECRET, body))).statusCode).toBe(401);
    await runJobs(t);
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(t, table, ws.workspace.id)).toBe(0);
    expect(await health(ws)).toMatchObject({ refusedCount: 2 });
  });

  it('a signed message creates contact, identity, conversation and message; ten deliveries store one', async () => {
    const ws = await workspace('FB once');
    const body = webhook(ws, [text('你好，请问营业时间？')]);
    for (let i = 0; i < 10; i++) expect((await post(ws, body)).statusCode).toBe(200);
    await runJobs(t);
    expect(await count(t, 'inbound_events', ws.workspace.id)).toBe(1);
    expect(await count(t, 'messages', ws.workspace.id)).toBe(1);
    const [conversation] = await conversationsOf(ws);
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation!.contact!.id}`)).json().contact;
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'messenger', externalId: PSID })]);
    expect(await messagesOf(ws, conversation!.id)).toEqual([expect.objectContaining({ direction: 'in', kind: 'text', text: '你好，请问营业时间？' })]);
  });

  it('an m.me referral is a follow carrying the code; an image is fetched from its URL without the token', async () => {
    const ws = await workspace('FB referral');
    await post(ws, webhook(ws, [{ referral: { ref: 'k3j9x0a2b4c6', source: 'SHORTLINK', type: 'OPEN_THREAD' } }, { message: { mid: `m_IMG${Date.now()}`, attachments: [{ type: 'image', payload: { url: `${fb.url}/cdn/photo.jpg?oh=signed` } }] } }]));
    await runJobs(t);
    const follows = await t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'inbox.channel_relation.changed').execute();
    expect(follows.map((f) => f.payload)).toEqual([expect.objectContaining({ kind: 'follow', source: 'k3j9x0a2b4c6' })]);
    const [conversation] = await conversationsOf(ws);
    const [image] = await messagesOf(ws, conversation!.id);
    expect(image).toMatchObject({ kind: 'image', attachments: [expect.objectContaining({ mimeType: 'image/jpeg', sizeBytes: JPEG.length })] });
    const [download] = fb.calls('/cdn/photo.jpg');
    expect(download!.headers.authorization).toBeUndefined();
  });

  it('Instagram: object "instagram" for the account, an instagram identity, Test connection names the username', async () => {
    const ws = await workspace('IG once', { type: 'instagram' });
    await post(ws, webhook(ws, [text('有现货吗')]));
    await runJobs(t);
    const [conversation] = await conversationsOf(ws);
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation!.contact!.id}`)).json().contact;
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'instagram', externalId: PSID })]);
    const res = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(res.json()).toEqual({ ok: true, account: { accountId: IG_ID, name: FAKE_IG.name, username: FAKE_IG.username } });
  });
});

describe('messenger outbound', () => {
  async function conversation(name: string, at = Date.now(), o: { humanAgentTag?: boolean } = {}) {
    const ws = await workspace(name, o);
    await post(ws, webhook(ws, [text('hello', at)]));
    await runJobs(t);
    const [c] = await conversationsOf(ws);
    return { ...ws, conversationId: c!.id };
  }
  const reply = async (ws: Ws & { conversationId: string }, value: string) => {
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { kind: 'text', text: value });
    expect(res.statusCode).toBe(202);
    return res.json().message.id as string;
  };
  const message = async (ws: Ws & { conversationId: string }, id: string) => (await messagesOf(ws, ws.conversationId)).find((m) => m.id === id)!;

  it('Test connection reads the Page; replies within 24 hours go as RESPONSE to /me/messages with the Page token, and deliveries follow', async () => {
    const ws = await conversation('FB reply');
    expect((await ws.client.post(`/api/v1/channels/${ws.channelId}/test`)).json()).toEqual({ ok: true, account: { accountId: PAGE_ID, name: FAKE_PAGE.name } });
    const before = fb.sends().length;
    const id = await reply(ws, '您好，我们 9 点开门');
    await runJobs(t);
    const [call] = fb.sends().slice(before);
    expect(call!.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    expect(call!.path).not.toContain('access_token');
    expect(call!.json()).toEqual({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: '您好，我们 9 点开门' } });
    const sent = await message(ws, id);
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^m_FAKE/) });
    await post(ws, webhook(ws, [{ delivery: { mids: [sent.providerMessageId], watermark: Date.now() } }]));
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'delivered' });
  });

  it('a file goes up with the message (multipart filedata) after the text; Instagram takes no files', async () => {
    const ws = await conversation('FB file');
    const boundary = 'renmai-test-boundary';
    const upload = await ws.client.request(
      'POST',
      '/api/v1/attachments',
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="menu.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), JPEG, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
    );
    const before = fb.sends().length;
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { kind: 'image', text: '今日菜单', attachmentIds: [upload.json().attachment.id] });
    expect(res.statusCode).toBe(202);
    await runJobs(t);
    const [textCall, fileCall] = fb.sends().slice(before);
    expect(textCall!.json()).toEqual({ recipient: { id: PSID }, messaging_type: 'RESPONSE', message: { text: '今日菜单' } });
    const form = await fileCall!.form();
    expect(JSON.parse(String(form.get('recipient')))).toEqual({ id: PSID });
    expect(form.get('messaging_type')).toBe('RESPONSE');
    expect(JSON.parse(String(form.get('message')))).toEqual({ attachment: { type: 'image', payload: { is_reusable: false } } });
    expect((form.get('filedata') as File).size).toBe(JPEG.length);
    expect(fileCall!.headers.authorization).toBe(`Bearer ${PAGE_TOKEN}`);
    const ig = await workspace('IG file', { type: 'instagram' });
    expect((await ig.client.get(`/api/v1/channels/${ig.channelId}`)).json().channel.capabilities.messageKinds).toEqual(['text', 'link']);
  });

  it('after 24 hours: refused without the human agent setting; with it, a person replies with the HUMAN_AGENT tag', async () => {
    const closed = await conversation('FB window', Date.now() - 30 * 3600_000);
    const res = await closed.client.post(`/api/v1/conversations/${closed.conversationId}/messages`, { kind: 'text', text: 'late' });
    expect([res.statusCode, res.json().reason]).toEqual([409, 'outside_reply_window']);
    const tagged = await conversation('FB human agent', Date.now() - 30 * 3600_000, { humanAgentTag: true });
    const before = fb.sends().length;
    const id = await reply(tagged, 'Sorry for the wait');
    await runJobs(t);
    expect(fb.sends().slice(before).map((r) => r.json())).toEqual([{ recipient: { id: PSID }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'Sorry for the wait' } }]);
    expect(await message(tagged, id)).toMatchObject({ status: 'sent' });
  });

  it('retries a 5xx and a 429 rate limit, then sends; an expired Page token is a dead letter with token_expired', async () => {
    const ws = await conversation('FB retry');
    fb.failSend(graphFailure(500, 2, 'An unexpected error has occurred. Please retry your request later.'), graphFailure(429, 613, 'Calls to this API have exceeded the rate limit.', { headers: { 'retry-after': '20' } }));
    const id = await reply(ws, 'later');
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', attempts: 1, errorReason: 'provider_unavailable' });
    await makeDue(t);
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', attempts: 2, errorReason: 'rate_limited' });
    await makeDue(t);
    await t.database.db.updateTable('channels').set({ send_paused_until: null }).where('id', '=', ws.channelId).execute();
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'sent' });

    fb.failSend(graphFailure(400, 190, 'Error validating access token: Session has expired on Friday.', { subcode: 463 }));
    const expired = await reply(ws, 'x');
    await runJobs(t);
    expect(await message(ws, expired)).toMatchObject({ status: 'failed', errorReason: 'token_expired' });
    expect(await health(ws)).toMatchObject({ credentialsProblem: 'token_expired' });
  });

  it("Meta's own window refusal (10 / 2018278) and an unavailable person (551) fail at once with their reasons", async () => {
    const ws = await conversation('FB refusals');
    fb.failSend(graphFailure(400, 10, 'This message is sent outside of allowed window.', { subcode: 2018278 }), graphFailure(400, 551, "This person isn't available right now.", { subcode: 1545041 }));
    const first = await reply(ws, 'one');
    await runJobs(t);
    const second = await reply(ws, 'two');
    await runJobs(t);
    expect(await message(ws, first)).toMatchObject({ status: 'failed', errorReason: 'outside_reply_window' });
    expect(await message(ws, second)).toMatchObject({ status: 'failed', errorReason: 'recipient_blocked' });
  });
});
