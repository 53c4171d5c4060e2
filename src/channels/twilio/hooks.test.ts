// Twilio end to end: signed form POSTs through the real /hooks route and the worker, STOP and
// START recorded as the contact's SMS consent, replies through the queue to a fake Twilio on
// 127.0.0.1 (request shape, StatusCallback, 5xx and 429 retried, an opted-out number refused at
// once), status callbacks updating the message, MMS media fetched with the account's credentials.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { count, makeDue, runJobs } from '../../../test/support/channel-world.js';
import { queueAutomaticMessage } from '../../domains/inbox/index.js';
import { timelineHandler } from '../../domains/timeline/index.js';
import { inTransaction } from '../../platform/db/transaction.js';
import { createHandlerRegistry, dispatchPending } from '../../platform/events/index.js';
import { createJobRegistry, createWorker } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { ACCOUNT_SID, AUTH_TOKEN, incomingSms, JPEG, newMediaSids, signedForm, startFakeTwilio } from './fake-twilio.js';

const PUBLIC_URL = 'https://crm.example.com';
const OUR_NUMBER = '+14155550100';
const CUSTOMER = '+14158675310';

let t: TestApp;
let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
beforeAll(async () => {
  t = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    SEND_MAX_ATTEMPTS: '3',
    PUBLIC_URL,
  });
  twilio = await startFakeTwilio();
});
afterAll(async () => {
  await twilio.close();
  await t.close();
});

async function workspace(name: string) {
  const owner = await signedInOwner(t, name);
  const res = await owner.client.post('/api/v1/channels', { type: 'twilio', name: 'SMS', settings: { accountSid: ACCOUNT_SID, from: OUR_NUMBER, apiBaseUrl: twilio.url }, secrets: { authToken: AUTH_TOKEN } });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  const channel = res.json().channel as { id: string; hookUrl: string };
  expect(channel.hookUrl).toBe(`${PUBLIC_URL}/hooks/${channel.id}`);
  return { ...owner, channelId: channel.id, hookUrl: channel.hookUrl };
}
type Ws = Awaited<ReturnType<typeof workspace>>;

/** A form POST signed for the channel's hook URL, as Twilio sends it; `tamper` changes the body after signing. */
const post = (ws: Ws, params: Record<string, string>, o: { token?: string; tamper?: (body: string) => string } = {}) => {
  const signed = signedForm(ws.hookUrl, params, o.token);
  return t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: o.tamper ? o.tamper(signed.payload) : signed.payload, headers: signed.headers });
};
const sms = (body: string) => incomingSms(CUSTOMER, OUR_NUMBER, body);

