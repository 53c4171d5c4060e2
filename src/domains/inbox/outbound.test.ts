// Outbound through the queue against a fake provider on 127.0.0.1: the request it receives, retry
// with backoff after a 5xx, the provider's Retry-After on a 429, the dead-letter list and its retry,
// and the channel's rate limit. Time is played forward by making delayed jobs due (no waiting).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../channels/api/adapter.js';
import { deliver, inboxWorld, makeDue, runJobs, SECRET, textEvent, workspaceWithChannel, type InboxWorld } from '../../../test/support/channel-world.js';

let w: InboxWorld;
beforeAll(async () => (w = await inboxWorld({ SEND_MAX_ATTEMPTS: '3' })));
afterAll(() => w.close());

/** A workspace with one conversation (from customer `u1`); returns its id too. */
async function conversation(name: string, channel: Record<string, unknown> = {}) {
  const ws = await workspaceWithChannel(w, name, channel);
  await deliver(w.t, ws.channelId, [textEvent('u1', 'hello')]);
  await runJobs(w.t);
  const id = (await ws.client.get('/api/v1/conversations')).json().items[0].id as string;
  return { ...ws, conversationId: id };
}

const message = async (ws: Awaited<ReturnType<typeof conversation>>, id: string) =>
  (await ws.client.get(`/api/v1/conversations/${ws.conversationId}/messages`)).json().items.find((m: { id: string }) => m.id === id);

const sendJobOf = (messageId: string) =>
  w.t.database.db.selectFrom('jobs').select(['status', 'run_at']).where('name', '=', 'inbox.send').where('status', '=', 'queued').where(({ eb, ref }) => eb(ref('payload', '->>').key('messageId' as never), '=', messageId)).executeTakeFirst();

