// E-mail over real SMTP sockets on 127.0.0.1: nodemailer (as another mail server) delivers to the
// built-in listener, which routes by envelope recipient and refuses unknown recipients and
// oversized mail; agents' replies go through the send job to a fake SMTP server, with the
// threading headers, retried after a 4xx, dead letters after a 5xx or a refused login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, makeDue, runJobs } from '../../../test/support/channel-world.js';
import { startFakeSmtp } from '../../../test/support/fake-smtp.js';
import { mailWorld, sendToListener, workspaceWithMailChannel, type MailWorld } from '../../../test/support/mail-world.js';

let w: MailWorld;
beforeAll(async () => (w = await mailWorld({ SEND_MAX_ATTEMPTS: '3' })));
afterAll(() => w.close());

type Ws = Awaited<ReturnType<typeof workspaceWithMailChannel>>;
const conversations = async (ws: Ws) => (await ws.client.get('/api/v1/conversations')).json().items as Array<{ id: string }>;
const messagesOf = async (ws: Ws, conversationId: string) =>
  ((await ws.client.get(`/api/v1/conversations/${conversationId}/messages`)).json().items as Array<Record<string, unknown>>).reverse();
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as { responseCode?: number; command?: string });

/** A conversation opened by a mail through the listener; returns its id. */
async function opened(ws: Ws, to: string, from = 'kim@example.com') {
  await sendToListener(w, { from, to, subject: 'Broken kettle', text: 'My kettle stopped working.', messageId: `<${Math.random().toString(36).slice(2)}@customer.example>` });
  await runJobs(w.t);
  const [conversation] = await conversations(ws);
  if (!conversation) throw new Error('no conversation');
  return conversation.id;
}

describe('the SMTP listener', () => {
  it('takes mail for a channel\'s address (in any case) and refuses an unknown recipient at RCPT with 550', async () => {
    const ws = await workspaceWithMailChannel(w, 'Listen', { address: 'help@listen.test' });
    const info = await sendToListener(w, { from: 'kim@example.com', to: 'HELP@Listen.test', subject: 'Hi', text: 'hello there', messageId: '<l1@example.com>' });
    expect(info.accepted).toHaveLength(1);
    const unknown = await refusal(sendToListener(w, { from: 'kim@example.com', to: 'nobody@listen.test', subject: 'Hi', text: 'anyone?' }));
    expect(unknown).toMatchObject({ responseCode: 550, command: 'RCPT TO' });
    // One known and one unknown recipient: the known one gets it, once.
    const mixed = await sendToListener(w, { from: 'kim@example.com', to: ['help@listen.test', 'ghost@listen.test'], subject: 'Hi', text: 'second', messageId: '<l2@example.com>' });
    expect(mixed).toMatchObject({ accepted: ['help@listen.test'], rejected: ['ghost@listen.test'] });
    await runJobs(w.t);
    const [conversation, ...others] = await conversations(ws);
    expect(others).toEqual([]);
    expect((await messagesOf(ws, conversation!.id)).map((m) => [m.text, m.providerMessageId])).toEqual([
      ['hello there', '<l1@example.com>'],
      ['second', '<l2@example.com>'],
    ]);
  });

  it('refuses a message over MAIL_MAX_BYTES with 552 and stores nothing', async () => {
    const ws = await workspaceWithMailChannel(w, 'Big', { address: 'big@listen.test' });
    const big = await refusal(sendToListener(w, { from: 'kim@example.com', to: 'big@listen.test', subject: 'Huge', text: 'x'.repeat(70_000) }));
    expect(big).toMatchObject({ responseCode: 552 });
    expect(await count(w.t, 'inbound_events', ws.workspace.id)).toBe(0);
  });

  it('routes nothing to a disabled channel, nor to one that reads a mailbox by IMAP', async () => {
    const off = await workspaceWithMailChannel(w, 'Off', { address: 'off@listen.test' });
    await off.client.patch(`/api/v1/channels/${off.channelId}`, { enabled: false });
    await workspaceWithMailChannel(w, 'Imap', { address: 'imap@listen.test', inbound: { mode: 'imap', host: '127.0.0.1', user: 'imap@listen.test' } });
    for (const to of ['off@listen.test', 'imap@listen.test']) {
      expect(await refusal(sendToListener(w, { from: 'kim@example.com', to, subject: 'Hi', text: 'hello' }))).toMatchObject({ responseCode: 550 });
    }
  });

  it('an address two channels claim stays with the older one: a newer workspace cannot take its mail', async () => {
    const first = await workspaceWithMailChannel(w, 'First owner', { address: 'sales@claimed.test' });
    const second = await workspaceWithMailChannel(w, 'Second owner', { address: 'sales@claimed.test' });
    await sendToListener(w, { from: 'kim@example.com', to: 'sales@claimed.test', subject: 'Quote', text: 'price?' });
    await runJobs(w.t);
    expect(await count(w.t, 'messages', first.workspace.id)).toBe(1);
    expect(await count(w.t, 'inbound_events', second.workspace.id)).toBe(0);
  });
});

