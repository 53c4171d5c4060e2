// Aliyun SMS end to end: replies (SmsUp) and delivery receipts (SmsReport) pushed through the real
// /hooks route and the worker, TD recorded as the contact's SMS opt-out, signed SendSms calls through
// the queue to a fake dysmsapi on 127.0.0.1 that checks the signature, retries, Test connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { count, makeDue, runJobs } from '../../../test/support/channel-world.js';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, SIGN_NAME, startFakeAliyun } from './fake-aliyun.js';

const TOKEN = 'push-token-0123456789';
const CUSTOMER = '13800138000';

let t: TestApp;
let aliyun: Awaited<ReturnType<typeof startFakeAliyun>>;
beforeAll(async () => {
  t = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    SEND_MAX_ATTEMPTS: '3',
  });
  aliyun = await startFakeAliyun();
});
afterAll(async () => {
  await aliyun.close();
  await t.close();
});

async function workspace(name: string) {
  const owner = await signedInOwner(t, name);
  const res = await owner.client.post('/api/v1/channels', {
    type: 'aliyun_sms',
    name: '短信',
    settings: { signName: SIGN_NAME, templateCode: 'SMS_71390007', apiBaseUrl: aliyun.url },
    secrets: { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, callbackToken: TOKEN },
  });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  return { ...owner, channelId: res.json().channel.id as string };
}
type Ws = Awaited<ReturnType<typeof workspace>>;

const push = (ws: Ws, items: unknown[], token: string | null = TOKEN) =>
  t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}${token === null ? '' : `?token=${token}`}`, payload: JSON.stringify(items), headers: { 'content-type': 'application/json' } });
let seq = 1_000;
const up = (content: string) => ({ phone_number: CUSTOMER, send_time: '2026-12-02 18:30:00', content, sign_name: SIGN_NAME, dest_code: '', sequence_id: ++seq });

const conversationsOf = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; contact: { id: string } | null }>;
const messagesOf = async (ws: Ws, conversationId: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown> & { id: string }>;

describe('aliyun sms inbound', () => {
  it('refuses a push without the callback token or with another, storing nothing', async () => {
    const ws = await workspace('Aliyun refuse');
    expect((await push(ws, [up('你好')], null)).statusCode).toBe(401);
    expect((await push(ws, [up('你好')], 'push-token-9876543210')).statusCode).toBe(401);
    await runJobs(t);
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(t, table, ws.workspace.id)).toBe(0);
  });

  it('a reply creates contact (+86 phone identity), conversation and message; ten pushes store one; answered as Aliyun expects', async () => {
    const ws = await workspace('Aliyun once');
    const item = up('请问几点开门？');
    for (let i = 0; i < 10; i++) {
      const res = await push(ws, [item]);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ code: 0, msg: '成功' });
    }
    await runJobs(t);
    expect(await count(t, 'messages', ws.workspace.id)).toBe(1);
    const [conversation] = await conversationsOf(ws);
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation!.contact!.id}`)).json().contact;
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'phone', externalId: '+8613800138000' })]);
    expect(await messagesOf(ws, conversation!.id)).toEqual([expect.objectContaining({ direction: 'in', text: '请问几点开门？', providerMessageId: `up:${item.sequence_id}` })]);
  });
});

describe('aliyun sms outbound', () => {
  async function conversation(name: string) {
    const ws = await workspace(name);
    await push(ws, [up('在吗')]);
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

  it('sends a signed SendSms with the sign name, template and text; the receipt marks it delivered', async () => {
    const ws = await conversation('Aliyun send');
    const before = aliyun.calls('SendSms').length;
    const id = await reply(ws, '九点开门，欢迎光临');
    await runJobs(t);
    const [call] = aliyun.calls('SendSms').slice(before);
    expect(call).toMatchObject({ Action: 'SendSms', Version: '2017-05-25', PhoneNumbers: CUSTOMER, SignName: SIGN_NAME, TemplateCode: 'SMS_71390007', TemplateParam: '{"content":"九点开门，欢迎光临"}', OutId: id, AccessKeyId: ACCESS_KEY_ID, SignatureMethod: 'HMAC-SHA1' });
    const sent = await message(ws, id);
    expect(sent).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/\^0$/) });
    const receipt = { phone_number: CUSTOMER, send_time: '2026-12-02 18:31:00', report_time: '2026-12-02 18:31:05', success: true, err_code: 'DELIVERED', err_msg: '用户接收成功', sms_size: '1', biz_id: sent.providerMessageId, out_id: id };
    expect((await push(ws, [receipt])).statusCode).toBe(200);
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'delivered' });
  });

  it('a failed receipt fails the message; a wrong secret is refused by Aliyun as token_invalid', async () => {
    const ws = await conversation('Aliyun fail');
    const id = await reply(ws, '活动通知');
    await runJobs(t);
    const sent = await message(ws, id);
    await push(ws, [{ phone_number: CUSTOMER, report_time: '2026-12-02 18:31:05', success: false, err_code: 'MK:0001', err_msg: '号码无效', biz_id: sent.providerMessageId }]);
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', errorReason: 'provider_error' });
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { accessKeySecret: 'another-secret-of-thirty-chars!' } });
    const refused = await reply(ws, 'again');
    await runJobs(t);
    expect(await message(ws, refused)).toMatchObject({ status: 'failed', errorReason: 'token_invalid' });
  });

  it('retries a 5xx and the per-number frequency control (isv.BUSINESS_LIMIT_CONTROL), then sends', async () => {
    const ws = await conversation('Aliyun retry');
    aliyun.api.failNext('POST', '/', { status: 503, body: { Code: 'ServiceUnavailable', Message: 'The request has failed due to a temporary failure of the server.' } }, { body: { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控Permits:10' } });
    const before = aliyun.calls('SendSms').length;
    const id = await reply(ws, 'later');
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', errorReason: 'provider_unavailable' });
    await makeDue(t);
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', errorReason: 'rate_limited' });
    await makeDue(t);
    await t.database.db.updateTable('channels').set({ send_paused_until: null }).where('id', '=', ws.channelId).execute();
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'sent' });
    const nonces = aliyun.calls('SendSms').slice(before).map((c) => c.SignatureNonce);
    expect(new Set(nonces).size).toBe(3);
  });

  it('TD records the SMS opt-out and the next reply is refused (409 recipient_opted_out); START opts back in', async () => {
    const ws = await conversation('Aliyun TD');
    await push(ws, [up('TD')]);
    await runJobs(t);
    const contact = (await ws.client.get(`/api/v1/contacts/${ws.contactId}`)).json().contact;
    expect(contact.consents).toEqual([expect.objectContaining({ channelType: 'sms', status: 'opt_out', how: 'SMS keyword "TD"' })]);
    const refused = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: '双十二大促' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ reason: 'recipient_opted_out' });
    await push(ws, [up('start')]);
    await runJobs(t);
    const back = await reply(ws, '欢迎回来');
    await runJobs(t);
    expect(await message(ws, back)).toMatchObject({ status: 'sent' });
  });

  it('Test connection queries the sign name', async () => {
    const ws = await workspace('Aliyun test');
    const res = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(res.json()).toEqual({ ok: true, account: { name: SIGN_NAME } });
    expect(aliyun.calls('QuerySmsSign').at(-1)).toMatchObject({ SignName: SIGN_NAME });
  });
});