const conversationsOf = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; contact: { id: string } | null }>;
const messagesOf = async (ws: Ws, conversationId: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown> & { id: string; attachments: unknown[] }>;
const contactOf = async (ws: Ws, id: string) => (await ws.client.get(`/api/v1/contacts/${id}`)).json().contact as { identities: unknown[]; consents: Array<{ channelType: string; status: string; how: string; at: string }>; phone: string | null };

describe('twilio inbound', () => {
  it('refuses a wrong signature, tampered parameters and an unsigned POST with 401, storing nothing', async () => {
    const ws = await workspace('Twilio refuse');
    expect((await post(ws, sms('hi'), { token: 'fedcba9876543210fedcba9876543210' })).statusCode).toBe(401);
    expect((await post(ws, sms('hi'), { tamper: (b) => b.replace('Body=hi', 'Body=ho') })).statusCode).toBe(401);
    expect((await post(ws, sms('hi'), { tamper: (b) => `${b}&Injected=1` })).statusCode).toBe(401);
    const unsigned = await t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: new URLSearchParams(sms('hi')).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(unsigned.statusCode).toBe(401);
    await runJobs(t);
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(t, table, ws.workspace.id)).toBe(0);
    expect((await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health).toMatchObject({ refusedCount: 4 });
  });

  it('a signed SMS creates contact, phone identity, conversation and message; ten deliveries store one; Twilio gets empty TwiML', async () => {
    const ws = await workspace('Twilio once');
    const params = sms('Hi, is the shop open? 你好');
    for (let i = 0; i < 10; i++) {
      const res = await post(ws, params);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml/);
      expect(res.body).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    }
    await runJobs(t);
    expect(await count(t, 'inbound_events', ws.workspace.id)).toBe(1);
    expect(await count(t, 'messages', ws.workspace.id)).toBe(1);
    const [conversation] = await conversationsOf(ws);
    const contact = await contactOf(ws, conversation!.contact!.id);
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'phone', externalId: CUSTOMER })]);
    expect(contact.phone).toBe(CUSTOMER);
    expect(await messagesOf(ws, conversation!.id)).toEqual([expect.objectContaining({ direction: 'in', kind: 'text', text: 'Hi, is the shop open? 你好', providerMessageId: params.MessageSid })]);
  });

  it('an MMS picture is fetched by the worker with the account credentials and attached', async () => {
    const ws = await workspace('Twilio MMS');
    const ids = newMediaSids();
    const mediaPath = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${ids.message}/Media/${ids.media}`;
    await post(ws, { ...incomingSms(CUSTOMER, OUR_NUMBER, '', ids.message), NumMedia: '1', MediaContentType0: 'image/jpeg', MediaUrl0: `${twilio.url}${mediaPath}` });
    await runJobs(t);
    const [conversation] = await conversationsOf(ws);
    const [message] = await messagesOf(ws, conversation!.id);
    expect(message).toMatchObject({ kind: 'image', attachments: [expect.objectContaining({ mimeType: 'image/jpeg', sizeBytes: JPEG.length })] });
    expect(twilio.api.requests(mediaPath)[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
  });
});

describe('twilio outbound, consent and status', () => {
  async function conversation(name: string) {
    const ws = await workspace(name);
    await post(ws, sms('hello'));
    await runJobs(t);
    const [c] = await conversationsOf(ws);
    return { ...ws, conversationId: c!.id, contactId: c!.contact!.id };
  }
  type Conv = Awaited<ReturnType<typeof conversation>>;
  const reply = async (ws: Conv, text: string) => {
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text });
    expect(res.statusCode).toBe(202);
    return res.json().message.id as string;
  };
  const message = async (ws: Conv, id: string) => (await messagesOf(ws, ws.conversationId)).find((m) => m.id === id)!;

  it('sends through the Messages resource (Basic auth, To, From, Body, StatusCallback); a status callback marks it delivered', async () => {
    const ws = await conversation('Twilio send');
    const before = twilio.sends().length;
    const id = await reply(ws, 'We open at 9. 九点开门。');
    await runJobs(t);
    const [send] = twilio.sends().slice(before);
    expect(Object.fromEntries(send!.form)).toEqual({ To: CUSTOMER, From: OUR_NUMBER, Body: 'We open at 9. 九点开门。', StatusCallback: ws.hookUrl });
    expect(send!.headers.authorization).toBe(`Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
    const sent = await message(ws, id);
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^SM[0-9a-f]{32}$/) });
    const callback = (MessageStatus: string, extra: Record<string, string> = {}) =>
      post(ws, { AccountSid: ACCOUNT_SID, MessageSid: sent.providerMessageId as string, SmsSid: sent.providerMessageId as string, MessageStatus, SmsStatus: MessageStatus, From: OUR_NUMBER, To: CUSTOMER, ApiVersion: '2010-04-01', ...extra });
    expect((await callback('sent')).statusCode).toBe(200);
    expect((await callback('delivered')).statusCode).toBe(200);
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'delivered' });
  });

  it('an undelivered callback fails the message with the error code as its reason', async () => {
    const ws = await conversation('Twilio undelivered');
    const id = await reply(ws, 'are you there?');
    await runJobs(t);
    const sid = (await message(ws, id)).providerMessageId as string;
    await post(ws, { AccountSid: ACCOUNT_SID, MessageSid: sid, MessageStatus: 'undelivered', ErrorCode: '30003', From: OUR_NUMBER, To: CUSTOMER, ApiVersion: '2010-04-01' });
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', errorReason: 'recipient_not_found' });
  });

  it('retries a 5xx and a 429 (after Retry-After), then sends', async () => {
    const ws = await conversation('Twilio retry');
    const path = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
    twilio.api.failNext('POST', path, { status: 503, body: { code: 20500, message: 'Service Unavailable', status: 503 } }, { status: 429, headers: { 'retry-after': '30' }, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
    const before = twilio.sends().length;
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
    expect(twilio.sends().length - before).toBe(3);
  });

  it('STOP records the opt-out (when and how) and the next send fails at once; START opts back in', async () => {
    const ws = await conversation('Twilio STOP');
    await post(ws, sms('Stop'));
    await runJobs(t);
    const optedOut = await contactOf(ws, ws.contactId);
    expect(optedOut.consents).toEqual([expect.objectContaining({ channelType: 'sms', status: 'opt_out', how: 'SMS keyword "STOP"', at: expect.any(String) })]);
    // The STOP message itself is kept in the conversation.
    expect((await messagesOf(ws, ws.conversationId)).map((m) => m.text)).toContain('Stop');
    const changed = await t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'contacts.consent.changed').execute();
    expect(changed.map((e) => e.payload)).toEqual([expect.objectContaining({ contactId: ws.contactId, channelType: 'sms', status: 'opt_out' })]);
    // …and the timeline's handler puts it on the contact's timeline.
    const handlers = createHandlerRegistry([timelineHandler]);
    const worker = createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry(handlers.jobs), concurrency: 1, pollMs: 50 });
    for (let i = 0; i < 20 && ((await dispatchPending(t.database.db, handlers, { limit: 500 })) || (await worker.runOnce())); i++);
    const timeline = (await ws.client.get(`/api/v1/contacts/${ws.contactId}/timeline?types=consent_changed`)).json().items;
    expect(timeline).toEqual([expect.objectContaining({ type: 'consent_changed', props: { channel: 'sms', status: 'opt_out', previousStatus: null, how: 'SMS keyword "STOP"' } })]);

    const before = twilio.sends().length;
    const refused = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'Our sale starts today!' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ reason: 'recipient_opted_out' });
    // No auto-reply either (a keyword rule answering the STOP itself): skipped, nothing written.
    const automatic = await inTransaction(t.database.db, (tx) => queueAutomaticMessage(tx, t.config, { workspaceId: ws.workspace.id, target: { conversationId: ws.conversationId }, text: 'Thanks for your message!', reason: 'keyword' }));
    expect(automatic).toEqual({ skipped: 'recipient_opted_out' });

    await post(ws, sms('START'));
    await runJobs(t);
    expect((await contactOf(ws, ws.contactId)).consents).toEqual([expect.objectContaining({ channelType: 'sms', status: 'opt_in', how: 'SMS keyword "START"' })]);
    const id = await reply(ws, 'Welcome back');
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'sent' });
    expect(twilio.sends().length).toBe(before + 1);
  });

  it('a reply queued before the opt-out fails at once in the send job, nothing sent', async () => {
    const ws = await conversation('Twilio queued opt-out');
    const id = await reply(ws, 'Our sale starts today!');
    const opt = await ws.client.put(`/api/v1/contacts/${ws.contactId}/consents/sms`, { status: 'opt_out', how: 'asked on the phone' });
    expect(opt.statusCode).toBe(200);
    const before = twilio.sends().length;
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', errorReason: 'recipient_opted_out', attempts: 1 });
    expect(twilio.sends().length).toBe(before);
  });

  it("Twilio's own refusal of an unsubscribed number (21610) is a dead letter with reason recipient_opted_out, and recorded as the opt-out", async () => {
    const ws = await conversation('Twilio 21610');
    twilio.api.failNext('POST', `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, { status: 400, body: { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 } });
    const id = await reply(ws, 'hello?');
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', errorReason: 'recipient_opted_out' });
    // Twilio knew of an opt-out Renmai had not seen: it is recorded as the contact's consent.
    expect((await contactOf(ws, ws.contactId)).consents).toEqual([expect.objectContaining({ channelType: 'sms', status: 'opt_out', how: 'refused by the provider: the recipient opted out' })]);
  });

  it('Test connection reads the account; a wrong auth token is a 502 problem with reason token_invalid, the token not echoed', async () => {
    const ws = await workspace('Twilio test');
    const res = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(res.json()).toEqual({ ok: true, account: { accountId: ACCOUNT_SID, name: 'Renmai Test', username: OUR_NUMBER } });
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { authToken: 'fedcba9876543210fedcba9876543210' } });
    const bad = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(bad.statusCode).toBe(502);
    expect(bad.json()).toMatchObject({ code: 'provider_error', reason: 'token_invalid' });
    expect(bad.body).not.toContain('fedcba9876543210fedcba9876543210');
  });
});