describe('sending over SMTP', () => {
  it('round trip: the reply reaches the SMTP server with our Message-ID, In-Reply-To, References, subject, text and HTML; the customer\'s answer threads back', async () => {
    const ws = await workspaceWithMailChannel(w, 'Round trip', { address: 'care@round.test' });
    await sendToListener(w, { from: 'Kim Lee <kim@example.com>', to: 'care@round.test', subject: 'Broken kettle', text: 'My kettle stopped working.', messageId: '<c1@customer.example>' });
    await runJobs(w.t);
    const [conversation] = await conversations(ws);
    const before = w.smtp.received.length;
    const reply = (await ws.client.post(`/api/v1/conversations/${conversation!.id}/messages`, { text: 'Sorry to hear that.\n\nWe will send a new one.' })).json().message;
    await runJobs(w.t);
    const [sent, ...more] = w.smtp.received.slice(before);
    expect(more).toEqual([]);
    expect(sent!.to).toEqual(['kim@example.com']);
    expect(sent!.from).toBe('care@round.test');
    expect(sent!.header('message-id')).toBe(`<${reply.id}@round.test>`);
    expect(sent!.header('in-reply-to')).toBe('<c1@customer.example>');
    expect(sent!.header('references')).toBe('<c1@customer.example>');
    expect(sent!.parsed.subject).toBe('Re: Broken kettle');
    expect(sent!.parsed.from?.value[0]).toEqual({ address: 'care@round.test', name: 'Acme Support' });
    expect(sent!.parsed.text?.trim()).toBe('Sorry to hear that.\n\nWe will send a new one.');
    expect(sent!.parsed.html).toBe('<p>Sorry to hear that.</p>\n<p>We will send a new one.</p>');
    // Kim answers from her work address, as her mail client threads it.
    await sendToListener(w, {
      from: 'kim.lee@work.example',
      to: 'care@round.test',
      subject: `Re: ${sent!.parsed.subject}`,
      text: 'Thank you!',
      messageId: '<c2@work.example>',
      inReplyTo: sent!.parsed.messageId,
      // mailparser gives one reference as a string, several as an array.
      references: [sent!.parsed.references ?? [], sent!.parsed.messageId!].flat(),
    });
    await runJobs(w.t);
    expect(await conversations(ws)).toHaveLength(1);
    expect((await messagesOf(ws, conversation!.id)).map((m) => [m.direction, m.text])).toEqual([
      ['in', 'My kettle stopped working.'],
      ['out', 'Sorry to hear that.\n\nWe will send a new one.'],
      ['in', 'Thank you!'],
    ]);
    // The next reply answers her answer, with the whole chain.
    await ws.client.post(`/api/v1/conversations/${conversation!.id}/messages`, { text: 'You are welcome.' });
    await runJobs(w.t);
    const next = w.smtp.received.at(-1)!;
    expect(next.header('in-reply-to')).toBe('<c2@work.example>');
    expect(next.header('references')).toBe(`<c1@customer.example> <${reply.id}@round.test> <c2@work.example>`);
  });

  it('a 4xx reply is retried with backoff and then sent, under the same Message-ID', async () => {
    const ws = await workspaceWithMailChannel(w, 'Greylisted', { address: 'grey@send.test' });
    const conversationId = await opened(ws, 'grey@send.test');
    w.smtp.failNext({ code: 451, message: '4.7.1 Greylisted, please try again later' });
    const id = (await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text: 'Answer' })).json().message.id;
    await runJobs(w.t);
    const waiting = (await messagesOf(ws, conversationId)).find((m) => m.id === id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringMatching(/^temporary: .*Greylisted/), nextAttemptAt: expect.any(String) });
    const before = w.smtp.received.length;
    await makeDue(w.t);
    await runJobs(w.t);
    expect((await messagesOf(ws, conversationId)).find((m) => m.id === id)).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: `<${id}@send.test>` });
    expect(w.smtp.received.slice(before).map((m) => m.header('message-id'))).toEqual([`<${id}@send.test>`]);
  });

  it('a 5xx reply is a dead letter at once, with the server\'s words', async () => {
    const ws = await workspaceWithMailChannel(w, 'Refused', { address: 'no@send.test' });
    const conversationId = await opened(ws, 'no@send.test');
    w.smtp.failNext({ code: 550, message: '5.7.1 Message rejected as spam' });
    const id = (await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text: 'Buy now' })).json().message.id;
    await runJobs(w.t);
    expect((await messagesOf(ws, conversationId)).find((m) => m.id === id)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/^permanent: SMTP 550 5\.7\.1 Message rejected as spam/) });
    const dead = (await ws.client.get(`/api/v1/dead-letters?channelId=${ws.channelId}`)).json().items;
    expect(dead.map((m: { id: string }) => m.id)).toEqual([id]);
  });

  it('a refused login is a dead letter (auth); with the right password the retried letter goes', async () => {
    const guarded = await startFakeSmtp({ auth: { user: 'mailer', pass: 'right password' } });
    try {
      const ws = await workspaceWithMailChannel(w, 'Login', { address: 'login@send.test', smtp: { host: '127.0.0.1', port: guarded.port, requireTls: false, user: 'mailer' } }, { smtpPassword: 'wrong password' });
      const conversationId = await opened(ws, 'login@send.test');
      const id = (await ws.client.post(`/api/v1/conversations/${conversationId}/messages`, { text: 'Hello' })).json().message.id;
      await runJobs(w.t);
      expect((await messagesOf(ws, conversationId)).find((m) => m.id === id)).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringMatching(/^auth: SMTP authentication failed: 535/) });
      expect(guarded.received).toEqual([]);
      await ws.client.patch(`/api/v1/channels/${ws.channelId}`, { secrets: { smtpPassword: 'right password' } });
      expect((await ws.client.post(`/api/v1/dead-letters/${id}/retry`)).statusCode).toBe(200);
      await runJobs(w.t);
      expect((await messagesOf(ws, conversationId)).find((m) => m.id === id)).toMatchObject({ status: 'sent' });
      expect(guarded.received.map((m) => m.header('message-id'))).toEqual([`<${id}@send.test>`]);
    } finally {
      await guarded.close();
    }
  });
});
