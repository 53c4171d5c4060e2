// Telegram end to end: updates through the real /hooks route and the worker, the console's
// Test connection and Connect, replies through the queue to a fake Bot API on 127.0.0.1, media by
// reference fetched by the worker, and the Bot API's errors (429 retry_after, 5xx, blocked).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { count, makeDue, runJobs } from '../../../test/support/channel-world.js';
import { intakeJob } from '../../domains/inbox/process.js';
import { createJobRegistry, createWorker } from '../../platform/queue/index.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { SECRET_HEADER, webhookSecretOf } from './adapter.js';
import { FAKE_BOT, PNG, startFakeTelegram } from './fake-telegram.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789';

let t: TestApp;
let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
beforeAll(async () => {
  t = await createTestApp({
    CHANNEL_ALLOW_PRIVATE_TARGETS: 'true',
    CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'),
    ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')),
    SEND_MAX_ATTEMPTS: '3',
    PUBLIC_URL: 'https://crm.example.com',
  });
  tg = await startFakeTelegram(TOKEN);
});
afterAll(async () => {
  await tg.close();
  await t.close();
});

async function workspace(name: string) {
  const owner = await signedInOwner(t, name);
  const res = await owner.client.post('/api/v1/channels', { type: 'telegram', name: 'Bot', settings: { apiBaseUrl: tg.url }, secrets: { botToken: TOKEN } });
  if (res.statusCode !== 201) throw new Error(`channel: ${res.statusCode} ${res.body}`);
  const channelId = res.json().channel.id as string;
  return { ...owner, channelId, secret: webhookSecretOf(TOKEN, channelId) };
}
type Ws = Awaited<ReturnType<typeof workspace>>;

const post = (ws: Ws, body: string, secret: string | null = ws.secret) =>
  t.app.inject({ method: 'POST', url: `/hooks/${ws.channelId}`, payload: body, headers: { 'content-type': 'application/json', ...(secret === null ? {} : { [SECRET_HEADER]: secret }) } });

let updateId = 50_000;
const update = (message: Record<string, unknown>, chat: Record<string, unknown> = { id: 777001, type: 'private', first_name: '小明' }) =>
  JSON.stringify({ update_id: ++updateId, message: { message_id: updateId, from: { id: 777001, is_bot: false, first_name: '小明', username: 'xm' }, chat, date: Math.floor(Date.now() / 1000), ...message } });

