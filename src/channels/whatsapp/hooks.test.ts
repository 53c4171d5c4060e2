// WhatsApp end to end: Meta's verification request and signed deliveries through the real /hooks
// route and the worker, media fetched in two steps, statuses on sent messages, Test connection,
// the template catalogue, and replies through the queue to a fake Cloud API on 127.0.0.1 (request
// shape, 5xx and 429 retried, an expired token, the 24-hour window).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { count, makeDue, runJobs } from '../../../test/support/channel-world.js';
import { graphFailure, signedHeaders } from '../fake-graph.js';
import { FAKE_NUMBER, JPEG, PHONE_NUMBER_ID, startFakeWhatsApp, WABA_ID } from './fake-whatsapp.js';

const APP_SECRET = '0123456789abcdef0123456789abcdef';
const VERIFY_TOKEN = 'renmai-verify-token';
const ACCESS_TOKEN = 'EAAG-a-system-user-access-token-for-tests';
const CUSTOMER = '16505551234';

let t: TestApp;
let wa: Awaited<ReturnType<typeof startFakeWhatsApp>>;
beforeAll(async () => {
  t = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    SEND_MAX_ATTEMPTS: '3',
  });
  wa = await startFakeWhatsApp();
});
afterAll(async () => {
  await wa.close();
  await t.close();
});

async function workspace(name: string) {
  const owner = await signedInOwner(t, name);
  const res = await owner.client.post('/api/v1/channels', {
    type: 'whatsapp',
    name: 'WhatsApp',
    settings: { phoneNumberId: PHONE_NUMBER_ID, wabaId: WABA_ID, apiBaseUrl: wa.url },
    secrets: { appSecret: APP_SECRET, verifyToken: VERIFY_TOKEN, accessToken: ACCESS_TOKEN },
  });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  return { ...owner, channelId: res.json().channel.id as string };
}
type Ws = Awaited<ReturnType<typeof workspace>>;

const webhook = (value: Record<string, unknown>) =>
  JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: WABA_ID, changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID }, ...value } }] }] });
const post = (ws: Ws, body: string, headers = signedHeaders(APP_SECRET, body)) => t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body, headers });

let n = 0;
const inbound = (message: Record<string, unknown>, at = Date.now()) =>
  webhook({ contacts: [{ profile: { name: 'Sheena Nelson' }, wa_id: CUSTOMER }], messages: [{ from: CUSTOMER, id: `wamid.IN${++n}${at}`, timestamp: String(Math.floor(at / 1000)), ...message }] });

