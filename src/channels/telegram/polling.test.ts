// Telegram by polling (a machine Telegram cannot reach): Connect removes the webhook, the worker's
// poll asks getUpdates from the saved cursor, stores the updates through the same intake as
// /hooks, confirms them with the next offset, and never stores one twice; two polls at once do
// not both poll (the lease).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signedInOwner, type TestApp } from '../../../test/support/app.js';
import { count, runJobs } from '../../../test/support/channel-world.js';
import { pollProvider, pollProviders } from '../../domains/inbox/provider-poll.js';
import { silentLogger } from '../../platform/queue/test-support.js';
import { startFakeTelegram } from './fake-telegram.js';

const TOKEN = '123456:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789';

let t: TestApp;
let tg: Awaited<ReturnType<typeof startFakeTelegram>>;
beforeAll(async () => {
  t = await createTestApp({ CHANNEL_ALLOW_PRIVATE_TARGETS: 'true', CHANNEL_SECRETS_KEY: Buffer.alloc(32, 7).toString('base64'), ATTACHMENTS_DIR: mkdtempSync(join(tmpdir(), 'renmai-attachments-')) });
  tg = await startFakeTelegram(TOKEN);
});
afterAll(async () => {
  await tg.close();
  await t.close();
});

let id = 80_000;
const textUpdate = (text: string, updateId = ++id) => ({
  update_id: updateId,
  message: { message_id: updateId, from: { id: 880001, is_bot: false, first_name: '阿明' }, chat: { id: 880001, type: 'private', first_name: '阿明' }, date: Math.floor(Date.now() / 1000), text },
});

describe('telegram polling delivery', () => {
  it('stores polled updates once, confirms them with the next offset, and connects by removing the webhook', async () => {
    const owner = await signedInOwner(t, 'TG polling');
    const res = await owner.client.post('/api/v1/channels', { type: 'telegram', name: 'Bot', settings: { apiBaseUrl: tg.url, delivery: 'polling' }, secrets: { botToken: TOKEN } });
    expect(res.statusCode, res.body).toBe(201);
    const channelId = res.json().channel.id as string;
    expect((await owner.client.post(`/api/v1/channels/${channelId}/connect`, {})).statusCode).toBe(200);
    expect(tg.calls('deleteWebhook')).toHaveLength(1);
    expect(tg.calls('setWebhook')).toHaveLength(0);

    const first = textUpdate('你好');
    tg.queueUpdates(first, textUpdate('在吗？'));
    expect(await pollProviders(t.database.db, t.config, silentLogger)).toEqual({ stored: 2 });
    await runJobs(t);
    expect(await count(t, 'messages', owner.workspace.id)).toBe(2);
    // The next poll confirms what was read (offset = last + 1): nothing new.
    expect(await pollProvider(t.database.db, t.config, silentLogger, owner.workspace.id, channelId)).toBe(0);
    expect((tg.calls('getUpdates').at(-1)!.json() as { offset: number }).offset).toBe(id + 1);
    // A crash after storing but before the cursor was saved: Telegram hands the update out again, and it is not stored twice.
    await t.database.db.updateTable('channel_poll_positions' as never).set({ cursor: String(first.update_id) } as never).where('channel_id' as never, '=', channelId as never).execute();
    tg.queueUpdates(first, textUpdate('third'));
    expect(await pollProvider(t.database.db, t.config, silentLogger, owner.workspace.id, channelId)).toBe(1);
    await runJobs(t);
    expect(await count(t, 'messages', owner.workspace.id)).toBe(3);
    // Confirms the last ones, leaving the fake's queue empty.
    expect(await pollProvider(t.database.db, t.config, silentLogger, owner.workspace.id, channelId)).toBe(0);
  });

  it('one channel is polled by one process at a time; a failed poll keeps the cursor and records the error', async () => {
    const owner = await signedInOwner(t, 'TG polling lease');
    const res = await owner.client.post('/api/v1/channels', { type: 'telegram', name: 'Bot', settings: { apiBaseUrl: tg.url, delivery: 'polling' }, secrets: { botToken: TOKEN } });
    const channelId = res.json().channel.id as string;
    tg.queueUpdates(textUpdate('one'));
    const [a, b] = await Promise.all([1, 2].map(() => pollProvider(t.database.db, t.config, silentLogger, owner.workspace.id, channelId)));
    expect(a! + b!).toBe(1);
    tg.fail('getUpdates', { status: 502, description: 'Bad Gateway' });
    expect(await pollProvider(t.database.db, t.config, silentLogger, owner.workspace.id, channelId)).toBe(0);
    const position = await t.database.db.selectFrom('channel_poll_positions' as never).selectAll().where('channel_id' as never, '=', channelId as never).executeTakeFirstOrThrow();
    expect(position).toMatchObject({ cursor: String(id + 1), last_error: expect.stringContaining('Bad Gateway'), leased_until: null });
    // A webhook channel is not polled.
    const hooked = await owner.client.post('/api/v1/channels', { type: 'telegram', name: 'Hooked', settings: { apiBaseUrl: tg.url }, secrets: { botToken: TOKEN } });
    expect(await pollProvider(t.database.db, t.config, silentLogger, owner.workspace.id, hooked.json().channel.id)).toBe(0);
  });
});