const conversationsOf = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string; kind: string; groupName: string | null; contact: { id: string; name: string } | null }>;
const messagesOf = async (ws: Ws, conversationId: string) => (await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown> & { id: string; attachments: unknown[] }>;

describe('telegram inbound', () => {
  it('refuses a missing or wrong secret token with 401, stores nothing and counts it', async () => {
    const ws = await workspace('TG refuse');
    expect((await post(ws, update({ text: 'hi' }), null)).statusCode).toBe(401);
    expect((await post(ws, update({ text: 'hi' }), webhookSecretOf(TOKEN, 'another-channel'))).statusCode).toBe(401);
    await runJobs(t);
    for (const table of ['inbound_events', 'messages', 'conversations', 'contacts'] as const) expect(await count(t, table, ws.workspace.id)).toBe(0);
    expect((await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health).toMatchObject({ refusedCount: 2 });
  });

  it('a /start update creates contact, identity, conversation and message, and a follow with the deep link source; ten deliveries store it once', async () => {
    const ws = await workspace('TG start');
    const body = update({ text: '/start ch_7f3a', entities: [{ offset: 0, length: 6, type: 'bot_command' }] });
    for (let i = 0; i < 10; i++) expect((await post(ws, body)).statusCode).toBe(200);
    await runJobs(t);
    expect(await count(t, 'messages', ws.workspace.id)).toBe(1);
    expect(await count(t, 'inbound_events', ws.workspace.id)).toBe(2);
    const [conversation] = await conversationsOf(ws);
    expect(conversation).toMatchObject({ kind: 'direct', contact: { name: '小明' } });
    const contact = (await ws.client.get(`/api/v1/contacts/${conversation!.contact!.id}`)).json().contact;
    expect(contact.identities).toEqual([expect.objectContaining({ channelType: 'telegram', externalId: '777001' })]);
    expect(await messagesOf(ws, conversation!.id)).toEqual([expect.objectContaining({ direction: 'in', kind: 'text', text: '/start ch_7f3a' })]);
    const follows = await t.database.db.selectFrom('outbox_events').select('payload').where('workspace_id', '=', ws.workspace.id).where('type', '=', 'inbox.channel_relation.changed').execute();
    expect(follows.map((f) => f.payload)).toEqual([expect.objectContaining({ kind: 'follow', source: 'ch_7f3a', contactId: contact.id })]);
  });

  it('a photo shows at once and its file is fetched by the worker (getFile, then the download) and attached', async () => {
    const ws = await workspace('TG photo');
    const before = tg.calls('getFile').length;
    await post(ws, update({ caption: '看这个', photo: [{ file_id: 'tiny', width: 90, height: 90 }, { file_id: 'large-1', width: 800, height: 600 }] }));
    // Only the intake job: the message exists before its file does.
    const intakeOnly = createWorker({ db: t.database.db, logger: silentLogger, registry: createJobRegistry([intakeJob]), concurrency: 1, pollMs: 50 });
    while (await intakeOnly.runOnce());
    const [conversation] = await conversationsOf(ws);
    const [shown] = await messagesOf(ws, conversation!.id);
    expect(shown).toMatchObject({ kind: 'image', text: '看这个', attachments: [] });
    await makeDue(t);
    await runJobs(t);
    expect(tg.calls('getFile').slice(before).map((r) => r.json())).toEqual([{ file_id: 'large-1' }]);
    const [fetched] = await messagesOf(ws, conversation!.id);
    expect(fetched!.attachments).toEqual([expect.objectContaining({ fileName: expect.stringMatching(/^photo-.*\.jpg$/), mimeType: 'image/png', sizeBytes: PNG.length })]);
    const url = (fetched!.attachments[0] as { url: string }).url;
    expect((await ws.client.get(url)).rawPayload.equals(PNG)).toBe(true);
  });

  it('a file Telegram fails to serve is retried with backoff, then fetched', async () => {
    const ws = await workspace('TG media retry');
    tg.fail('getFile', { status: 502, description: 'Bad Gateway' });
    await post(ws, update({ document: { file_id: 'doc-9', file_name: 'a.png', mime_type: 'image/png' } }));
    await runJobs(t);
    const [conversation] = await conversationsOf(ws);
    expect((await messagesOf(ws, conversation!.id))[0]!.attachments).toEqual([]);
    const job = await t.database.db.selectFrom('jobs').select(['status', 'attempts', 'last_error']).where('workspace_id', '=', ws.workspace.id).where('name', '=', 'inbox.fetch-media').executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'queued', attempts: 1, last_error: expect.stringContaining('Bad Gateway') });
    await makeDue(t);
    await runJobs(t);
    expect((await messagesOf(ws, conversation!.id))[0]!.attachments).toHaveLength(1);
  });

  it('group messages go to one group conversation with its title, each with its writer', async () => {
    const ws = await workspace('TG group');
    const group = { id: -100777, type: 'supergroup', title: 'VIP 群' };
    await post(ws, update({ new_chat_members: [{ id: 777002, is_bot: false, first_name: 'Ann' }] }, group));
    await post(ws, update({ text: '大家好' }, group));
    await runJobs(t);
    const conversations = await conversationsOf(ws);
    expect(conversations).toEqual([expect.objectContaining({ kind: 'group', groupName: 'VIP 群', contact: null })]);
    const participants = (await ws.client.get(`/api/v1/conversations/${conversations[0]!.id}/participants`)).json().items;
    expect(participants).toHaveLength(2);
  });
});

describe('telegram setup', () => {
  it('Test connection calls getMe and shows the bot; a bad token is a 502 problem with reason token_invalid', async () => {
    const ws = await workspace('TG test');
    const res = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, account: { accountId: String(FAKE_BOT.id), name: FAKE_BOT.first_name, username: FAKE_BOT.username } });
    tg.fail('getMe', { status: 401, description: 'Unauthorized' });
    const bad = await ws.client.post(`/api/v1/channels/${ws.channelId}/test`);
    expect(bad.statusCode).toBe(502);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.json()).toMatchObject({ code: 'provider_error', reason: 'token_invalid', kind: 'auth' });
    expect(bad.body).not.toContain(TOKEN);
    // The health panel's token state: refused now; a working test clears it, as new credentials do.
    const health = async () => (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;
    expect(await health()).toMatchObject({ credentialsProblem: 'token_invalid', credentialsCheckedAt: expect.any(String) });
    expect((await ws.client.post(`/api/v1/channels/${ws.channelId}/test`)).statusCode).toBe(200);
    expect(await health()).toMatchObject({ credentialsProblem: null });
    // A timeout or a 5xx says nothing of the token.
    tg.fail('getMe', { status: 502, description: 'Bad Gateway' });
    expect((await ws.client.post(`/api/v1/channels/${ws.channelId}/test`)).json()).toMatchObject({ reason: 'provider_unavailable' });
    expect(await health()).toMatchObject({ credentialsProblem: null });
  });

  it('Connect calls setWebhook with the hook URL and the secret token that /hooks then accepts', async () => {
    const ws = await workspace('TG connect');
    const res = await ws.client.post(`/api/v1/channels/${ws.channelId}/connect`);
    expect(res.statusCode).toBe(200);
    const hookUrl = `https://crm.example.com/hooks/${ws.channelId}`;
    expect(res.json()).toEqual({ ok: true, hookUrl });
    const call = tg.calls('setWebhook').at(-1)!.json() as { url: string; secret_token: string; allowed_updates: string[] };
    expect(call).toMatchObject({ url: hookUrl, allowed_updates: ['message', 'my_chat_member'] });
    expect((await post(ws, update({ text: 'hello' }), call.secret_token)).statusCode).toBe(200);
    const types = (await ws.client.get('/api/v1/channel-types')).json().items;
    expect(types.find((x: { type: string }) => x.type === 'telegram')).toMatchObject({ hooks: true, testable: true, setup: { webhook: 'connect', steps: expect.arrayContaining([expect.objectContaining({ key: 'connect', showHookUrl: true })]) } });
  });
});