describe('sending', () => {
  it('queues a reply (202), then POSTs it signed, with our id as idempotency key, and records the provider id', async () => {
    const ws = await conversation('Send');
    const before = w.provider.received.length;
    const res = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'Hi! How can we help?' });
    expect(res.statusCode).toBe(202);
    const queued = res.json().message;
    expect(queued).toMatchObject({ status: 'queued', direction: 'out', kind: 'text' });
    await runJobs(w.t);
    const [req] = w.provider.received.slice(before);
    expect(req!.headers['x-renmai-signature']).toBe(sign(SECRET, req!.body));
    expect(req!.headers['idempotency-key']).toBe(queued.id);
    expect(req!.json()).toMatchObject({ id: queued.id, to: 'u1', kind: 'text', text: 'Hi! How can we help?' });
    const sent = await message(ws, queued.id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: expect.stringMatching(/^fake-/) });
    // The provider reports delivery and reading; the state only moves forward.
    await deliver(w.t, ws.channelId, [
      { id: `r-${queued.id}`, type: 'status', messageId: sent.providerMessageId, status: 'read', to: 'u1' },
      { id: `d-${queued.id}`, type: 'status', messageId: sent.providerMessageId, status: 'delivered', to: 'u1' },
    ]);
    await runJobs(w.t);
    expect(await message(ws, queued.id)).toMatchObject({ status: 'read', readAt: expect.any(String), deliveredAt: expect.any(String) });
    const conv = (await ws.client.get(`/api/v1/conversations/${ws.conversationId}`)).json().conversation;
    expect(conv.waitingSince).toBeNull();
  });

  it('retries after a 500 with backoff, then succeeds', async () => {
    const ws = await conversation('Retry');
    w.provider.failNext({ status: 500 });
    const id = (await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'retry me' })).json().message.id;
    await runJobs(w.t);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('HTTP 500'), nextAttemptAt: expect.any(String) });
    expect((await sendJobOf(id))!.run_at.getTime()).toBeGreaterThan(Date.now());
    await makeDue(w.t);
    await runJobs(w.t);
    expect(await message(ws, id)).toMatchObject({ status: 'sent', attempts: 2, lastError: null });
  });

  it('honours a 429 Retry-After: the next attempt waits at least that long, and the channel pauses', async () => {
    const ws = await conversation('Slow down');
    w.provider.failNext({ status: 429, headers: { 'retry-after': '120' } });
    const id = (await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'too fast' })).json().message.id;
    const failedAt = Date.now();
    await runJobs(w.t);
    const retry = (await sendJobOf(id))!;
    expect(retry.run_at.getTime()).toBeGreaterThanOrEqual(failedAt + 120_000);
    expect(retry.run_at.getTime()).toBeLessThan(failedAt + 130_000);
    expect(await message(ws, id)).toMatchObject({ status: 'queued', lastError: expect.stringContaining('rate_limited') });
    const health = (await ws.client.get(`/api/v1/channels/${ws.channelId}`)).json().channel.health;
    expect(new Date(health.sendPausedUntil).getTime()).toBeGreaterThanOrEqual(failedAt + 119_000);
  });

  it('after the last attempt the message is a dead letter; an admin lists it and retries it to success', async () => {
    const ws = await conversation('Dead');
    w.provider.failNext({ status: 503 }, { status: 500 }, { status: 502 });
    const id = (await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'doomed' })).json().message.id;
    for (let i = 0; i < 3; i++) {
      await makeDue(w.t);
      await runJobs(w.t);
    }
    expect(await message(ws, id)).toMatchObject({ status: 'failed', attempts: 3, failedAt: expect.any(String), lastError: expect.stringContaining('HTTP 502') });
    expect(await sendJobOf(id)).toBeUndefined();
    const dead = (await ws.client.get(`/api/v1/dead-letters?channelId=${ws.channelId}`)).json().items;
    expect(dead.map((m: { id: string }) => m.id)).toEqual([id]);
    const retried = await ws.client.post(`/api/v1/dead-letters/${id}/retry`);
    expect(retried.json().message).toMatchObject({ status: 'queued', attempts: 0 });
    await runJobs(w.t);
    expect(await message(ws, id)).toMatchObject({ status: 'sent' });
    expect((await ws.client.get('/api/v1/dead-letters')).json().items).toEqual([]);
    expect((await ws.client.post(`/api/v1/dead-letters/${id}/retry`)).statusCode).toBe(409);
  });

  it('a refusal that retrying cannot fix (400) is a dead letter at once', async () => {
    const ws = await conversation('Refused');
    w.provider.failNext({ status: 400 });
    const id = (await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'bad' })).json().message.id;
    await runJobs(w.t);
    expect(await message(ws, id)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('permanent') });
  });

  it('keeps to the channel rate: beyond the burst, a send waits for a token without using an attempt', async () => {
    const ws = await conversation('Rate', { ratePerSecond: 0.001, rateBurst: 1 });
    const before = w.provider.received.length;
    const a = (await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'a' })).json().message.id;
    const b = (await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'b' })).json().message.id;
    await runJobs(w.t);
    expect(w.provider.received.length - before).toBe(1);
    const [sent, waiting] = [await message(ws, a), await message(ws, b)].sort((x, y) => (x.status === 'sent' ? -1 : y.status === 'sent' ? 1 : 0));
    expect(sent.status).toBe('sent');
    expect(waiting).toMatchObject({ status: 'queued', attempts: 0 });
    expect((await sendJobOf(waiting.id))!.run_at.getTime()).toBeGreaterThan(Date.now() + 60_000);
  });

  it('refuses what the channel or the message cannot be: no text, unknown attachment, disabled channel', async () => {
    const ws = await conversation('Shape');
    expect((await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { kind: 'text' })).json().code).toBe('validation_failed');
    expect((await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { kind: 'image', attachmentIds: ['00000000-0000-4000-8000-000000000000'] })).statusCode).toBe(404);
    await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { enabled: false });
    const disabled = await ws.client.post(`/api/v1/conversations/${ws.conversationId}/messages`, { text: 'x' });
    expect(disabled.statusCode).toBe(409);
    expect(disabled.json().reason).toBe('channel_disabled');
  });
});