const conversationsOf = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; contact: { id: string } | null }>;
const messagesOf = async (ws: Ws, conversationId: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown> & { id: string }>;
const health = async (ws: Ws) => (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;

describe('whatsapp inbound', () => {
  it("answers Meta's verification request with the challenge; a wrong token is 403 and counted", async () => {
    const ws = await workspace('WA verify');
    const ok = await t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${VERIFY_TOKEN}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    const bad = await t.app.inject({ method: 'GET', url: `/hooks/${ws.channelId}?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess` });
    expect(bad.statusCode).toBe(403);
    expect(await health(ws)).toMatchObject({ refusedCount: 1 });
  });

  it('refuses a wrong signature, a tampered body and a missing header with 401, storing nothing', async () => {
    const ws = await workspace('WA refuse');
    const body = inbound({ type: 'text', text: { body: 'hi' } });
    expect((await post(ws, body, signedHeaders('fedcba9876543210fedcba9876543210', body))).statusCode).toBe(401);
    expect((await post(ws, body.replace('"hi"', '"ho"'), signedHeaders(APP_SECRET, body))).statusCode).toBe(401);
    expect((await post(ws, body, { 'content-type': 'application/json' } as ReturnType<typeof signedHeaders>)).statusCode).toBe(401);
    await runJobs(t);
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(t, table, ws.workspace.id)).toBe(0);
    expect(await health(ws)).toMatchObject({ refusedCount: 3 });
  });

  it('a signed text creates contact, identity, conversation and message; ten deliveries store one', async () => {
    const ws = await workspace('WA once');
    const body = inbound({ type: 'text', text: { body: 'Does it come in another color? 有别的颜色吗' } });
    for (let i = 0; i < 10; i++) expect((await post(ws, body)).statusCode).toBe(200);
    await runJobs(t);
    expect(await count(t, 'inbound_events', ws.workspace.id)).toBe(1);
    expect(await count(t, 'messages', ws.workspace.id)).toBe(1);
    const [conversation] = await conversationsOf(ws);
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation!.contact!.id}`)).json().contact;
    expect(contact.name).toBe('Sheena Nelson');
    expect(contact.identities).toEqual(expect.arrayContaining([expect.objectContaining({ channelType: 'whatsapp', externalId: CUSTOMER })]));
    expect(await messagesOf(ws, conversation!.id)).toEqual([expect.objectContaining({ direction: 'in', kind: 'text', text: 'Does it come in another color? 有别的颜色吗' })]);
  });

  it("a live code's pre-filled text reaches inbox.message.received as the source", async () => {
    const ws = await workspace('WA code');
    await post(ws, inbound({ type: 'text', text: { body: 'Hello [k3j9x0a2b4c6]' } }));
    await runJobs(t);
    const received = await t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'inbox.message.received').execute();
    expect(received.map((r) => r.payload)).toEqual([expect.objectContaining({ source: 'k3j9x0a2b4c6' })]);
  });

  it('an image is fetched by the worker in two steps, both with the bearer token, and attached', async () => {
    const ws = await workspace('WA image');
    await post(ws, inbound({ type: 'image', image: { id: '4455667788', mime_type: 'image/jpeg', sha256: 'ignored', caption: 'this one' } }));
    await runJobs(t);
    const [conversation] = await conversationsOf(ws);
    const [message] = await messagesOf(ws, conversation!.id);
    expect(message).toMatchObject({ kind: 'image', text: 'this one', attachments: [expect.objectContaining({ mimeType: 'image/jpeg', sizeBytes: JPEG.length })] });
    const [info] = wa.calls('/v21.0/4455667788');
    expect(info!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    const file = wa.calls('/whatsapp_business/attachments/').find((r) => r.path.includes('mid=4455667788'));
    expect(file!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
  });
});

describe('whatsapp setup and outbound', () => {
  it('Test connection reads the phone number; an expired token is a 502 problem with reason token_expired', async () => {
    const ws = await workspace('WA test');
    const res = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(res.json()).toEqual({ ok: true, account: { accountId: PHONE_NUMBER_ID, name: FAKE_NUMBER.verified_name, username: FAKE_NUMBER.display_phone_number } });
    wa.api.failNext('GET', `/v21.0/${PHONE_NUMBER_ID}`, graphFailure(401, 190, 'Error validating access token: Session has expired on Tuesday.', { subcode: 463 }));
    const bad = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(bad.statusCode).toBe(502);
    expect(bad.json()).toMatchObject({ code: 'provider_error', reason: 'token_expired' });
    expect(bad.body).not.toContain(ACCESS_TOKEN);
  });

  it('GET /channels/{id}/templates reads the whole catalogue (two pages) with the token; a type without templates is 409', async () => {
    const ws = await workspace('WA templates');
    const before = wa.calls(`/v21.0/${WABA_ID}/message_templates`).length;
    const res = await ws.client.get(`/api/v1/channels/${ws.channelId}/templates`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      { name: 'order_update', language: 'en_US', status: 'approved', category: 'UTILITY', body: 'Your order {{1}} ships on {{2}}.', bodyParameterCount: 2 },
      { name: 'hello_world', language: 'zh_CN', status: 'approved', category: 'MARKETING', body: '你好，欢迎！', bodyParameterCount: 0 },
      { name: 'draft_offer', language: 'en_US', status: 'pending', category: 'MARKETING', body: 'Offer {{1}}', bodyParameterCount: 1 },
    ]);
    const calls = wa.calls(`/v21.0/${WABA_ID}/message_templates`).slice(before);
    expect(calls.map((c) => new URL(c.path, wa.url).searchParams.get('after'))).toEqual([null, 'page2']);
    expect(calls[0]!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    const api = await ws.client.post('/api/v1/channels', { type: 'api', name: 'API', settings: { url: 'https://example.com/hook' }, secrets: { secret: 'a channel secret of some length' } });
    const none = await ws.client.get(`/api/v1/channels/${api.json().channel.id}/templates`);
    expect([none.statusCode, none.json().reason]).toEqual([409, 'not_supported']);
  });

  async function conversation(name: string, at = Date.now()) {
    const ws = await workspace(name);
    await post(ws, inbound({ type: 'text', text: { body: 'hello' } }, at));
    await runJobs(t);
    const [c] = await conversationsOf(ws);
    return { ...ws, conversationId: c!.id };
  }
  const reply = async (ws: Ws & { conversationId: string }, body: Record<string, unknown>) => {
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, body);
    expect(res.statusCode).toBe(202);
    return res.json().message.id as string;
  };
  const message = async (ws: Ws & { conversationId: string }, id: string) => (await messagesOf(ws, ws.conversationId)).find((m) => m.id === id)!;

  it('sends a text in the documented shape; delivered and read statuses follow it, a late delivered does not undo read', async () => {
    const ws = await conversation('WA reply');
    const before = wa.sends().length;
    const id = await reply(ws, { kind: 'text', text: '有的，还有蓝色 https://example.com/blue' });
    await runJobs(t);
    const [call] = wa.sends().slice(before);
    expect(call!.headers.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(call!.json()).toEqual({ messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, type: 'text', text: { preview_url: true, body: '有的，还有蓝色 https://example.com/blue' } });
    const sent = await message(ws, id);
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^wamid\.FAKE/) });
    const status = (s: string, ts: number) => ({ id: sent.providerMessageId, status: s, timestamp: String(ts), recipient_id: CUSTOMER });
    const now = Math.floor(Date.now() / 1000);
    await post(ws, webhook({ statuses: [status('sent', now), status('delivered', now + 1), status('read', now + 2)] }));
    await post(ws, webhook({ statuses: [status('delivered', now + 1)] }));
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'read' });
  });

  it('uploads a file and sends it by media id with the text as caption', async () => {
    const ws = await conversation('WA file');
    const boundary = 'renmai-test-boundary';
    const upload = await ws.client.request(
      'POST',
      '/api/v1/attachments',
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="blue.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), JPEG, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
    );
    expect(upload.statusCode).toBe(201);
    const before = { sends: wa.sends().length, uploads: wa.calls(`/v21.0/${PHONE_NUMBER_ID}/media`).length };
    await reply(ws, { kind: 'image', text: '蓝色', attachmentIds: [upload.json().attachment.id as string] });
    await runJobs(t);
    const [uploadCall] = wa.calls(`/v21.0/${PHONE_NUMBER_ID}/media`).slice(before.uploads);
    const sentForm = await uploadCall!.form();
    expect(sentForm.get('messaging_product')).toBe('whatsapp');
    expect(sentForm.get('type')).toBe('image/jpeg');
    expect((sentForm.get('file') as File).size).toBe(JPEG.length);
    const [send] = wa.sends().slice(before.sends);
    expect(send!.json()).toMatchObject({ to: CUSTOMER, type: 'image', image: { id: expect.stringMatching(/^\d+$/), caption: '蓝色' } });
  });

  it('retries a 5xx and a 429 throughput error with the wait, then sends', async () => {
    const ws = await conversation('WA retry');
    wa.failSend(graphFailure(500, 131000, 'Something went wrong'), graphFailure(429, 130429, 'Rate limit hit', { headers: { 'retry-after': '30' } }));
    const id = await reply(ws, { kind: 'text', text: 'later' });
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
    expect(await message(ws, id)).toMatchObject({ status: 'sent' });
  });

  it('an expired token (190) is a dead letter with reason token_expired, shown on the channel health', async () => {
    const ws = await conversation('WA expired');
    wa.failSend(graphFailure(401, 190, 'Error validating access token: Session has expired.', { subcode: 463 }));
    const id = await reply(ws, { kind: 'text', text: 'x' });
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', errorReason: 'token_expired' });
    expect(await health(ws)).toMatchObject({ credentialsProblem: 'token_expired' });
  });

  it('outside the 24-hour window a free-form reply is refused with outside_reply_window and a template goes; a late 131047 fails the same way', async () => {
    const ws = await conversation('WA window', Date.now() - 25 * 3600_000);
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { kind: 'text', text: 'too late' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ reason: 'outside_reply_window' });
    // A template is what goes outside the window.
    const before = wa.sends().length;
    const templated = await reply(ws, { kind: 'text', text: 'Your order A-1001 ships on Monday.', template: { name: 'order_update', language: 'en_US', bodyParameters: ['A-1001', 'Monday'] } });
    await runJobs(t);
    expect(wa.sends().slice(before).map((r) => r.json())).toEqual([
      { messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, type: 'template', template: { name: 'order_update', language: { code: 'en_US' }, components: [{ type: 'body', parameters: [{ type: 'text', text: 'A-1001' }, { type: 'text', text: 'Monday' }] }] } },
    ]);
    expect(await message(ws, templated)).toMatchObject({ status: 'sent', text: 'Your order A-1001 ships on Monday.' });
    const fresh = await conversation('WA window 131047');
    wa.failSend(graphFailure(400, 131047, 'Re-engagement message'));
    const id = await reply(fresh, { kind: 'text', text: 'x' });
    await runJobs(t);
    expect(await message(fresh, id)).toMatchObject({ status: 'failed', errorReason: 'outside_reply_window' });
    // Taken by Meta, then failed in the status webhook: the same reason.
    const later = await reply(fresh, { kind: 'text', text: 'y' });
    await runJobs(t);
    const wamid = (await message(fresh, later)).providerMessageId;
    await post(fresh, webhook({ statuses: [{ id: wamid, status: 'failed', timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: CUSTOMER, errors: [{ code: 131047, title: 'Re-engagement message' }] }] }));
    await runJobs(t);
    expect(await message(fresh, later)).toMatchObject({ status: 'failed', errorReason: 'outside_reply_window' });
  });
});