describe('telegram outbound', () => {
  async function conversation(name: string) {
    const ws = await workspace(name);
    await post(ws, update({ text: 'hello' }));
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

  it('sends text with sendMessage and a picture with sendPhoto (multipart, the text as caption)', async () => {
    const ws = await conversation('TG send');
    const before = { text: tg.calls('sendMessage').length, photo: tg.calls('sendPhoto').length };
    const id = await reply(ws, { text: '您好！' });
    await runJobs(t);
    expect(tg.calls('sendMessage').slice(before.text).map((r) => r.json())).toEqual([{ chat_id: '777001', text: '您好！' }]);
    expect(await message(ws, id)).toMatchObject({ status: 'sent', providerMessageId: expect.stringMatching(/^777001:\d+$/) });

    const boundary = 'renmai-test-boundary';
    const upload = await ws.client.request(
      'POST',
      '/api/v1/attachments',
      Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="pic.png"\r\nContent-Type: image/png\r\n\r\n`), PNG, Buffer.from(`\r\n--${boundary}--\r\n`)]),
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
    );
    const attachmentId = upload.json().attachment.id as string;
    await reply(ws, { kind: 'image', text: '报价单', attachmentIds: [attachmentId] });
    await runJobs(t);
    const [photo] = tg.calls('sendPhoto').slice(before.photo);
    const form = await photo!.form();
    expect(form.get('chat_id')).toBe('777001');
    expect(form.get('caption')).toBe('报价单');
    const file = form.get('photo') as File;
    expect(file.name).toBe('pic.png');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it("honours 429 retry_after: the retry waits that long and the channel pauses; a 5xx is retried with backoff", async () => {
    const ws = await conversation('TG 429');
    tg.fail('sendMessage', { status: 429, description: 'Too Many Requests: retry after 34', retryAfter: 34 });
    const id = await reply(ws, { text: 'slow' });
    const failedAt = Date.now();
    await runJobs(t);
    const job = await t.database.db.selectFrom('jobs').select('run_at').where('workspace_id', '=', ws.workspace.id).where('name', '=', 'inbox.send').where('status', '=', 'queued').executeTakeFirstOrThrow();
    expect(job.run_at.getTime()).toBeGreaterThanOrEqual(failedAt + 34_000);
    expect(job.run_at.getTime()).toBeLessThan(failedAt + 44_000);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', errorReason: 'rate_limited', lastError: expect.stringContaining('retry after 34') });
    tg.fail('sendMessage', { status: 500, description: 'Internal Server Error' });
    await makeDue(t);
    await t.database.db.updateTable('channels').set({ send_paused_until: null }).where('id', '=', ws.channelId).execute();
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', attempts: 2, errorReason: 'provider_unavailable' });
    await makeDue(t);
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'sent', attempts: 3, errorReason: null, lastError: null });
  });

  it('a user who blocked the bot: the reply fails at once with reason recipient_blocked', async () => {
    const ws = await conversation('TG blocked');
    tg.fail('sendMessage', { status: 403, description: 'Forbidden: bot was blocked by the user' });
    const id = await reply(ws, { text: 'anyone?' });
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', attempts: 1, errorReason: 'recipient_blocked' });
    const dead = (await ws.client.get(`/api/v1/dead-letters?channelId=${ws.channelId}`)).json().items;
    expect(dead).toEqual([expect.objectContaining({ id, errorReason: 'recipient_blocked' })]);
  });

  it('a send refused as unauthorised marks the token invalid on the channel; new credentials clear it', async () => {
    const ws = await conversation('TG revoked');
    tg.fail('sendMessage', { status: 401, description: 'Unauthorized' });
    const id = await reply(ws, { text: 'hello?' });
    await runJobs(t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', errorReason: 'token_invalid' });
    const health = async () => (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;
    expect(await health()).toMatchObject({ credentialsProblem: 'token_invalid' });
    expect((await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { botToken: TOKEN } })).statusCode).toBe(200);
    expect(await health()).toMatchObject({ credentialsProblem: null });
  });
});
